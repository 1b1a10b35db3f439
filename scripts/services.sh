#!/usr/bin/env bash
# Make sure PostgreSQL and Redis answer on 127.0.0.1 for the test suite: use them when they run,
# start them when they are installed but stopped, and otherwise say exactly what is missing.
set -u
missing=()

pg_up() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }
redis_up() { redis-cli -h 127.0.0.1 -p 6379 ping 2>/dev/null | grep -q PONG; }

if ! command -v pg_isready >/dev/null; then
  missing+=("PostgreSQL client tools (apt-get install postgresql)")
elif ! pg_up; then
  if command -v pg_ctlcluster >/dev/null && ls /etc/postgresql >/dev/null 2>&1; then
    echo "services: starting PostgreSQL"
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start || true
    for _ in $(seq 20); do pg_up && break; sleep 0.5; done
  fi
  pg_up || missing+=("PostgreSQL on 127.0.0.1:5432 with trust auth for user postgres (apt-get install postgresql)")
fi

if ! redis_up; then
  if command -v redis-server >/dev/null; then
    echo "services: starting Redis"
    mkdir -p /tmp/samsok-redis
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no \
      --dir /tmp/samsok-redis --logfile /tmp/samsok-redis/redis.log >/dev/null || true
    for _ in $(seq 20); do redis_up && break; sleep 0.25; done
  fi
  redis_up || missing+=("Redis on 127.0.0.1:6379 (apt-get install redis-server)")
fi

if [ ${#missing[@]} -gt 0 ]; then
  echo "make test needs these services and could not find or start them:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  exit 1
fi
# Test databases are named test_samsok_<pid>; drop those whose test run is gone (killed runs).
for db in $(psql -h 127.0.0.1 -U postgres -Atc "SELECT datname FROM pg_database WHERE datname ~ '^test_samsok_[0-9]+$'" 2>/dev/null); do
  kill -0 "${db##*_}" 2>/dev/null || psql -h 127.0.0.1 -U postgres -qc "DROP DATABASE IF EXISTS \"$db\"" >/dev/null 2>&1 || true
done
echo "services: PostgreSQL and Redis are up on 127.0.0.1"
