# Shared by scripts/demo, scripts/test and scripts/bench: install what is missing, build.
# shellcheck shell=bash

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
        echo "need root to run: $*" >&2; return 1; fi
}

# Installs Debian packages only when one of them is absent.
ensure_packages() {
    local missing=()
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        log "installing ${missing[*]}"
        as_root apt-get update -qq
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

ensure_toolchain() {
    command -v swift >/dev/null || { echo "swift is not on PATH (expected /opt/swift/usr/bin)" >&2; exit 1; }
    local pkgs=(libpq-dev pkg-config)
    # The server, for the embedded cluster, unless the user brings a database.
    [ -n "${DATABASE_URL:-}" ] || pkgs+=(postgresql)
    ensure_packages "${pkgs[@]}"
}

# WAGEWATCH_SCRATCH names a second build folder (.build-NAME), so that two builds can run side by side.
swift_flags=()
if [ -n "${WAGEWATCH_SCRATCH:-}" ]; then swift_flags=(--scratch-path "$WAGEWATCH_SCRATCH"); fi

build() {
    log "building wagewatch ($1)"
    swift build "${swift_flags[@]}" -c "$1" --product wagewatch >&2
}

# For scripts/browser-test: headless Chromium with its driver, CJK fonts for the screenshots, and
# Selenium in a virtualenv of its own (pip --user is refused by an externally managed Python, and a
# venv works the same as root and as a normal user). Sets browser_python to that venv's python.
browser_venv="${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/wagewatch/venv"
browser_python="$browser_venv/bin/python"
selenium_requirement='selenium>=4.20,<5'
# The API's fuzzer (scripts/api-test), in the same virtualenv.
api_python="$browser_python"
schemathesis_requirement='schemathesis>=4.3,<5'
ensure_browser_tools() {
    ensure_packages chromium chromium-driver fonts-noto-cjk
    if [ ! -x "$browser_python" ] || ! "$browser_python" -c 'import selenium' 2>/dev/null; then
        command -v python3 >/dev/null || ensure_packages python3
        # A venv whose Python went away (an upgrade, another pyenv version) is made anew.
        "$browser_python" -c '' 2>/dev/null || rm -rf "$browser_venv"
        if [ ! -x "$browser_python" ]; then
            log "creating a Python virtualenv in $browser_venv"
            mkdir -p "$(dirname "$browser_venv")"
            if ! python3 -m venv "$browser_venv" 2>/dev/null; then
                # Debian's own python3 makes venvs only with python3-venv (ensurepip).
                rm -rf "$browser_venv"
                ensure_packages python3-venv
                python3 -m venv "$browser_venv"
            fi
        fi
        log "installing $selenium_requirement into $browser_venv"
        "$browser_python" -m pip install -q --disable-pip-version-check "$selenium_requirement" >&2
    fi
}

# Schemathesis for scripts/api-test, installed into the browser tools' virtualenv when absent.
ensure_api_tools() {
    ensure_browser_tools
    if ! "$api_python" -c 'import schemathesis' 2>/dev/null; then
        log "installing $schemathesis_requirement into $browser_venv"
        "$api_python" -m pip install -q --disable-pip-version-check "$schemathesis_requirement" >&2
    fi
}
