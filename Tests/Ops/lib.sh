# Shared by the shell tests of Tests/Ops/ (run by ./scripts/test): messages, failure, and
# throwaway PostgreSQL clusters of their own (as the postgres OS user when run as root).
# shellcheck shell=bash
. scripts/lib.sh

ops_test="$(basename "$0" .sh)"
step() { printf '\033[1m--> %s: %s\033[0m\n' "$ops_test" "$*" >&2; }
note() { printf '    %s\n' "$*" >&2; }
fail() { printf '\033[1;31mFAIL %s: %s\033[0m\n' "$ops_test" "$*" >&2; exit 1; }
pass() { printf '\033[1;32mPASS %s: %s\033[0m\n' "$ops_test" "$*" >&2; }

pg_bindir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
# Runs a command as the OS user that owns the clusters (postgres under root, else oneself).
as_pg() {
    if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
# A port number for a cluster's socket name: the clusters listen on no TCP address, each on a
# socket in a folder of its own, so any number will do.
free_port() { echo $((20000 + RANDOM % 20000)); }
# new_cluster DATA SOCKET PORT [extra postgresql.conf lines]: initdb (trust on its own socket only,
# the folder mode 700) and the settings given; not started.
new_cluster() {
    local data="$1" sock="$2" port="$3"
    shift 3
    mkdir -p "$sock"
    chmod 700 "$sock"
    [ "$(id -u)" -ne 0 ] || chown postgres:postgres "$sock" "$(dirname "$data")"
    as_pg "$pg_bindir/initdb" -D "$data" -U postgres -A trust -E UTF8 --no-locale --no-sync >/dev/null
    {
        echo "listen_addresses = ''"
        echo "unix_socket_directories = '$sock'"
        echo "port = $port"
        echo "timezone = 'Asia/Shanghai'"
        for line in "$@"; do echo "$line"; done
    } | as_pg tee -a "$data/postgresql.conf" >/dev/null
}
pg_start() { as_pg "$pg_bindir/pg_ctl" -D "$1" -l "$1.log" -w -t 60 start >/dev/null || { tail -20 "$1.log" >&2; fail "PostgreSQL in $1 did not start"; }; }
pg_stop() { as_pg "$pg_bindir/pg_ctl" -D "$1" -m "${2:-fast}" -w stop >/dev/null 2>&1 || true; }
# The URL of database DB on the cluster listening on SOCKET:PORT, as the superuser.
cluster_url() { printf 'postgresql:///%s?host=%s&port=%s&user=postgres' "$3" "$1" "$2"; }
