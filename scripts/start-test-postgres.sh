#!/usr/bin/env bash
# Starts Debian's PostgreSQL for the store tests and prints the URL they take in
# FORMULARY_TEST_POSTGRES (a role that may create databases). Prints nothing, with a note on
# standard error, when no server can be started here (no postgresql package, or neither root
# nor sudo): the PostgreSQL half of the tests then skips and says so.
#   export FORMULARY_TEST_POSTGRES=$(scripts/start-test-postgres.sh)
set -uo pipefail
note() { echo "start-test-postgres: $*" >&2; }
if ! command -v pg_lsclusters >/dev/null 2>&1; then
  note "no PostgreSQL server installed (apt-get install postgresql); the PostgreSQL tests will be skipped"
  exit 0
fi
as_root=""
if [ "$(id -u)" -ne 0 ]; then
  if sudo -n true 2>/dev/null; then as_root="sudo"; else
    note "needs root or sudo to start PostgreSQL; the PostgreSQL tests will be skipped"
    exit 0
  fi
fi
cluster=$(pg_lsclusters -h 2>/dev/null | head -1)
if [ -z "$cluster" ]; then
  version=$(ls /usr/lib/postgresql | sort -V | tail -1)
  $as_root pg_createcluster "$version" main >/dev/null 2>&1 || { note "cannot create a cluster"; exit 0; }
  cluster=$(pg_lsclusters -h | head -1)
fi
set -- $cluster
version=$1 name=$2 port=$3
$as_root pg_ctlcluster "$version" "$name" start >/dev/null 2>&1 || true
for _ in $(seq 1 50); do
  pg_isready -q -h 127.0.0.1 -p "$port" && break
  sleep 0.2
done
if ! pg_isready -q -h 127.0.0.1 -p "$port"; then
  note "PostgreSQL $version/$name did not start; the PostgreSQL tests will be skipped"
  exit 0
fi
$as_root su postgres -c "psql -q -p $port -c \"DO \\\$\\\$ BEGIN CREATE ROLE formulary_test LOGIN PASSWORD 'formulary_test' CREATEDB; EXCEPTION WHEN duplicate_object THEN NULL; END \\\$\\\$\"" >/dev/null 2>&1 \
  || { note "cannot create the test role"; exit 0; }
echo "postgres://formulary_test:formulary_test@127.0.0.1:$port/postgres"
