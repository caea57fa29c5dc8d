#!/usr/bin/env bash
# Starts a local PostgreSQL for the store tests and prints the connection string on the last line.
# Installs the Debian server package when it is missing (needs root), starts the default cluster,
# and creates a user and database for the tests. Safe to run more than once.
#
#   export SECUREHEADERS_TEST_POSTGRES="$(tests/SecureHeaders.Reporting.PostgreSql.Tests/start-postgres.sh | tail -n 1)"
set -euo pipefail

DB_USER="${SECUREHEADERS_PG_USER:-secureheaders}"
DB_PASS="${SECUREHEADERS_PG_PASSWORD:-secureheaders}"
DB_NAME="${SECUREHEADERS_PG_DATABASE:-secureheaders_tests}"

if ! ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
  echo "Installing PostgreSQL..." >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >&2
  apt-get install -y -qq postgresql >&2
fi

# The newest installed major version and its default cluster.
VERSION="$(ls /usr/lib/postgresql | sort -n | tail -n 1)"
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$VERSION main"; then
  pg_createcluster "$VERSION" main >&2
fi
if ! pg_lsclusters -h | awk '$1=="'"$VERSION"'" && $2=="main" {print $4}' | grep -qx online; then
  pg_ctlcluster "$VERSION" main start >&2
fi

PORT="$(pg_lsclusters -h | awk '$1=="'"$VERSION"'" && $2=="main" {print $3}')"

# Wait until the server answers (start can return before it accepts connections).
for _ in $(seq 1 50); do
  if su postgres -c "psql -p $PORT -tAc 'SELECT 1'" >/dev/null 2>&1; then break; fi
  sleep 0.2
done

su postgres -c "psql -p $PORT -v ON_ERROR_STOP=1 -q" >&2 <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$DB_USER') THEN
    CREATE ROLE $DB_USER LOGIN PASSWORD '$DB_PASS';
  END IF;
END
\$\$;
SQL
if ! su postgres -c "psql -p $PORT -tAc \"SELECT 1 FROM pg_database WHERE datname = '$DB_NAME'\"" | grep -q 1; then
  su postgres -c "createdb -p $PORT -O $DB_USER $DB_NAME" >&2
fi

echo "Host=127.0.0.1;Port=$PORT;Database=$DB_NAME;Username=$DB_USER;Password=$DB_PASS"
