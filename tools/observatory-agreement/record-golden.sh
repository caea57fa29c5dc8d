#!/usr/bin/env bash
# Grades every header set with the real Mozilla HTTP Observatory 1.4.8 (through the reference tool
# observatory-headers.mjs, which serves the set on loopback and runs the package's unmodified scan()) and
# stores the summaries as golden files. The .NET tests compare `secureheaders grade` with these files offline.
# Usage: [OBSERVATORY=1.4.8|1.6.3|main] tools/observatory-agreement/record-golden.sh [SETS_DIR] [GOLDEN_DIR]
# 1.4.8 writes golden/, the others golden-<version>/ (1.6.3 and main need their trees under the graders' cache).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
sets="${1:-$root/tests/SecureHeaders.Analysis.Tests/ObservatoryAgreement/sets}"
version="${OBSERVATORY:-1.4.8}"
suffix=""; [ "$version" = "1.4.8" ] || suffix="-$version"
golden="${2:-$root/tests/SecureHeaders.Analysis.Tests/ObservatoryAgreement/golden$suffix}"
graders="${REFERENCE_GRADERS:-$root/../shared/tools/reference-graders}"
[ -f "$graders/observatory-headers.mjs" ] || graders=/work/shared/tools/reference-graders
mkdir -p "$golden"
count=0
for set in "$sets"/*.json; do
  name="$(basename "$set" .json)"
  transport="$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get("transport","https"))' "$set")"
  node "$graders/observatory-headers.mjs" "$set" --summary --transport "$transport" --observatory "$version" \
    | python3 -c 'import json,sys; d=json.load(sys.stdin); d.pop("anchor",None); print(json.dumps(d, indent=2, sort_keys=True))' \
    > "$golden/$name.json" || true
  count=$((count + 1))
done
echo "recorded $count golden results in $golden"
