#!/usr/bin/env bash
# A real Temporal server (not the dev server) on PostgreSQL, for this machine:
#
#   bash infra/temporal-server.sh build          # go build the server and temporal-sql-tool, once per version
#   bash infra/temporal-server.sh start [--fresh] # PostgreSQL cluster + schemas + server, waits until it answers
#   bash infra/temporal-server.sh stop [--wipe]  # stops both; --wipe also removes their data
#   bash infra/temporal-server.sh status | env
#
# The binaries go to a machine-level cache (~/.cache/kafka-lab/temporal-server/<version>/bin), so
# every clone on this machine reuses them. PostgreSQL is Debian's (apt-get install postgresql when
# missing), a throwaway cluster of its own (initdb) on 127.0.0.1:5433 with its data under
# /var/tmp. Nothing here is meant for production: one process runs every service, the database
# password is generated and kept next to the data.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
MOD_DIR="$ROOT/infra/temporal-server"

say() { printf '· temporal-server: %s\n' "$*" >&2; }
die() {
  printf 'error: %s\n' "$*" >&2
  exit 3
}

VERSION="$(awk '$1 == "go.temporal.io/server" { print $2 }' "$MOD_DIR/go.mod")"
[ -n "$VERSION" ] || die "no go.temporal.io/server version in $MOD_DIR/go.mod (fix: restore the file from git)"
CACHE="${LAB_TEMPORAL_SERVER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/kafka-lab/temporal-server}/$VERSION"
BIN="$CACHE/bin"
STATE="${LAB_TEMPORAL_SERVER_STATE:-/var/tmp/kafka-lab-temporal-server}"
PORT="${LAB_TEMPORAL_SERVER_PORT:-7300}"
PG_PORT="${LAB_TEMPORAL_PG_PORT:-5433}"
is_root() { [ "$(id -u)" = 0 ]; }

go_bin() {
  if command -v go >/dev/null 2>&1; then
    command -v go
  elif [ -x /usr/local/go/bin/go ]; then
    echo /usr/local/go/bin/go
  else
    die "Go is needed to build the Temporal server $VERSION (fix: install Go >= $(awk '$1 == "go" { print $2 }' "$MOD_DIR/go.mod"))"
  fi
}

build() {
  if [ -x "$BIN/temporal-server" ] && [ -x "$BIN/temporal-sql-tool" ] && [ -d "$CACHE/schema/postgresql" ]; then
    return 0
  fi
  mkdir -p "$CACHE"
  # Two clones building at once: the second waits for the first and then finds the binaries.
  exec 9>"$CACHE/.build.lock"
  flock 9
  if [ -x "$BIN/temporal-server" ] && [ -x "$BIN/temporal-sql-tool" ] && [ -d "$CACHE/schema/postgresql" ]; then
    return 0
  fi
  local go start tmp src
  go="$(go_bin)"
  start=$(date +%s)
  tmp="$(mktemp -d "$CACHE/.build.XXXXXX")"
  say "building go.temporal.io/server $VERSION with $("$go" env GOVERSION) through the Go module proxy (a few minutes, once per machine)"
  # GOTOOLCHAIN=local: go.mod asks for no newer Go than the one installed.
  (cd "$MOD_DIR" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS=-mod=mod "$go" build -trimpath -o "$tmp/temporal-server" go.temporal.io/server/cmd/server) ||
    die "building the Temporal server failed (fix: check the Go module proxy is reachable, GOPROXY=$("$go" env GOPROXY))"
  (cd "$MOD_DIR" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" GOFLAGS=-mod=mod "$go" build -trimpath -o "$tmp/temporal-sql-tool" go.temporal.io/server/cmd/tools/sql) ||
    die "building temporal-sql-tool failed (fix: check the Go module proxy is reachable)"
  # The versioned SQL schemas ship in the module, not in the binaries.
  src="$(cd "$MOD_DIR" && GOTOOLCHAIN="${GOTOOLCHAIN:-local}" "$go" list -m -f '{{.Dir}}' go.temporal.io/server)"
  mkdir -p "$tmp/schema"
  cp -r "$src/schema/postgresql" "$tmp/schema/"
  chmod -R u+w "$tmp/schema"
  rm -rf "$BIN" "$CACHE/schema"
  mkdir -p "$BIN"
  mv "$tmp/temporal-server" "$tmp/temporal-sql-tool" "$BIN/"
  mv "$tmp/schema" "$CACHE/schema"
  rm -rf "$tmp"
  say "built $BIN in $(($(date +%s) - start)) s"
}

pg_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
  if [ -z "$d" ]; then
    is_root || die "PostgreSQL is missing (fix: sudo apt-get install postgresql)"
    say "apt-get install postgresql"
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql >/dev/null
    d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)"
    [ -n "$d" ] || die "PostgreSQL did not install (fix: apt-get install postgresql)"
  fi
  echo "$d"
}

# PostgreSQL refuses to run as root: as root, its commands run as the postgres user.
as_pg() {
  if is_root; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_running() { [ -f "$STATE/pgdata/postmaster.pid" ] && as_pg "$(pg_bindir)/pg_ctl" -D "$STATE/pgdata" status >/dev/null 2>&1; }
server_pid() { [ -f "$STATE/server.pid" ] && kill -0 "$(cat "$STATE/server.pid")" 2>/dev/null && cat "$STATE/server.pid"; }

start_postgres() {
  local pgbin
  pgbin="$(pg_bindir)"
  mkdir -p "$STATE"
  if [ ! -f "$STATE/pgdata/PG_VERSION" ]; then
    say "initdb $STATE/pgdata (PostgreSQL $("$pgbin/postgres" --version | awk '{print $3}'), port $PG_PORT)"
    mkdir -p "$STATE/pgdata" "$STATE/pgsock"
    is_root && chown postgres: "$STATE/pgdata" "$STATE/pgsock"
    chmod 700 "$STATE/pgdata"
    # The superuser only over the socket in $STATE; TCP (Temporal) needs the password.
    as_pg "$pgbin/initdb" -D "$STATE/pgdata" -U postgres --auth-local=trust --auth-host=scram-sha-256 >"$STATE/initdb.log" 2>&1 ||
      die "initdb failed (fix: read $STATE/initdb.log)"
    rm -f "$STATE/pg-password"
  fi
  if ! pg_running; then
    is_root && chown postgres: "$STATE/pgsock"
    touch "$STATE/postgres.log"
    is_root && chown postgres: "$STATE/postgres.log"
    as_pg "$pgbin/pg_ctl" -D "$STATE/pgdata" -l "$STATE/postgres.log" -w -t 60 \
      -o "-p $PG_PORT -k $STATE/pgsock -c listen_addresses=127.0.0.1" start >/dev/null ||
      die "PostgreSQL did not start on 127.0.0.1:$PG_PORT (fix: free the port or set LAB_TEMPORAL_PG_PORT; log $STATE/postgres.log)"
  fi
  if [ ! -s "$STATE/pg-password" ]; then
    (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' >"$STATE/pg-password")
    as_pg "$pgbin/psql" -h "$STATE/pgsock" -p "$PG_PORT" -U postgres -qAt -v ON_ERROR_STOP=1 -v pw="$(cat "$STATE/pg-password")" >/dev/null <<'SQL' ||
SELECT 'CREATE ROLE temporal LOGIN CREATEDB' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'temporal') \gexec
ALTER ROLE temporal PASSWORD :'pw';
SQL
      die "creating the temporal database role failed (fix: read $STATE/postgres.log)"
  fi
}

setup_schemas() {
  local db dir
  for db in temporal temporal_visibility; do
    dir=temporal
    [ "$db" = temporal_visibility ] && dir=visibility
    # create-database, setup-schema and update-schema are idempotent: a second start only checks.
    SQL_PASSWORD="$(cat "$STATE/pg-password")" "$BIN/temporal-sql-tool" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --db "$db" \
      create-database >>"$STATE/schema.log" 2>&1 || true
    SQL_PASSWORD="$(cat "$STATE/pg-password")" "$BIN/temporal-sql-tool" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --db "$db" \
      setup-schema -v 0.0 >>"$STATE/schema.log" 2>&1 ||
      die "temporal-sql-tool setup-schema $db failed (fix: read $STATE/schema.log)"
    SQL_PASSWORD="$(cat "$STATE/pg-password")" "$BIN/temporal-sql-tool" --plugin postgres12 --ep 127.0.0.1 -p "$PG_PORT" -u temporal --db "$db" \
      update-schema -d "$CACHE/schema/postgresql/v12/$dir/versioned" >>"$STATE/schema.log" 2>&1 ||
      die "temporal-sql-tool update-schema $db failed (fix: read $STATE/schema.log)"
  done
}

render_config() {
  (umask 077 && sed \
    -e "s|@PG_PORT@|$PG_PORT|g" \
    -e "s|@PG_PASSWORD@|$(cat "$STATE/pg-password")|g" \
    -e "s|@FRONTEND_PORT@|$PORT|g" \
    -e "s|@FRONTEND_MEMBERSHIP_PORT@|$((PORT + 1))|g" \
    -e "s|@FRONTEND_HTTP_PORT@|$((PORT + 2))|g" \
    -e "s|@METRICS_PORT@|$((PORT + 9))|g" \
    -e "s|@HISTORY_PORT@|$((PORT + 10))|g" \
    -e "s|@HISTORY_MEMBERSHIP_PORT@|$((PORT + 11))|g" \
    -e "s|@MATCHING_PORT@|$((PORT + 20))|g" \
    -e "s|@MATCHING_MEMBERSHIP_PORT@|$((PORT + 21))|g" \
    -e "s|@WORKER_PORT@|$((PORT + 30))|g" \
    -e "s|@WORKER_MEMBERSHIP_PORT@|$((PORT + 31))|g" \
    -e "s|@DYNAMIC_CONFIG@|$MOD_DIR/dynamicconfig.yaml|g" \
    "$MOD_DIR/config.yaml.tmpl" >"$STATE/config.yaml")
}

start() {
  local fresh=
  [ "${1:-}" = --fresh ] && fresh=1
  [ -n "$fresh" ] && stop --wipe
  if server_pid >/dev/null; then
    say "already running (pid $(server_pid)) on 127.0.0.1:$PORT"
    return 0
  fi
  build
  local t0 t1
  t0=$(date +%s.%N)
  start_postgres
  setup_schemas
  render_config
  say "starting the server on 127.0.0.1:$PORT (log $STATE/server.log)"
  nohup "$BIN/temporal-server" --config-file "$STATE/config.yaml" --allow-no-auth start >>"$STATE/server.log" 2>&1 &
  echo $! >"$STATE/server.pid"
  t1=$(date +%s.%N)
  # Waits until the frontend answers, registers namespace default and waits until it is usable.
  (cd "$ROOT" && TEMPORAL_ADDRESS="127.0.0.1:$PORT" node -r tsx/cjs infra/temporal-server/ready.ts "$(cat "$STATE/server.pid")") ||
    die "the Temporal server did not become ready (fix: read $STATE/server.log)"
  say "ready on 127.0.0.1:$PORT: PostgreSQL and schemas $(awk "BEGIN{printf \"%.1f\", $t1-$t0}") s, server $(awk "BEGIN{printf \"%.1f\", $(date +%s.%N)-$t1}") s"
}

stop() {
  local pid
  if pid="$(server_pid)"; then
    kill -TERM "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -KILL "$pid" 2>/dev/null || true
    say "server stopped"
  fi
  rm -f "$STATE/server.pid"
  if pg_running; then
    as_pg "$(pg_bindir)/pg_ctl" -D "$STATE/pgdata" -m fast -w stop >/dev/null
    say "PostgreSQL stopped"
  fi
  if [ "${1:-}" = --wipe ]; then rm -rf "$STATE"; fi
}

status() {
  local pid
  if pid="$(server_pid)"; then echo "server: running (pid $pid) on 127.0.0.1:$PORT"; else echo "server: stopped"; fi
  if pg_running; then echo "postgresql: running on 127.0.0.1:$PG_PORT ($STATE/pgdata)"; else echo "postgresql: stopped"; fi
  if [ -x "$BIN/temporal-server" ]; then echo "binaries: $BIN"; else echo "binaries: not built"; fi
  [ -n "$pid" ]
}

case "${1:-}" in
  build) build ;;
  start) start "${2:-}" ;;
  stop) stop "${2:-}" ;;
  status) status ;;
  env) printf 'export TEMPORAL_ADDRESS=127.0.0.1:%s\nexport TEMPORAL_NAMESPACE=default\n' "$PORT" ;;
  bin) echo "$BIN" ;;
  *)
    echo "usage: $0 build | start [--fresh] | stop [--wipe] | status | env | bin" >&2
    exit 2
    ;;
esac
