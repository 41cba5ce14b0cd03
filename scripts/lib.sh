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
