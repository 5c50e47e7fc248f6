#!/usr/bin/env bash
# Runs the given command against PostgreSQL: the DATABASE_URL given, or the local cluster
# (started here if it is not running). In CI (CI=true or RATSINFO_REQUIRE_POSTGRES=1) a missing
# PostgreSQL is an error; on a developer's machine without PostgreSQL it is skipped loudly.
set -euo pipefail

require=0
[ "${CI:-}" = "true" ] && require=1
[ "${RATSINFO_REQUIRE_POSTGRES:-0}" = "1" ] && require=1

fail_or_skip() {
  if [ "$require" = 1 ]; then
    echo "FEHLER: $1" >&2
    exit 1
  fi
  echo "############################################################" >&2
  echo "# PostgreSQL-Tests ÜBERSPRUNGEN: $1" >&2
  echo "# Setzen Sie DATABASE_URL=postgres://… oder installieren Sie PostgreSQL." >&2
  echo "############################################################" >&2
  exit 0
}

if [ -z "${DATABASE_URL:-}" ] || [[ "${DATABASE_URL}" != postgres* ]]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    if command -v pg_ctlcluster >/dev/null 2>&1 && [ -d /etc/postgresql ]; then
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
      pg_ctlcluster --skip-systemctl-redirect "$version" main start || fail_or_skip "PostgreSQL $version ließ sich nicht starten."
      for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
    else
      fail_or_skip "kein PostgreSQL auf diesem Rechner (pg_ctlcluster fehlt)."
    fi
  fi
  pg_isready -q -h 127.0.0.1 -p 5432 || fail_or_skip "PostgreSQL antwortet nicht auf 127.0.0.1:5432."
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/ratsinfo"
fi

echo "PostgreSQL-Testlauf gegen ${DATABASE_URL%%@*}@…" >&2
exec "$@"
