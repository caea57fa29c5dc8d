#!/usr/bin/env bash
# Compares `secureheaders csp evaluate --json` with Google's CSP Evaluator 1.1.8 (default + strict checks).
#   tools/compare-csp-evaluator.sh [POLICIES.txt] [--record]
# Without --record it compares against the committed recordings beside the policies
# (tests/SecureHeaders.Cli.Tests/CspAgreement/expected.jsonl); with --record it first re-records them with the
# real Evaluator (needs: bash ../shared/tools/reference-graders/setup.sh). The test
# CspEvaluatorAgreementTests asserts the same numbers without node.
set -euo pipefail
cd "$(dirname "$0")/.."
policies="${1:-tests/SecureHeaders.Cli.Tests/CspAgreement/policies.txt}"
expected="$(dirname "$policies")/expected.jsonl"
if [[ "${2:-}" == "--record" || "${1:-}" == "--record" ]]; then
  [[ "${1:-}" == "--record" ]] && policies=tests/SecureHeaders.Cli.Tests/CspAgreement/policies.txt && expected="$(dirname "$policies")/expected.jsonl"
  node tools/compare-csp-evaluator.mjs record "$policies" > "$expected"
fi
ours="$(mktemp)"
trap 'rm -f "$ours"' EXIT
dotnet build src/SecureHeaders.Cli -v q -nologo >&2
dotnet run --no-build --project src/SecureHeaders.Cli -- csp evaluate < "$policies" > "$ours"
node tools/compare-csp-evaluator.mjs compare "$expected" "$ours"
