# Start PostgreSQL 15 and Redis from apt on loopback ports for the test run.
# Sourced by .ci/run; usable by hand: `source .ci/services.sh; start_services`.

CI_PG_PORT=${CI_PG_PORT:-54329}
CI_REDIS_PORT=${CI_REDIS_PORT:-63799}
CI_SERVICES_DIR=${CI_SERVICES_DIR:-/tmp/warta-ci-services}
SUDO=$([ "$(id -u)" = 0 ] || echo sudo)

_pg_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  echo "$dir"
}

start_services() {
  if [ -z "$(_pg_bin)" ] || ! command -v redis-server >/dev/null 2>&1; then
    $SUDO apt-get update -qq
    $SUDO apt-get install -y -qq postgresql redis-server >/dev/null
  fi
  local bin; bin=$(_pg_bin)
  rm -rf "$CI_SERVICES_DIR"; mkdir -p "$CI_SERVICES_DIR"
  local run_as=()
  if [ "$(id -u)" = 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home "$CI_SERVICES_DIR" postgres
    chown -R postgres "$CI_SERVICES_DIR"
    run_as=(runuser -u postgres --)
  fi
  "${run_as[@]}" "$bin/initdb" -D "$CI_SERVICES_DIR/pg" -U warta --auth=trust -E UTF8 >/dev/null
  "${run_as[@]}" "$bin/pg_ctl" -D "$CI_SERVICES_DIR/pg" -l "$CI_SERVICES_DIR/pg.log" -w \
     -o "-p $CI_PG_PORT -k $CI_SERVICES_DIR -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" start >/dev/null
  "$bin/createdb" -h 127.0.0.1 -p "$CI_PG_PORT" -U warta warta_test
  redis-server --port "$CI_REDIS_PORT" --bind 127.0.0.1 --save '' --appendonly no --daemonize yes \
    --pidfile "$CI_SERVICES_DIR/redis.pid" --logfile "$CI_SERVICES_DIR/redis.log"
  export CI_DATABASE_URL="postgresql://warta@127.0.0.1:$CI_PG_PORT/warta_test"
  export CI_REDIS_URL="redis://127.0.0.1:$CI_REDIS_PORT/0"
  echo "PostgreSQL on $CI_PG_PORT, Redis on $CI_REDIS_PORT"
}

stop_services() {
  local bin; bin=$(_pg_bin)
  local run_as=()
  [ "$(id -u)" = 0 ] && run_as=(runuser -u postgres --)
  "${run_as[@]}" "$bin/pg_ctl" -D "$CI_SERVICES_DIR/pg" -m fast stop >/dev/null 2>&1 || true
  [ -f "$CI_SERVICES_DIR/redis.pid" ] && kill "$(cat "$CI_SERVICES_DIR/redis.pid")" 2>/dev/null || true
}
