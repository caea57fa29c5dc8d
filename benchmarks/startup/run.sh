#!/usr/bin/env bash
# Startup cost of SecureHeaders, side by side: a minimal API without it (MinimalApp) and the same app with the two
# lines (MinimalAppSecureHeaders), both published in Release, each started RUNS times in alternating order; prints
# the time to the first HTTPS response of each (medians, quartiles) and the difference. Only 127.0.0.1 is used.
# HTTP=1 measures plain HTTP instead (the SecureHeaders app then answers with its HTTPS redirect, unless
# SecureHeaders__ForceHttps__Enabled=false is set in the environment, which both apps inherit).
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
RUNS="${RUNS:-40}"
WARMUP="${WARMUP:-3}"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

echo "Building (Release)..." >&2
dotnet publish "$HERE/MinimalApp" -c Release -o "$WORK/bare" --nologo -v q >/dev/null
dotnet publish "$HERE/MinimalAppSecureHeaders" -c Release -o "$WORK/secureheaders" --nologo -v q >/dev/null
dotnet build "$HERE/StartupTimer" -c Release -o "$WORK/timer" --nologo -v q >/dev/null

dotnet "$WORK/timer/StartupTimer.dll" --runs "$RUNS" --warmup "$WARMUP" ${HTTP:+--http} \
  --expect-header SecureHeaders=Content-Security-Policy \
  "Bare=$WORK/bare/MinimalApp.dll" "SecureHeaders=$WORK/secureheaders/MinimalAppSecureHeaders.dll"
