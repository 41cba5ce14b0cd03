#!/usr/bin/env bash
# A standby that takes over (the README's "A standby"): a primary with synchronous replication to
# a streaming replica made by `pg_basebackup -R`, so a commit is acknowledged only once the
# standby has it. While single transfers are posted one after another (each acknowledged by its
# command's exit 0) and a transfer import runs (one transaction), the primary is killed with
# SIGKILL mid-write; the standby is promoted and wagewatch pointed at it. Every acknowledged
# transfer is there, none twice, nothing of the killed import; re-running the import stores it
# once, re-running it and the acknowledged transfers again replays (their keys) instead of
# doubling, and `audit verify` passes. The counts are printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
. Tests/Ops/lib.sh
repo="$(pwd)"

bin="${WAGEWATCH_BIN:-.build/debug/wagewatch}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
work="$(mktemp -d /var/tmp/wagewatch-standby.XXXXXX)"
chmod 755 "$work"
mkdir -p "$work/p" "$work/s"
primary="$work/p/data"; psock="$work/psock"; pport="$(free_port)"
standby="$work/s/data"; ssock="$work/ssock"; sport=$((pport + 1))
loop_pid=""; import_pid=""
cleanup() {
    [ -z "$loop_pid" ] || kill "$loop_pid" 2>/dev/null || true
    [ -z "$import_pid" ] || kill "$import_pid" 2>/dev/null || true
    pg_stop "$primary" immediate
    pg_stop "$standby" immediate
    rm -rf "$work"
}
trap cleanup EXIT
[ "$(id -u)" -ne 0 ] || chown postgres:postgres "$work/p" "$work/s"

step "a primary with synchronous replication to a standby made by pg_basebackup -R"
new_cluster "$primary" "$psock" "$pport" "wal_level = replica" "max_wal_senders = 5" \
    "synchronous_standby_names = 'ww_standby'" "synchronous_commit = on"
pg_start "$primary"
as_pg "$pg_bindir/pg_basebackup" -h "$psock" -p "$pport" -U postgres -D "$standby" -R -X stream -c fast \
    -d "application_name=ww_standby" || fail "pg_basebackup failed"
printf "port = %s\nunix_socket_directories = '%s'\n" "$sport" "$ssock" | as_pg tee -a "$standby/postgresql.conf" >/dev/null
mkdir -p "$ssock"; chmod 700 "$ssock"; [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$ssock"
pg_start "$standby"
pq() { psql "$(cluster_url "$psock" "$pport" "${2:-postgres}")" -qAtc "$1"; }
sq() { psql "$(cluster_url "$ssock" "$sport" "${2:-wagewatch}")" -qAtc "$1"; }
for _ in $(seq 30); do [ "$(pq "SELECT sync_state FROM pg_stat_replication" 2>/dev/null)" = sync ] && break; sleep 1; done
[ "$(pq "SELECT sync_state FROM pg_stat_replication")" = sync ] || fail "the standby is not a synchronous replica"

url="$(cluster_url "$psock" "$pport" wagewatch)"
pq "CREATE DATABASE wagewatch" >/dev/null
env_now=(env WAGEWATCH_NOW= WAGEWATCH_REGION=410102)
w() { (cd "$work" && "${env_now[@]}" "$bin" --db "$url" "$@"); }
w db migrate >/dev/null 2>&1 || fail "db migrate failed"
w import employers "$repo/samples/employers.csv" >/dev/null || fail "import employers failed"
w project add --code ZZ-G107 --name G107改建工程 --type gov_transport --funding government \
    --owner 11410102MB0T48211D --contractor 91410102MA9G2K37XK --contract-value 1.2亿 --signed 2026-07-01 \
    --planned-start 2026-08-01 --planned-end 2027-06-30 --allocation-amount 48万 >/dev/null || fail "project add failed"
w account open wage:ZZ-G107 --bank 中国农业银行 --number 16010101040012345 --opened 2026-07-20 >/dev/null || fail "account open failed"

lines=20000
file="$work/transfers.csv"
{
    echo "key,occurred_at,from_account,to_account,amount,memo"
    for i in $(seq "$lines"); do echo "imp-$i,2026-08-01,external:财政,fund:ZZ-G107,$((100 + i % 50)),"; done
} >"$file"

step "single transfers, one after another, and an import of $lines; SIGKILL of the primary mid-write"
: >"$work/acked"
post() { w account transfer --key "ack-$1" --from external:财政 --to fund:ZZ-G107 --amount 10 --date 2026-08-02 >/dev/null 2>&1; }
( i=0; while :; do i=$((i + 1)); if post "$i"; then echo "ack-$i" >>"$work/acked"; fi; done ) &
loop_pid=$!
sleep 2
w import transfers "$file" >"$work/import.out" 2>&1 &
import_pid=$!
# Wait until the import's transaction has written (an xid) and is still going.
mid=""
for _ in $(seq 600); do
    if [ "$(pq "SELECT count(*) FROM pg_stat_activity WHERE datname = 'wagewatch' AND state = 'active'
               AND backend_xid IS NOT NULL AND query ILIKE '%transfer%' AND xact_start < now() - interval '1 second'" 2>/dev/null)" -ge 1 ]; then
        mid=1; break
    fi
    sleep 0.1
done
[ -n "$mid" ] || fail "the import was never seen mid-write (it finished first?)"
postmaster="$(head -1 "$primary/postmaster.pid")"
children="$(ps -o pid= --ppid "$postmaster" | tr '\n' ' ')"
kill -KILL "$postmaster" $children 2>/dev/null || true
acked_before="$(wc -l <"$work/acked")"
wait "$import_pid" && fail "the import finished although the primary was killed" || true
import_pid=""
sleep 1
kill "$loop_pid" 2>/dev/null || true; wait "$loop_pid" 2>/dev/null || true; loop_pid=""
acked="$(wc -l <"$work/acked")"
note "killed the primary mid-import; $acked single transfers acknowledged"

step "promote the standby; wagewatch on it"
as_pg "$pg_bindir/pg_ctl" -D "$standby" -w promote >/dev/null || fail "promote failed"
for _ in $(seq 30); do [ "$(sq "SELECT pg_is_in_recovery()")" = f ] && break; sleep 1; done
# It runs alone until a new standby is attached: its copied synchronous_standby_names would make
# every commit wait for a standby that is not there.
sq "ALTER SYSTEM SET synchronous_standby_names = ''" postgres >/dev/null
sq "SELECT pg_reload_conf()" postgres >/dev/null
url="$(cluster_url "$ssock" "$sport" wagewatch)"
found=0
while read -r key; do
    [ "$(sq "SELECT count(*) FROM transfers WHERE idempotency_key = '$key'")" = 1 ] || fail "acknowledged transfer $key is not on the standby exactly once"
    found=$((found + 1))
done <"$work/acked"
[ "$(sq "SELECT count(*) - count(DISTINCT idempotency_key) FROM transfers")" = 0 ] || fail "a transfer is there twice"
single="$(sq "SELECT count(*) FROM transfers WHERE idempotency_key LIKE 'ack-%'")"
imported="$(sq "SELECT count(*) FROM transfers WHERE idempotency_key LIKE 'imp-%'")"
[ "$imported" = 0 ] || fail "$imported rows of the killed import are on the standby (it never committed)"
note "on the standby: $found of $acked acknowledged transfers ($single single transfers in all: one may have committed unacknowledged), $imported of the killed import"

step "re-run: the import once, then everything again replays"
w import transfers "$file" >/dev/null 2>&1 || fail "the re-run import failed on the promoted standby"
[ "$(sq "SELECT count(*) FROM transfers WHERE idempotency_key LIKE 'imp-%'")" = "$lines" ] || fail "the re-run import did not store $lines transfers"
before="$(sq "SELECT count(*) FROM transfers")"
w import transfers "$file" >/dev/null 2>&1 || fail "the import re-run again failed (it must replay)"
replayed=0
while read -r key; do post "${key#ack-}" || fail "re-posting $key failed (it must replay)"; replayed=$((replayed + 1)); done <"$work/acked"
after="$(sq "SELECT count(*) FROM transfers")"
[ "$after" = "$before" ] || fail "re-running doubled transfers: $before before, $after after"
w audit verify >"$work/verify.txt" 2>&1 || { cat "$work/verify.txt" >&2; fail "audit verify failed on the promoted standby"; }
pass "failover: $acked acknowledged, $found found after promotion, none twice; import of $lines stored once; $lines + $replayed replayed without doubling; chain intact"
