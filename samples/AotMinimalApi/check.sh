#!/usr/bin/env bash
# Publishes the sample with Native AOT, starts the native binary in Production over HTTPS on 127.0.0.1 and checks
# that it sends SecureHeaders' default headers, exactly as the same app does on the JIT (the publish's own IL build).
# Fails on any trim/AOT warning of the publish. Takes a few minutes (native compilation). Needs clang and zlib1g-dev
# (apt-get install -y clang zlib1g-dev), openssl and curl. Every server it starts is stopped on exit.
set -euo pipefail
HERE="$(cd "$(dirname "$0")" && pwd)"
case "$(uname -m)" in
  x86_64) RID=linux-x64 ;;
  aarch64) RID=linux-arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 2 ;;
esac
WORK="$(mktemp -d)"
PIDS=()
trap 'for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$WORK"' EXIT

echo "Publishing with Native AOT ($RID)..."
if ! dotnet publish "$HERE" -c Release -r "$RID" -o "$WORK/aot" --nologo >"$WORK/publish.log" 2>&1; then
  cat "$WORK/publish.log" >&2; exit 1
fi
if grep -E "warning (IL|AOT)[0-9]+" "$WORK/publish.log"; then
  echo "FAIL: the publish reported trim/AOT warnings (above)." >&2; exit 1
fi
[ -x "$WORK/aot/AotMinimalApi" ] || { echo "FAIL: no native binary" >&2; exit 1; }

openssl req -x509 -newkey rsa:2048 -nodes -keyout "$WORK/key.pem" -out "$WORK/cert.pem" -days 2 -subj /CN=localhost 2>/dev/null

start() { # name port command... ; waits until it answers
  local name="$1" port="$2"; shift 2
  ASPNETCORE_ENVIRONMENT=Production ASPNETCORE_URLS="https://127.0.0.1:$port" \
    Kestrel__Certificates__Default__Path="$WORK/cert.pem" Kestrel__Certificates__Default__KeyPath="$WORK/key.pem" \
    "$@" >"$WORK/$name.log" 2>&1 &
  PIDS+=($!)
  for _ in $(seq 1 300); do
    if curl -sk -o /dev/null "https://127.0.0.1:$port/"; then return 0; fi
    sleep 0.1
  done
  cat "$WORK/$name.log" >&2; echo "FAIL: $name did not start" >&2; exit 1
}

# Response headers, lower-cased names, sorted, without the ones that change per response.
headers() { curl -sk -D - -o /dev/null "https://127.0.0.1:$1/" | tr -d '\r' | sed -n '2,$p' | sed '/^$/d' \
  | awk -F': ' '{ printf "%s: %s\n", tolower($1), substr($0, length($1) + 3) }' | grep -v -E '^(date|content-length):' | sort; }

IL_BUILD="$HERE/bin/Release/net10.0/$RID/AotMinimalApi.dll"
start native 5301 "$WORK/aot/AotMinimalApi"
start jit 5302 dotnet "$IL_BUILD"
headers 5301 >"$WORK/native.txt"
headers 5302 >"$WORK/jit.txt"

status=0
for name in content-security-policy strict-transport-security x-frame-options x-content-type-options referrer-policy \
  permissions-policy cross-origin-opener-policy cross-origin-resource-policy origin-agent-cluster \
  x-dns-prefetch-control x-permitted-cross-domain-policies x-xss-protection; do
  grep -q "^$name: " "$WORK/native.txt" || { echo "FAIL: the native binary sent no $name" >&2; status=1; }
done
if grep -q '^server: ' "$WORK/native.txt"; then echo "FAIL: the native binary sent a Server header" >&2; status=1; fi
if ! diff -u "$WORK/jit.txt" "$WORK/native.txt"; then echo "FAIL: the native binary's headers differ from the JIT build's (diff above)" >&2; status=1; fi
echo "Native binary: $(stat -c %s "$WORK/aot/AotMinimalApi") bytes; headers:"
cat "$WORK/native.txt"
[ "$status" = 0 ] && echo "OK: the Native AOT app sends the default headers, identical to the JIT build."
exit "$status"
