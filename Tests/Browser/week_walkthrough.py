#!/usr/bin/env python3
"""The rest of the week in a real browser (issue 16): the transport department, direct pay, the
live escalation board, the weekly report and the administrator — after desk_walkthrough.py, on the
same server and database, set up by scripts/browser-test (users of every role; the county of
Tests/Browser/week/: the road ZM-X021 whose fund paid a stranger, R9 red, led by transport; its
wage account and three workers on a signed October payroll).

Environment, besides desk_walkthrough.py's (WW_BASE_URL, WW_SCREENSHOTS, WW_INTAKE_*, WW_INSPECTOR_*):

    WW_SECTOR_USER, WW_SECTOR_PASSWORD      a sector user of the transport department
    WW_OFFICIAL_USER, WW_OFFICIAL_PASSWORD  an official (两办)
    WW_ADMIN_USER, WW_ADMIN_PASSWORD        an administrator

Screenshots are w01-….png (browser A) and wb01-….png (browser B, the hotline's) in WW_SCREENSHOTS.
Exits 0 when every check passes, 1 on the first failed check (FAILED-w…png/.html saved), 2 misconfigured.
"""

import csv
import io
import json
import os
import re
import shutil
import sys
import tempfile
import time
import traceback
from urllib.parse import urlparse

from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from desk_walkthrough import CheckFailed, Desk, check, env

PROJECT = "ZM-X021"
PERIOD = "2026-10"
# The signed October payroll of Tests/Browser/week/payroll.csv and workers.csv: name, ID number,
# bank account, what is owed (wage due − wage paid) in fen.
PAYROLL = [
    ("赵大勇", "410122198503121012", "6228480402564890011", 660000),
    ("钱小红", "41012219880521103X", "6228480402564890029", 720000),
    ("孙建军", "410122199108171057", "6217994910000123456", 580050),
]
MASS_EMPLOYER = "中牟县宏远建筑劳务有限公司"
MASS_WORKERS = "28"
# SPEC §8: a new mass-incident risk on the board within 2 seconds of the raise.
LIVE_SECONDS = 2.0
DOWNLOAD_SECONDS = 90  # a PDF is printed by headless Chromium on the server
NEW_USER = "zhou_rexian"


def user(prefix):
    return (env(f"WW_{prefix}_USER"), env(f"WW_{prefix}_PASSWORD"))


def yuan(fen):
    return f"{fen // 100}.{fen % 100:02d}"


CURRENT = ["start"]


class Week(Desk):
    def step(self, name):
        CURRENT[0] = name
        return super().step(name)

    def wait_for(self, condition, what, seconds=None):
        if seconds is None:
            return super().wait_for(condition, what)
        try:
            return WebDriverWait(self.driver, seconds, poll_frequency=0.05).until(condition)
        except TimeoutException:
            raise CheckFailed(f"waited {seconds} s for {what}, at {self.driver.current_url}") from None

    def row_with(self, table_selector, text):
        """The first row of a table that holds data cells and contains `text`."""
        self.css(table_selector)
        for row in self.all_css(f"{table_selector} tr"):
            if row.find_elements(By.TAG_NAME, "td") and text in row.text:
                return row
        return None

    def notices(self):
        try:
            return [e.text.strip() for e in self.all_css("[role=status], .notice") if e.text.strip()]
        except WebDriverException:
            return []

    def download(self, link, name_pattern, seconds=DOWNLOAD_SECONDS):
        """Clicks a download link and waits for a finished file whose name matches; returns its path."""
        regex = re.compile(name_pattern)
        before = set(os.listdir(self.downloads))
        self.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", link)
        link.click()

        def finished(_driver):
            for name in set(os.listdir(self.downloads)) - before:
                if regex.fullmatch(name) and not name.endswith(".crdownload"):
                    path = os.path.join(self.downloads, name)
                    if os.path.getsize(path) > 0:
                        return path
            return False
        return self.wait_for(finished, f"the download {name_pattern} in {self.downloads}", seconds=seconds)

    def sign_in_fails(self, name, password):
        self.go("/login")
        self.type_into("#username", name)
        self.type_into("#password", password)
        self.click_and_load(self.css("#sign-in"))
        check(self.path() == "/login", f"{name} with a refused login is at {self.path()}, not /login")
        return self.alerts()


def walk(a, b):
    sector, inspector = user("SECTOR"), user("INSPECTOR")
    official, admin, hotline = user("OFFICIAL"), user("ADMIN"), user("INTAKE")
    batch_path = flag_path = None

    with a.step("w-a-sector-desk"):
        a.sign_in(*sector)
        a.shot("desk-transport")
        a.go("/flags")
        row = a.row_with("#flag-list", PROJECT)
        check(row is not None, f"the transport reviewer's /flags lists no flag of {PROJECT}")
        check("资金向外地转移" in row.text, f"the flag of {PROJECT} is not R9 资金向外地转移: {row.text!r}")
        severity = row.find_element(By.CSS_SELECTOR, ".severity").text
        check("红" in severity, f"the R9 flag's severity reads {severity!r}, not red (红色)")
        first = a.all_css("#flag-list tbody tr")[0]
        check("sev-red" in (first.get_attribute("class") or ""), "the flag list does not put red flags first")
        a.shot("flags-transport")
        a.click_and_load(row.find_element(By.CSS_SELECTOR, "a[href^='/flags/']"))
        flag_path = a.wait_path(r"/flags/\d+", "the flag's page")

    with a.step("w-b-flag-page"):
        project = a.text("[data-field=project]")
        check(PROJECT in project and "X021" in project, f"[data-field=project] reads {project!r}")
        contractor = a.text("[data-field=contractor]")
        check("河南路桥建设集团有限公司" in contractor, f"[data-field=contractor] reads {contractor!r}")
        evidence = a.text("#evidence")
        check(not re.search(r"[{}]|\"[a-z_]+\":", evidence), f"the evidence shows raw JSON: {evidence[:300]!r}")
        check(a.all_css("#evidence table"), "the evidence is not shown as a table")
        check("外省某物资公司" in evidence, f"the evidence does not name the transfer's payee: {evidence[:300]!r}")
        check("48" in evidence, f"the evidence does not show the ¥480,000 transfer: {evidence[:300]!r}")
        due = a.all_css("[data-field=review_due]")
        check(due and re.search(r"\d{4}-\d{2}-\d{2}", due[0].text), "an unreviewed red flag shows no review deadline (E2)")
        a.shot("flag-r9")
        a.choose("#review-form [name=action]", "confirm")
        a.choose("#review-form [name=confirm_action]", "direct_pay")
        a.type_into("#review-form [name=reason]", "建设资金48万元转往外省物资公司，农民工10月工资未发，启动代发")
        a.shot("flag-confirm-filled")
        a.submit_form("#review-form")
        if a.path() != flag_path:
            raise CheckFailed(f"the review was not taken: at {a.path()}: {' | '.join(a.alerts()) or '(no alert)'}")
        status = a.text("[data-field=status]")
        check("已确认" in status, f"after confirming, [data-field=status] reads {status!r}, not 已确认")
        action = a.text("[data-field=review_action]")
        check("代发" in action, f"[data-field=review_action] reads {action!r}, not direct pay (直接代发工资)")
        a.shot("flag-confirmed")
        a.sign_out()

    with a.step("w-c-plan-batch"):
        a.sign_in(*inspector)
        a.go("/directpay")
        a.shot("directpay")
        a.type_into("#plan-form [name=project_code]", PROJECT)
        a.type_into("#plan-form [name=period]", PERIOD)
        a.submit_form("#plan-form")
        batch_path = a.path()
        if not re.fullmatch(r"/directpay/\d+", batch_path):
            raise CheckFailed(f"planning {PROJECT} {PERIOD} was not taken: at {batch_path}: {' | '.join(a.alerts()) or '(no alert)'}")
        status = a.text("[data-field=status]")
        check("待审核" in status, f"a planned batch reads {status!r}, not 待审核")
        rows = [r for r in a.all_css("table.list tbody tr") if r.find_elements(By.TAG_NAME, "td")]
        check(len(rows) == len(PAYROLL), f"the batch shows {len(rows)} lines, the payroll owes {len(PAYROLL)} workers")
        source = a.driver.page_source
        for name, id_number, account, fen in PAYROLL:
            row = next((r for r in rows if name in r.text), None)
            check(row is not None, f"the batch has no line for {name}")
            check(id_number not in source and account not in source, f"{name}'s ID number or account is in the page unmasked")
            digits = re.sub(r"[^\d.]", "", row.find_elements(By.TAG_NAME, "td")[5].text)
            print(f"    line {name}: {row.find_elements(By.TAG_NAME, 'td')[5].text}")
            check(digits, f"{name}'s line shows no amount: {row.text!r}")
        print(f"    planned {batch_path}: {a.text('[data-field=total]')}")
        a.shot("batch-planned")

    with a.step("w-d-own-approval-refused"):
        forms = a.all_css("#approve-form")
        if forms:
            a.submit_form("#approve-form")
            said = a.alerts()
            check(said, "the planner's own approval showed no [role=alert]")
            check(any("制单" in s and "审核" in s for s in said),
                  f"the refusal does not say, in the page's Chinese, that another person must approve (制单/审核): {said}")
            print(f"    own approval refused: {' | '.join(said)}")
            a.shot("own-approval-refused")
            a.go(batch_path)
        else:
            hint = a.driver.find_element(By.TAG_NAME, "main").text
            check("审" in hint, "the planner sees no approve form and no word on who approves")
        status = a.text("[data-field=status]")
        check("待审核" in status, f"after the planner's own approval the batch reads {status!r}, not 待审核")
        check(not a.all_css("#execute-form"), "an unapproved batch offers to be paid")
        a.sign_out()

    with a.step("w-e-approve-execute"):
        # The bureau head approves (issue 16's week), and is not offered the payment; the
        # inspector who planned it pays it.
        a.sign_in(*official)
        a.go(batch_path)
        a.submit_form("#approve-form")
        check(a.path() == batch_path, f"the approval went to {a.path()}: {a.alerts()}")
        approved = a.text("[data-field=approved_by]")
        check(approved == official[0], f"[data-field=approved_by] reads {approved!r}, not {official[0]}")
        check(not a.all_css("#execute-form"), "the bureau head is offered to pay the batch")
        a.shot("batch-approved")
        a.sign_out()
        a.sign_in(*inspector)
        a.go(batch_path)
        a.submit_form("#execute-form")
        check(a.path() == batch_path, f"paying went to {a.path()}: {a.alerts()}")
        status = a.text("[data-field=status]")
        check("待" not in status, f"a paid batch still reads {status!r}")
        for n in range(1, len(PAYROLL) + 1):
            line = a.text(f"[data-field=line-status-{n}]")
            check(line, f"line {n} shows no status after paying")
        a.shot("batch-paid")

    with a.step("w-f-bank-file"):
        link = a.css("a[href$='/bank-file']")
        path = a.download(link, r"directpay-\d+\.csv")
        with open(path, encoding="utf-8-sig") as f:
            text = f.read()
        rows = list(csv.reader(io.StringIO(text)))
        header = rows[0]
        check(header == ["worker_name", "id_number", "bank", "account", "amount_yuan", "reference"],
              f"the bank file's header is {header} (SPEC D4: name, ID number, bank, account, amount in yuan, reference)")
        lines = [r for r in rows[1:] if r and r[0] != "TOTAL"]
        total = [r for r in rows[1:] if r and r[0] == "TOTAL"]
        check(len(lines) == len(PAYROLL), f"the bank file has {len(lines)} payment lines, expected {len(PAYROLL)}")
        for name, id_number, account, fen in PAYROLL:
            line = next((r for r in lines if r[1] == id_number), None)
            check(line is not None, f"the bank file has no line for {name} {id_number}")
            check(line[0] == name and line[3] == account, f"{name}'s bank line is {line}")
            check(line[4] == yuan(fen), f"{name}'s amount is {line[4]!r}, expected {yuan(fen)} (yuan with 2 decimals)")
            check(line[5], f"{name}'s line has no batch and line reference")
        whole = sum(p[3] for p in PAYROLL)
        check(total and total[0][4] == yuan(whole), f"the bank file's TOTAL line is {total}, expected {yuan(whole)}")
        print(f"    bank file {os.path.basename(path)}: {len(lines)} lines, total {total[0][4]} 元")
        a.sign_out()

    with a.step("w-g-board-open"):
        a.sign_in(*official)
        a.go("/escalations")
        a.css("#live-alert")
        check(not a.css("#live-alert").is_displayed(), "the board's live alert shows before anything happened")
        a.wait_for(lambda d: d.execute_script("return document.documentElement.dataset.stream") == "open",
                   "the board's stream to open (html[data-stream=open])")
        a.shot("board-before")

    with b.step("w-h-hotline-mass-incident"):
        b.sign_in(*hotline)
        b.go("/complaints/new")
        b.type_into("#region_code", "410122")
        b.choose("#channel", "12333")
        b.type_into("#caller_name", "刘师傅")
        b.type_into("#caller_phone", "13700001234")
        b.type_into("#employer_name", MASS_EMPLOYER)
        b.type_into("#workers_involved", MASS_WORKERS)
        b.type_into("#amount_owed", "39.2万")
        b.set_value_js("#owed_since", "2026-08-01")
        b.set_value_js("#owed_until", "2026-11-30")
        b.type_into("#text", "28名农民工4个月工资未发，扬言明天到县政府门口聚集")
        b.shot("mass-complaint-filled")
        b.click_and_load(b.css("#submit"))
        b.wait_path(r"/complaints/(?!new$)[^/]+", "the new complaint's page")
        logged = time.monotonic()
        check(b.all_css("#escalations li"), "the 28-worker complaint's page shows no escalation")
        b.shot("mass-complaint")

    with a.step("w-i-board-live"):
        def alerted(d):
            box = d.find_element(By.ID, "live-alert")
            return box.is_displayed() and MASS_EMPLOYER in box.text
        a.wait_for(alerted, f"the live alert naming {MASS_EMPLOYER}", seconds=LIVE_SECONDS)
        shown = time.monotonic() - logged
        alert = a.text("#live-alert")
        check("群体性" in alert, f"the live alert does not say mass incident: {alert!r}")
        check(MASS_WORKERS in alert, f"the live alert does not say {MASS_WORKERS} workers: {alert!r}")
        a.wait_for(lambda d: MASS_EMPLOYER in d.find_element(By.ID, "escalation-live").text,
                   f"the board to list {MASS_EMPLOYER} without a reload")
        print(f"    the board showed the alert {shown:.2f} s after the complaint's page loaded in browser B")
        check(a.path() == "/escalations", f"the board navigated to {a.path()}")
        # The complaint meets three E1 conditions (28 workers, 聚集, the criminal threshold): three
        # escalations, three stream events, and the board merges them into the complaint's one row.
        def merged(d):
            rows = [r for r in d.find_elements(By.CSS_SELECTOR, "#escalation-board tbody tr") if MASS_EMPLOYER in r.text]
            return len(rows) == 1 and len(rows[0].find_elements(By.CSS_SELECTOR, "ul.reasons li")) >= 3
        a.wait_for(merged, f"one row for {MASS_EMPLOYER}'s complaint listing its three reasons, without a reload")
        row = a.row_with("#escalation-board", MASS_EMPLOYER)
        reasons = [li.text for li in row.find_elements(By.CSS_SELECTOR, "ul.reasons li")]
        check(any("人数" in r for r in reasons) and any("讨薪" in r for r in reasons) and any("罪" in r for r in reasons),
              f"the row's reasons are {reasons!r}")
        check(len(row.find_elements(By.CSS_SELECTOR, "form[action$='/ack']")) == 1, "the merged row offers one acknowledgement")
        a.shot("board-live-alert")
        first = [r for r in a.all_css("#escalation-board tbody tr")][0]
        check("mass" in (first.get_attribute("class") or ""), "the board does not put mass-incident risks first")

    with a.step("w-j-board-ack"):
        row = a.row_with("#escalation-board", MASS_EMPLOYER)
        row_id = row.get_attribute("id")
        button = row.find_element(By.CSS_SELECTOR, "form[action$='/ack'] button")
        a.click_and_load(button)
        a.wait_path(r"/escalations", "the board after acknowledging")
        row = a.css(f"#{row_id}")
        check("已签收" in row.text, f"the acknowledged escalation's row reads {row.text!r}, not 已签收")
        check(not row.find_elements(By.CSS_SELECTOR, "form[action$='/ack']"), "the acknowledged row still offers to acknowledge")
        rows = [r for r in a.all_css("#escalation-board tbody tr") if MASS_EMPLOYER in r.text]
        check(len(rows) == 1, f"{len(rows)} rows for {MASS_EMPLOYER}'s complaint after one acknowledgement, not one")
        a.shot("board-acknowledged")

    with a.step("w-k-weekly-report"):
        for lang in ("zh", "en"):
            a.go(f"/reports/weekly?lang={lang}")
            a.css("#weekly-report")
            heading = a.text("h1")
            check(("周报" in heading) if lang == "zh" else ("Weekly" in heading or "weekly" in heading),
                  f"/reports/weekly?lang={lang}: the heading reads {heading!r}")
            a.shot(f"report-{lang}")
            links = a.all_css("p.downloads a[download]")
            formats = {urlparse(l.get_attribute("href")).query.split("format=")[-1]: l for l in links}
            check(set(formats) == {"pdf", "md", "csv", "json"}, f"the report offers {sorted(formats)}, not pdf, md, csv, json")
            for fmt in ("pdf", "md", "csv", "json"):
                link = a.all_css(f"p.downloads a[href$='format={fmt}']")[0]
                path = a.download(link, rf"weekly-\d{{4}}-W\d{{2}}-{lang}\.{fmt}")
                with open(path, "rb") as f:
                    data = f.read()
                size = len(data)
                if fmt == "pdf":
                    check(data.startswith(b"%PDF-"), f"{os.path.basename(path)} does not start with %PDF-: {data[:16]!r}")
                    check(size > 10_000, f"{os.path.basename(path)} is only {size} bytes")
                    check(b"%%EOF" in data[-1024:], f"{os.path.basename(path)} has no %%EOF at its end")
                elif fmt == "json":
                    report = json.loads(data.decode("utf-8"))
                    check(re.fullmatch(r"\d{4}-W\d{2}", report.get("week", "")), f"the JSON report's week is {report.get('week')!r}")
                    check(report["totals"]["complaints"] >= 1, f"the JSON report counts {report['totals']['complaints']} complaints this week")
                    # The board's one acknowledgement covered the complaint's three escalations: none is open.
                    acknowledged = sum(row["acknowledged"] for row in report["escalations"])
                    check(acknowledged >= 3, f"the JSON report counts {acknowledged} acknowledged escalations, not the complaint's 3")
                    still_open = [e for e in report["open_escalations"] if MASS_EMPLOYER in json.dumps(e, ensure_ascii=False)]
                    check(not still_open, f"the JSON report still lists {MASS_EMPLOYER}'s escalations as open: {still_open}")
                else:
                    text = data.decode("utf-8-sig")
                    word = {"zh": "周报", "en": "eekly"}[lang] if fmt == "md" else ""
                    check(word in text, f"{os.path.basename(path)} does not say {word!r}")
                print(f"    {os.path.basename(path)}: {size} bytes")
        a.go("/reports/scorecard?lang=zh")
        a.css("#scorecard, p.empty")
        a.shot("scorecard")
        a.sign_out()

    with a.step("w-l-admin-users"):
        a.sign_in(*admin)
        a.go("/admin/users")
        for name in (sector[0], inspector[0], official[0]):
            check(a.all_css(f"[data-field=user-{name}]"), f"/admin/users does not list {name}")
        a.shot("admin-users")
        a.type_into("form[action='/admin/users'] [name=name]", NEW_USER)
        a.choose("form[action='/admin/users'] [name=role]", "intake")
        a.choose("form[action='/admin/users'] [name=department]", "labor")
        a.type_into("form[action='/admin/users'] [name=region]", "410122")
        a.type_into("form[action='/admin/users'] [name=password]", "zhou-pass-1")
        a.submit_form("form[action='/admin/users']")
        check(a.all_css(f"[data-field=user-{NEW_USER}]"), f"after adding {NEW_USER} the list does not show them: {a.alerts()}")
        a.shot("admin-user-added")
        a.click_and_load(a.css(f"[data-field=user-{NEW_USER}]"))
        a.wait_path(rf"/admin/users/{NEW_USER}", f"{NEW_USER}'s page")
        a.shot("admin-user")

    with a.step("w-m-admin-password"):
        a.type_into(f"form[action='/admin/users/{NEW_USER}/password'] [name=password]", "zhou-pass-2")
        a.submit_form(f"form[action='/admin/users/{NEW_USER}/password']")
        check(not a.alerts(), f"resetting {NEW_USER}'s password: {a.alerts()}")
        check(a.notices(), f"resetting {NEW_USER}'s password said nothing")
        a.shot("admin-password-reset")
        said = b.sign_in_fails(NEW_USER, "zhou-pass-1")
        check(said, "signing in with the old password showed no [role=alert]")
        b.sign_in(NEW_USER, "zhou-pass-2")
        b.shot("new-user-signed-in")
        b.sign_out()

    with a.step("w-n-admin-disable-enable"):
        a.go(f"/admin/users/{NEW_USER}")
        a.click_and_load(a.css("#disable"))
        state = a.text("[data-field=login-state]")
        check("停用" in state, f"after disabling, [data-field=login-state] reads {state!r}")
        a.shot("admin-disabled")
        said = b.sign_in_fails(NEW_USER, "zhou-pass-2")
        check(said, "a disabled login's sign-in showed no [role=alert]")
        print(f"    disabled {NEW_USER}: {' | '.join(said)}")
        b.shot("disabled-sign-in-refused")
        a.click_and_load(a.css("#enable"))
        state = a.text("[data-field=login-state]")
        check("停用" not in state, f"after enabling, [data-field=login-state] reads {state!r}")
        a.shot("admin-enabled")
        b.sign_in(NEW_USER, "zhou-pass-2")
        b.sign_out()

    with a.step("w-o-admin-sign-ins"):
        a.go("/admin/sign-ins")
        rows = a.all_css("#sign-ins tbody tr")
        check(any(NEW_USER in r.text for r in rows), f"/admin/sign-ins does not show {NEW_USER}'s sign-ins")
        check(a.all_css("#sign-ins [data-event]"), "/admin/sign-ins names no events")
        a.shot("admin-sign-ins")

    with a.step("w-p-admin-configuration"):
        a.go("/admin/configuration")
        keys = int(a.text("[data-field=config-keys]") or "0")
        rows = a.all_css("#configuration tbody tr")
        check(keys > 10 and len(rows) == keys, f"/admin/configuration says {keys} keys and lists {len(rows)}")
        check("堵路" in a.text("#configuration"), "the configuration in force does not show the protest keywords")
        a.shot("admin-configuration")

    with a.step("w-q-admin-audit"):
        a.go("/admin/audit")
        result = a.text("[data-field=audit-result]")
        check(a.css("[data-field=audit-result]").get_attribute("role") == "status", f"audit verify is not intact: {result!r}")
        digest = a.text("[data-field=audit-last-hash]")
        check(re.fullmatch(r"[0-9a-f]{64}", digest), f"the last hash to write down is {digest!r}, not 64 hex digits")
        a.shot("admin-audit")
        print(f"    audit: {result} · last hash {digest[:16]}…")


def main():
    downloads = tempfile.mkdtemp(prefix="ww-downloads-")
    a = b = None
    failed = None
    try:
        a = Week(prefix="w", downloads=downloads)
        b = Week(prefix="wb")
        walk(a, b)
    except Exception as error:
        failed = error
    finally:
        for desk in (a, b):
            if desk is None:
                continue
            if failed is not None and desk.step_name != "start":
                shot = desk.save_failure()
            desk.quit()
        shutil.rmtree(downloads, ignore_errors=True)
    if failed is not None:
        message = failed.msg if isinstance(failed, WebDriverException) else (str(failed) or repr(failed))
        print(f"\nFAIL [{CURRENT[0]}] {message}", file=sys.stderr)
        if not isinstance(failed, (CheckFailed, AssertionError)):
            traceback.print_exception(failed, file=sys.stderr)
        print(f"     see FAILED-w*.png and .html in {env('WW_SCREENSHOTS')}", file=sys.stderr)
        return 1
    print(f"week walkthrough: every check passed; {a.shots + b.shots} screenshots in {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
