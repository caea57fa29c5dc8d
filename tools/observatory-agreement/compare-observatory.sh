#!/usr/bin/env bash
# Agreement check between `secureheaders scan --json` and the real Mozilla HTTP Observatory (1.4.8 by default) on live loopback
# servers. Needs node, dotnet and the reference graders (bash ../shared/tools/reference-graders/setup.sh).
# Usage: tools/observatory-agreement/compare-observatory.sh [SETS_DIR] [--limit N] [--observatory 1.4.8|1.6.3|main]
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sets="${1:-$root/tests/SecureHeaders.Analysis.Tests/ObservatoryAgreement/sets}"
shift || true
dotnet build "$root/src/SecureHeaders.Cli" -nologo -v q >/dev/null
exec python3 "$here/compare-live.py" "$sets" "$@"
