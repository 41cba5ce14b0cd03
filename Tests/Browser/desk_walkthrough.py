#!/usr/bin/env python3
"""A real-browser walk through the web desk (SPEC §8), as a hotline clerk and an inspector would.

Headless system Chromium through chromium-driver, driven by Selenium. Run by scripts/browser-test,
which starts `wagewatch serve` on a fresh database and sets:

    WW_BASE_URL                               e.g. http://127.0.0.1:18080
    WW_INTAKE_USER, WW_INTAKE_PASSWORD        a user with the role intake
    WW_INSPECTOR_USER, WW_INSPECTOR_PASSWORD  a user with the role inspector, same region
    WW_SCREENSHOTS                            folder for the numbered PNGs (1280x800)
    WW_CHROMIUM, WW_CHROMEDRIVER              optional: /usr/bin/chromium, /usr/bin/chromedriver

Exits 0 when every check passes; on the first failed check it prints what failed, saves
FAILED-<step>.png and FAILED-<step>.html in WW_SCREENSHOTS, and exits 1. Exit 2: misconfigured.
"""

import datetime
import os
import re
import sys
import tempfile
import traceback
from contextlib import contextmanager
from urllib.parse import urljoin, urlparse

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as EC
from selenium.webdriver.support.ui import Select, WebDriverWait

WAIT_SECONDS = 10

# The complaint and the case's workers. GB 11643 check digits: both are valid; BAD_ID's is not.
PHONE = "13812345678"
PHONE_MASKED = "138****5678"
WORKERS = [
    ("110101199003074514", "张三", "3000", "3,000"),
    ("11010119900307416X", "李四", "2500", "2,500"),
]
BAD_ID = "11010119900307461X"  # the check digit should be 0
CLOSE_REASON = "欠薪企业已逃匿，剩余部分移送法院"


class CheckFailed(Exception):
    pass


def check(condition, message):
    if not condition:
        raise CheckFailed(message)


def env(name, default=None):
    value = os.environ.get(name, default)
    if value is None or value == "":
        print(f"desk_walkthrough: {name} is not set (see the docstring of {__file__})", file=sys.stderr)
        sys.exit(2)
    return value


class Desk:
    def __init__(self, prefix="", downloads=None):
        """One browser. `prefix` goes before the screenshots' numbers and names the driver's log (a
        second walkthrough, a second browser); `downloads`, a folder Chromium saves downloads in."""
        self.base = env("WW_BASE_URL").rstrip("/") + "/"
        self.intake = (env("WW_INTAKE_USER"), env("WW_INTAKE_PASSWORD"))
        self.inspector = (env("WW_INSPECTOR_USER"), env("WW_INSPECTOR_PASSWORD"))
        self.out = env("WW_SCREENSHOTS")
        os.makedirs(self.out, exist_ok=True)
        self.prefix = prefix
        self.downloads = downloads
        self.shots = 0
        self.step_name = "start"
        self.driver = self.start_browser()

    # The browser

    def start_browser(self):
        options = webdriver.ChromeOptions()
        options.binary_location = os.environ.get("WW_CHROMIUM", "/usr/bin/chromium")
        for arg in ("--headless=new", "--window-size=1280,800", "--no-sandbox", "--disable-dev-shm-usage",
                    "--disable-gpu", "--lang=zh-CN", "--no-first-run", "--disable-extensions",
                    "--password-store=basic"):
            options.add_argument(arg)
        prefs = {"intl.accept_languages": "zh-CN,zh", "credentials_enable_service": False,
                 "profile.password_manager_enabled": False, "profile.password_manager_leak_detection": False}
        if self.downloads:
            prefs.update({"download.default_directory": self.downloads, "download.prompt_for_download": False,
                          "safebrowsing.enabled": False})
        options.add_experimental_option("prefs", prefs)
        # A driver path of our own keeps Selenium Manager (which would download one) out of it.
        service = Service(executable_path=os.environ.get("WW_CHROMEDRIVER", "/usr/bin/chromedriver"),
                          log_output=os.path.join(self.out, f"chromedriver{self.prefix}.log"))
        driver = webdriver.Chrome(service=service, options=options)
        if self.downloads:
            driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        # 1280x800 of page: the window's own frame (headless has one too) comes on top.
        driver.set_window_size(1280, 800)
        inner = driver.execute_script("return [window.innerWidth, window.innerHeight]")
        driver.set_window_size(1280 + 1280 - inner[0], 800 + 800 - inner[1])
        driver.set_page_load_timeout(30)
        return driver

    def quit(self):
        try:
            self.driver.quit()
        except WebDriverException:
            pass

    # Steps, screenshots, failures

    @contextmanager
    def step(self, name):
        self.step_name = name
        print(f"--- {name}", flush=True)
        yield

    def shot(self, name):
        self.shots += 1
        path = os.path.join(self.out, f"{self.prefix}{self.shots:02d}-{name}.png")
        check(self.driver.save_screenshot(path), f"could not save the screenshot {path}")

    def save_failure(self):
        safe = self.prefix + re.sub(r"[^A-Za-z0-9_.-]", "_", self.step_name)
        try:
            self.driver.save_screenshot(os.path.join(self.out, f"FAILED-{safe}.png"))
            with open(os.path.join(self.out, f"FAILED-{safe}.html"), "w", encoding="utf-8") as f:
                f.write(f"<!-- {self.driver.current_url} -->\n")
                f.write(self.driver.page_source)
        except WebDriverException as error:
            print(f"(could not save the failure's screenshot or page: {error.msg})", file=sys.stderr)
        return os.path.join(self.out, f"FAILED-{safe}.png")

    # Pages

    def url(self, path):
        return urljoin(self.base, path.lstrip("/"))

    def path(self):
        return urlparse(self.driver.current_url).path

    def go(self, path):
        self.driver.get(self.url(path))
        self.wait_loaded()

    def wait_loaded(self):
        def complete(d):
            try:
                return d.execute_script("return document.readyState") == "complete"
            except WebDriverException:   # the page is being replaced: ask again
                return False
        WebDriverWait(self.driver, WAIT_SECONDS).until(complete)

    def wait_for(self, condition, what):
        try:
            return WebDriverWait(self.driver, WAIT_SECONDS).until(condition)
        except TimeoutException:
            alerts = self.alerts()
            said = f"; the page says: {' | '.join(alerts)}" if alerts else ""
            raise CheckFailed(f"waited {WAIT_SECONDS} s for {what}, at {self.driver.current_url}{said}") from None

    def css(self, selector, visible=False):
        condition = (EC.visibility_of_element_located if visible else EC.presence_of_element_located)
        return self.wait_for(condition((By.CSS_SELECTOR, selector)), f"the element {selector}")

    def all_css(self, selector):
        return self.driver.find_elements(By.CSS_SELECTOR, selector)

    def wait_path(self, pattern, what):
        regex = re.compile(pattern)
        self.wait_for(lambda d: regex.fullmatch(urlparse(d.current_url).path), f"{what} (path {pattern})")
        self.wait_loaded()
        return self.path()

    def text(self, selector):
        return self.css(selector).text.strip()

    def alerts(self):
        try:
            return [e.text.strip() for e in self.all_css("[role=alert]") if e.text.strip()]
        except WebDriverException:
            return []

    def click_and_load(self, element):
        """Clicks a link or a submit button and waits for the next page (plain HTML forms)."""
        old = self.driver.find_element(By.TAG_NAME, "html")
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
        element.click()

        def gone(_driver):
            # Chromium answers a node of the page just left either as stale or, while the next
            # page is being committed, "does not belong to the document": both mean it is gone.
            try:
                old.is_enabled()
                return False
            except WebDriverException:
                return True

        self.wait_for(gone, "the next page after the click")
        self.wait_loaded()

    def submit_form(self, form_selector, button_selector=None):
        if button_selector is None:
            button_selector = ", ".join(f"{form_selector} {b}" for b in (
                "button[type=submit]", "input[type=submit]", "button:not([type])"))
        self.click_and_load(self.css(button_selector))

    # Form fields

    def field(self, selector):
        return self.css(selector)

    def type_into(self, selector, value):
        element = self.field(selector)
        element.clear()
        if value:
            element.send_keys(value)
        actual = element.get_attribute("value")
        check(actual == value, f"{selector} holds {actual!r} after typing {value!r}")

    def set_value_js(self, selector, value):
        """For <input type=date>, whose typing order depends on the browser's locale."""
        element = self.field(selector)
        self.driver.execute_script(
            "arguments[0].value = arguments[1];"
            "arguments[0].dispatchEvent(new Event('input', {bubbles: true}));"
            "arguments[0].dispatchEvent(new Event('change', {bubbles: true}));", element, value)
        actual = element.get_attribute("value")
        check(actual == value, f"{selector} holds {actual!r} after setting {value!r}")

    def choose(self, selector, value):
        element = self.field(selector)
        check(element.tag_name.lower() == "select", f"{selector} is a <{element.tag_name}>, not a <select>")
        options = [o.get_attribute("value") for o in Select(element).options]
        check(value in options, f"{selector} has no option {value!r} (it has {options})")
        Select(element).select_by_value(value)

    def sign_in(self, user, password):
        self.go("/login")
        self.type_into("#username", user)
        self.type_into("#password", password)
        self.click_and_load(self.css("#sign-in"))
        self.wait_path(r"/", f"the desk after signing in as {user}")

    def sign_out(self):
        self.submit_form("#logout")
        self.wait_path(r"/login", "the sign-in page after signing out")

    def worker_rows(self):
        """The rows of #workers that hold data cells (a header row of <th> does not count)."""
        self.css("#workers")
        return [r for r in self.all_css("#workers tr") if r.find_elements(By.TAG_NAME, "td")]

    def worker_row(self, index, id_number, name):
        rows = self.worker_rows()
        for row in rows:
            if name in row.text or id_number[-4:] in row.text:
                return row
        check(index < len(rows), f"#workers has no row for {name} ({len(rows)} rows)")
        return rows[index]


def walk(desk):
    d = desk
    complaint_path = number = case_path = None

    with d.step("a-sign-in-intake"):
        d.go("/login")
        d.css("#username", visible=True)
        d.shot("login")
        d.sign_in(*d.intake)
        d.css("#logout")
        d.shot("desk-intake")

    with d.step("b-new-complaint"):
        d.go("/complaints/new")
        received = d.field("#received_at").get_attribute("value") or ""
        if not re.fullmatch(r"\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2})?", received.strip()):
            raise CheckFailed(f"#received_at should be prefilled with now as YYYY-MM-DD HH:MM, holds {received!r}")
        d.shot("new-complaint")
        d.type_into("#region_code", "410122")
        d.choose("#channel", "12333")
        d.type_into("#caller_name", "王建国")
        d.type_into("#caller_phone", PHONE)
        d.type_into("#employer_uscc", "")
        d.type_into("#employer_name", "郑州宏达建筑劳务有限公司")
        d.type_into("#project_code", "")
        d.type_into("#workers_involved", "12")
        d.type_into("#amount_owed", "86000")
        d.set_value_js("#owed_since", "2026-08-01")
        d.set_value_js("#owed_until", "2026-10-31")
        absconded = d.field("#employer_absconded")
        check(absconded.get_attribute("type") == "checkbox", "#employer_absconded is not a checkbox")
        if absconded.is_selected():
            absconded.click()
        d.type_into("#text", "工地12名农民工被拖欠工资")
        d.shot("new-complaint-filled")
        d.click_and_load(d.css("#submit"))

    with d.step("c-complaint-page"):
        complaint_path = d.wait_path(r"/complaints/(?!new$)[^/]+", "the new complaint's page")
        number = d.text("[data-field=number]")
        check(re.fullmatch(r"TS-\d{8}-\d{4}", number), f"[data-field=number] is {number!r}, not TS-YYYYMMDD-NNNN")
        due = d.text("[data-field=decision_due]")
        found = re.search(r"\d{4}-\d{2}-\d{2}", due)
        check(found, f"[data-field=decision_due] is {due!r}, with no YYYY-MM-DD date")
        try:
            datetime.date.fromisoformat(found.group(0))
        except ValueError:
            raise CheckFailed(f"[data-field=decision_due] {due!r} is not a real date") from None
        d.css("#escalations")
        items = d.all_css("#escalations li")
        check(items, "#escalations lists no escalation (12 workers: a mass-incident risk, SPEC E1)")
        esc = d.text("#escalations")
        check("县" in esc, f"#escalations does not name the county level (县): {esc!r}")
        phone = d.text("[data-field=caller_phone]")
        check(phone == PHONE_MASKED, f"[data-field=caller_phone] shows {phone!r}, not {PHONE_MASKED!r}")
        check(PHONE not in d.driver.page_source, f"the full phone number {PHONE} is in the page's source")
        d.shot("complaint")
        print(f"    complaint {number} at {complaint_path}, decision due {due}")

    with d.step("d-sign-out"):
        d.sign_out()
        d.shot("signed-out")
        d.go(complaint_path)
        check(d.path() == "/login", f"a signed-out browser opening {complaint_path} is at {d.path()}, not /login")
        check(number not in d.driver.page_source, f"a signed-out browser sees the complaint {number}")

    with d.step("e-decide-accept"):
        d.sign_in(*d.inspector)
        d.shot("desk-inspector")
        d.go(complaint_path)
        d.css("#decision-form")
        for name in ("reason", "target", "case"):
            d.css(f"#decision-form [name={name}]")
        d.choose("#decision", "accept")
        d.shot("complaint-decision")
        d.click_and_load(d.css("#decide"))
        d.wait_for(lambda dr: "受理" in (dr.find_element(By.CSS_SELECTOR, "[data-field=outcome]").text),
                   "[data-field=outcome] to say 受理")
        outcome = d.text("[data-field=outcome]")
        check("不予受理" not in outcome, f"[data-field=outcome] says refused: {outcome!r}")
        link = d.css("a[data-field=case]")
        href = urlparse(link.get_attribute("href") or "").path
        check(re.fullmatch(r"/cases/[^/]+", href), f"a[data-field=case] points to {href!r}, not /cases/N")
        d.shot("complaint-accepted")
        d.click_and_load(link)
        case_path = d.wait_path(re.escape(href), "the case page")
        d.shot("case")
        print(f"    accepted: case at {case_path}")

    with d.step("f-claims"):
        d.css("#claim-form")
        before = len(d.worker_rows())
        d.type_into("#claim-form [name=id_number]", BAD_ID)
        d.type_into("#claim-form [name=name]", "王五")
        d.type_into("#claim-form [name=amount]", "1000")
        d.submit_form("#claim-form")
        check(d.alerts(), f"the ID number {BAD_ID} (wrong check digit) was taken without an [role=alert]")
        print(f"    {BAD_ID} refused: {' | '.join(d.alerts())}")
        d.shot("claim-refused")
        d.go(case_path)
        check(len(d.worker_rows()) == before, f"the refused claim for {BAD_ID} added a row to #workers")
        for i, (id_number, name, amount, shown) in enumerate(WORKERS):
            d.type_into("#claim-form [name=id_number]", id_number)
            d.type_into("#claim-form [name=name]", name)
            d.type_into("#claim-form [name=amount]", amount)
            d.submit_form("#claim-form")
            if d.path() != case_path:
                said = " | ".join(d.alerts()) or "(no [role=alert] on the page)"
                raise CheckFailed(f"the claim for {name} {id_number} was not taken: at {d.path()}: {said}")
            rows = d.worker_rows()
            if len(rows) != before + i + 1:
                said = " | ".join(d.alerts()) or "(no [role=alert])"
                raise CheckFailed(f"after the claim for {name}, #workers has {len(rows)} rows, "
                                  f"expected {before + i + 1}: {said}")
            row = d.worker_row(i, id_number, name).text
            check(shown in row, f"the row of {name} does not show {shown} (yuan with a thousands separator): {row!r}")
            d.shot(f"claim-{i + 1}")
        check(len(d.worker_rows()) == 2, f"#workers has {len(d.worker_rows())} rows, expected 2")

    with d.step("g-recovery"):
        id_number, name, amount, shown = WORKERS[0]
        row_before = d.worker_row(0, id_number, name).text
        d.css("#recovery-form")
        worker = d.field("#recovery-form [name=id_number]")
        if worker.tag_name.lower() == "select":
            select = Select(worker)
            values = [(o.get_attribute("value"), o.text) for o in select.options]
            pick = next((v for v, t in values if v == id_number), None) \
                or next((v for v, t in values if v and (name in t or id_number[-4:] in t)), None)
            check(pick, f"#recovery-form's worker list has no {name} {id_number}: {values}")
            select.select_by_value(pick)
        else:
            d.type_into("#recovery-form [name=id_number]", id_number)
        d.type_into("#recovery-form [name=amount]", amount)
        d.choose("#recovery-form [name=source]", "employer")
        d.set_value_js("#recovery-form [name=date]", "2026-11-20")
        d.shot("recovery-filled")
        d.submit_form("#recovery-form")
        if d.path() != case_path:
            said = " | ".join(d.alerts()) or "(no [role=alert] on the page)"
            raise CheckFailed(f"the recovery for {name} was not taken: at {d.path()}: {said}")
        row = d.worker_row(0, id_number, name)
        check(row.text != row_before, f"the row of {name} is unchanged after a recovery of {shown}: {row.text!r}")
        cells = row.find_elements(By.CSS_SELECTOR, "[data-field=recovered]")
        if cells:
            check(shown in cells[0].text, f"{name}'s recovered cell shows {cells[0].text!r}, not {shown}")
        else:
            check(shown in row.text, f"the row of {name} does not show the {shown} recovered: {row.text!r}")
        d.shot("recovered")

    with d.step("h-close"):
        status_before = d.text("[data-field=status]")
        d.css("#close-form")
        reason = d.field("#close-form [name=reason]")
        reason.clear()
        if reason.get_attribute("required") is not None:
            # The browser itself holds back an empty required reason; the server must refuse it too.
            valid = d.driver.execute_script("return arguments[0].form.checkValidity()", reason)
            check(not valid, "the close form is valid with an empty required reason")
            d.driver.execute_script("arguments[0].form.noValidate = true", reason)
        d.submit_form("#close-form")
        refused = d.alerts()
        check(refused, "closing with an empty reason (not all recovered) showed no [role=alert]")
        print(f"    empty reason refused: {' | '.join(refused)}")
        d.shot("close-refused")
        if d.path() != case_path:
            d.go(case_path)
        status = d.text("[data-field=status]")
        check(status == status_before, f"after a refused close the status is {status!r}, was {status_before!r}")
        disposition = d.all_css("#close-form [name=disposition]")
        if disposition and disposition[0].tag_name.lower() == "select":
            values = [o.get_attribute("value") for o in Select(disposition[0]).options]
            if "referred_court" in values:
                Select(disposition[0]).select_by_value("referred_court")
        d.type_into("#close-form [name=reason]", CLOSE_REASON)
        d.shot("close-filled")
        d.submit_form("#close-form")
        if d.path() != case_path:
            said = " | ".join(d.alerts()) or "(no [role=alert] on the page)"
            raise CheckFailed(f"closing with a reason was not taken: at {d.path()}: {said}")
        status = d.text("[data-field=status]")
        check(status != status_before, f"the status is still {status!r} after closing with a reason")
        if "已结案" not in status:
            print(f"    note: the closed case's status reads {status!r}, not 已结案")
        d.shot("closed")
        print(f"    status {status_before!r} -> {status!r}")

    with d.step("k-import"):
        # The inspector imports a CSV file through the form: a real file input, sent as multipart.
        d.driver.delete_all_cookies()
        d.sign_in(*d.inspector)
        d.go("/imports/new")
        d.choose("#kind", "employers")
        with tempfile.NamedTemporaryFile("w", suffix=".csv", delete=False, encoding="utf-8") as f:
            f.write("uscc,name,kind,region_code,legal_rep,phone\n"
                    "91410122000520057T,中牟县恒通建筑安装有限公司,general_contractor,410122,王恒通,13903710001\n"
                    "91410122000520065M,河南华夏土地整理工程有限公司,general_contractor,410122,张华夏,13703710002\n")
            path = f.name
        try:
            d.field("#file").send_keys(path)
            d.shot("import-filled")
            d.submit_form("form[action='/imports']")
        finally:
            os.unlink(path)
        inserted = d.text("[data-field=count-inserted]")
        check(inserted == "2", f"the import page says {inserted!r} employers inserted, not 2 (alerts: {d.alerts()})")
        d.shot("imported")

    with d.step("i-keyboard"):
        d.driver.delete_all_cookies()
        d.go("/login")
        d.css("#username")
        d.shot("login-keyboard")

        def active():
            return d.driver.execute_script(
                "const e = document.activeElement;"
                "return e ? [e.id || '', e.tagName.toLowerCase(), e.getAttribute('href') || ''] : ['', '', '']")

        def tab():
            ActionChains(d.driver).send_keys(Keys.TAB).perform()
            return active()

        now = active()
        if now[0] != "username":  # no autofocus: the first TAB, after at most a skip link
            now = tab()
            if now[1] == "a" and now[2].startswith("#"):
                now = tab()
        check(now[0] == "username", f"TAB on /login first reaches {now}, not #username")
        now = tab()
        check(now[0] == "password", f"TAB after #username reaches {now}, not #password")
        now = tab()
        check(now[0] == "sign-in", f"TAB after #password reaches {now}, not #sign-in")

    with d.step("j-english"):
        d.sign_in(*d.intake)
        d.go("/?lang=en")
        button = d.css("#logout button, #logout input[type=submit]")
        label = (button.text or button.get_attribute("value") or "").strip()
        check("Sign out" in label, f"/?lang=en: the logout button reads {label!r}, not 'Sign out'")
        d.shot("desk-english")
        d.go("/")
        button = d.css("#logout button, #logout input[type=submit]")
        label = (button.text or button.get_attribute("value") or "").strip()
        check("Sign out" in label, f"English is not remembered in the session (SPEC §8): / reads {label!r}")


def main():
    desk = Desk()
    try:
        walk(desk)
    except Exception as error:  # a failed check, or the browser or this script broke: the same report
        shot = desk.save_failure()
        message = error.msg if isinstance(error, WebDriverException) else (str(error) or repr(error))
        print(f"\nFAIL [{desk.step_name}] {message}", file=sys.stderr)
        if not isinstance(error, (CheckFailed, AssertionError)):
            traceback.print_exc(file=sys.stderr)
        print(f"     at {desk.driver.current_url}; see {shot} and its .html", file=sys.stderr)
        return 1
    finally:
        desk.quit()
    print(f"desk walkthrough: every check passed; {desk.shots} screenshots in {desk.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
