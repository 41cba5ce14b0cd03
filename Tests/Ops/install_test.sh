#!/usr/bin/env bash
# scripts/install into a temporary --prefix (never the real /etc, no system user): the units pass
# `systemd-analyze verify` without a word, the binary needs nothing of the Swift toolchain and runs
# from an empty folder (its SQL is inside), its `--version` and `db status` work against a database
# it migrated itself, the service login of the units can be made with `user add`, and
# `--uninstall` leaves nothing behind but a configuration file the administrator changed.
# Run by ./scripts/test (full runs, or ./scripts/test --ops) with DATABASE_URL of a superuser.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Ops/lib.sh

ensure_packages systemd   # systemd-analyze (PID 1 need not be systemd: nothing is started)
: "${DATABASE_URL:?install_test.sh needs DATABASE_URL of a superuser (./scripts/test sets it)}"

work="$(mktemp -d /tmp/wagewatch-install.XXXXXX)"
prefix="$work/root"
db="ops_install_$$"
cleanup() {
    psql "$DATABASE_URL" -qAtc "DROP DATABASE IF EXISTS $db" >/dev/null 2>&1 || true
    rm -rf "$work"
}
trap cleanup EXIT

step "install into $prefix"
scripts/install --prefix "$prefix" ${WAGEWATCH_INSTALL_BINARY:+--binary "$WAGEWATCH_INSTALL_BINARY"} 2>"$work/install.log" \
    || { cat "$work/install.log" >&2; fail "scripts/install failed"; }
bin="$prefix/bin/wagewatch"
units=(wagewatch-serve.service wagewatch-watch.service wagewatch-rules.service wagewatch-rules.timer)
for f in bin/wagewatch etc/wagewatch/wagewatch.toml etc/wagewatch/wagewatch.env etc/wagewatch/serve.env \
         etc/sysusers.d/wagewatch.conf share/wagewatch/installed-files "${units[@]/#/etc/systemd/system/}"; do
    [ -f "$prefix/$f" ] || fail "install did not write $f"
done
for f in wagewatch.env serve.env wagewatch.toml; do
    mode="$(stat -c %a "$prefix/etc/wagewatch/$f")"
    [ "$mode" = 640 ] || fail "etc/wagewatch/$f has mode $mode, not 640"
done
grep -q '^user ' "$prefix/share/wagewatch/installed-files" && fail "a --prefix install made a system user"

step "systemd-analyze verify"
for unit in "${units[@]}"; do
    file="$prefix/etc/systemd/system/$unit"
    grep -q "^User=wagewatch$" "$file" || [ "${unit##*.}" = timer ] || fail "$unit does not run as the wagewatch user"
    grep -q "^Restart=on-failure$" "$file" || [ "${unit##*.}" = timer ] || fail "$unit does not restart on failure"
    grep -q "PostgreSQL login:" "$file" || [ "${unit##*.}" = timer ] || fail "$unit does not say which PostgreSQL login it uses"
done
# A unit systemd cannot parse only warns (exit 0): any word from verify fails the test.
(cd "$prefix/etc/systemd/system" && systemd-analyze verify "${units[@]}") >"$work/verify.log" 2>&1 \
    || { cat "$work/verify.log" >&2; fail "systemd-analyze verify failed"; }
[ ! -s "$work/verify.log" ] || { cat "$work/verify.log" >&2; fail "systemd-analyze verify complained"; }
# The hardening, as systemd itself rates it (0 safest … 10): a careful admin's units stay low.
for unit in wagewatch-serve.service wagewatch-watch.service wagewatch-rules.service; do
    score="$(cd "$prefix/etc/systemd/system" && systemd-analyze security --offline=yes "$unit" 2>/dev/null \
        | sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p')"
    [ -n "$score" ] || fail "systemd-analyze security gave no score for $unit"
    awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }' || fail "$unit: exposure $score (more than 2.5)"
    note "$unit: exposure $score"
done

step "the binary needs no toolchain and no source tree"
if ldd "$bin" | grep -E "not found|/opt/swift|libswiftCore|libFoundation" >&2; then
    fail "the installed binary needs the Swift toolchain's libraries"
fi
empty="$work/empty"
mkdir "$empty"
url="$(printf '%s' "$DATABASE_URL" | sed "s#/postgres?#/$db?#")"
psql "$DATABASE_URL" -qAtc "CREATE DATABASE $db" >/dev/null
run_installed() { (cd "$empty" && env -i PATH=/usr/bin:/bin HOME="$empty" "$bin" "$@"); }
version="$(run_installed --version)"
case "$version" in "wagewatch "*"(schema "*")") note "$version" ;; *) fail "--version printed \"$version\"" ;; esac
run_installed --db "$url" db migrate >"$work/migrate.log" 2>&1 || { cat "$work/migrate.log" >&2; fail "db migrate from an empty folder failed"; }
status="$(run_installed --db "$url" db status --json)" || fail "db status failed"
printf '%s' "$status" | tr -d ' \n' | grep -q '"pending":\[\]' || { echo "$status" >&2; fail "db status: migrations still pending"; }
[ -z "$(ls -A "$empty")" ] || fail "the installed binary wrote into its working folder: $(ls -A "$empty")"

step "the units' service login"
run_installed --db "$url" user add ww_service --role admin --department county_office >/dev/null \
    || fail "user add ww_service failed"
service_url="$(printf '%s' "$url" | sed 's#user=[^&]*#user=ww_service#')"
psql "$service_url" -qAtc "SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user" | grep -qx f \
    || fail "ww_service holds CREATEROLE or is a superuser"
run_installed --db "$service_url" --config "$prefix/etc/wagewatch/wagewatch.toml" rules run >"$work/rules.log" 2>&1 \
    || { cat "$work/rules.log" >&2; fail "rules run as ww_service, with the installed wagewatch.toml, failed"; }

step "uninstall"
cp "$bin" "$work/wagewatch"
echo "# the administrator's line" >>"$prefix/etc/wagewatch/wagewatch.env"
scripts/install --prefix "$prefix" --uninstall 2>"$work/uninstall.log" || { cat "$work/uninstall.log" >&2; fail "uninstall failed"; }
left="$(find "$prefix" -mindepth 1 | sort)"
[ "$left" = "$prefix/etc
$prefix/etc/wagewatch
$prefix/etc/wagewatch/wagewatch.env" ] || fail "uninstall left: $left (expected only the changed wagewatch.env)"
grep -q "kept $prefix/etc/wagewatch/wagewatch.env" "$work/uninstall.log" || fail "uninstall did not say it kept the changed file"
[ "$(psql "$DATABASE_URL" -qAtc "SELECT count(*) FROM pg_database WHERE datname = '$db'")" = 1 ] || fail "uninstall touched the database"
scripts/install --prefix "$prefix" --binary "$bin.missing" >/dev/null 2>&1 && fail "install of a missing binary succeeded"
# Install again over the kept file: it stays as changed, and --purge then removes everything.
scripts/install --prefix "$prefix" --binary "$work/wagewatch" 2>"$work/install2.log" || { cat "$work/install2.log" >&2; fail "second install failed"; }
grep -q "the administrator's line" "$prefix/etc/wagewatch/wagewatch.env" || fail "a second install overwrote the changed configuration"
scripts/install --prefix "$prefix" --uninstall --purge 2>/dev/null
[ ! -e "$prefix" ] || fail "uninstall --purge left: $(find "$prefix" | sort)"
pass "install: units verified, no toolchain, db status from an empty folder, uninstall left nothing"
