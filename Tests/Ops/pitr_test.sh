#!/usr/bin/env bash
# Point-in-time recovery with pgBackRest (the README's "Point-in-time recovery"), on a throwaway
# cluster of its own: WAL archiving on, a full backup, writes A, the time, writes B, then a restore
# to that time. Exactly A is there (B is not), and `audit verify` passes on the restored database.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Ops/lib.sh

ensure_packages pgbackrest
bin="${WAGEWATCH_BIN:-.build/debug/wagewatch}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
work="$(mktemp -d /var/tmp/wagewatch-pitr.XXXXXX)"
chmod 755 "$work"
data="$work/pg/data"
sock="$work/sock"
port="$(free_port)"
stanza=wagewatch
conf="$work/pgbackrest.conf"
mkdir -p "$work/pg" "$work/repo" "$work/log" "$work/lock" "$work/spool"
cleanup() {
    pg_stop "$data" immediate
    rm -rf "$work"
}
trap cleanup EXIT

# The README's configuration, with this test's folders.
cat >"$conf" <<EOF
[global]
repo1-path=$work/repo
repo1-retention-full=2
log-path=$work/log
lock-path=$work/lock
spool-path=$work/spool
log-level-console=warn
start-fast=y

[$stanza]
pg1-path=$data
pg1-socket-path=$sock
pg1-port=$port
EOF
[ "$(id -u)" -ne 0 ] || chown -R postgres:postgres "$work"
backrest() { as_pg pgbackrest --config="$conf" --stanza="$stanza" "$@"; }

step "a cluster with WAL archiving through pgBackRest"
new_cluster "$data" "$sock" "$port" \
    "wal_level = replica" "archive_mode = on" \
    "archive_command = 'pgbackrest --config=$conf --stanza=$stanza archive-push %p'" \
    "max_wal_senders = 3"
pg_start "$data"
url="$(cluster_url "$sock" "$port" wagewatch)"
as_pg "$pg_bindir/createdb" -h "$sock" -p "$port" -U postgres wagewatch
w() { (cd "$work" && WAGEWATCH_NOW= "$bin" --db "$url" "$@"); }
w db migrate >/dev/null 2>&1 || fail "db migrate failed"
w user add pitr_base --role official --department county_office >/dev/null
backrest stanza-create >/dev/null || fail "pgbackrest stanza-create failed"
backrest check >/dev/null || fail "pgbackrest check (archiving) failed"

step "full backup, writes A, the time, writes B"
backrest backup --type=full >/dev/null || fail "pgbackrest backup failed"
w user add pitr_a --role intake --department labor --region 410102 >/dev/null
q() { psql "$url" -qAtc "$1"; }
sleep 1.1
target="$(q "SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') || '+00'")"
sleep 1.1
w user add pitr_b --role intake --department labor --region 410102 >/dev/null
w user disable pitr_a >/dev/null
audit_rows_b="$(q "SELECT count(*) FROM audit_log")"
# Close the WAL segment holding B, so that the archive has everything (as the server would soon).
q "SELECT pg_switch_wal()" >/dev/null
backrest check >/dev/null || fail "pgbackrest check after the writes failed"
note "restore target $target; $audit_rows_b audit rows before the restore"

step "restore to the time"
pg_stop "$data"
backrest restore --delta --type=time "--target=$target" --target-action=promote >/dev/null || fail "pgbackrest restore failed"
pg_start "$data"
for _ in $(seq 60); do
    [ "$(q "SELECT pg_is_in_recovery()" 2>/dev/null)" = f ] && break
    sleep 1
done
[ "$(q "SELECT pg_is_in_recovery()")" = f ] || fail "the restored cluster did not finish recovery"

users="$(q "SELECT string_agg(name, ',' ORDER BY name) FROM users WHERE name LIKE 'pitr_%'")"
[ "$users" = "pitr_a,pitr_base" ] || fail "after the restore the users are \"$users\", not pitr_a,pitr_base (A without B)"
[ "$(q "SELECT rolcanlogin FROM pg_roles WHERE rolname = 'pitr_a'")" = t ] \
    || fail "pitr_a's disabling (a write after the time) survived the restore"
audit_rows="$(q "SELECT count(*) FROM audit_log")"
[ "$audit_rows" -lt "$audit_rows_b" ] || fail "the audit log kept rows written after the time ($audit_rows of $audit_rows_b)"
w audit verify >"$work/verify.txt" 2>&1 || { cat "$work/verify.txt" >&2; fail "audit verify failed after the restore"; }
grep -q "chain intact" "$work/verify.txt" || fail "audit verify did not say chain intact: $(cat "$work/verify.txt")"
pass "point-in-time recovery: A present, B absent, $audit_rows audit rows (of $audit_rows_b) and the chain intact"
