#!/usr/bin/env python3
"""Writes the header sets used to check agreement with Mozilla HTTP Observatory 1.4.8.

Each set is a JSON file in the shape observatory-headers.mjs accepts ({"headers": ..., "body": ..., "status": ...});
an extra "transport": "http" asks for plain-HTTP serving. Run it again after editing the list; file names are stable.
Usage: generate-sets.py OUTPUT_DIR
"""
import json
import os
import sys

NONCE = "'nonce-R4nd0mN0nc3Base64AAAA'"
HASH = "'sha256-B2yPHKaXnvFWtRChIbabYmUBFZdVfKKXHbWtWidDVF8='"
STRICT = f"script-src {NONCE} 'strict-dynamic'; object-src 'none'; base-uri 'none'"
GOOD = {
    "Strict-Transport-Security": "max-age=63072000; includeSubDomains; preload",
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
HSTS = {"Strict-Transport-Security": "max-age=31536000"}


def page(*scripts, head=""):
    return "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>t</title>" + head + "</head><body>" + "".join(scripts) + "<p>ok</p></body></html>"


sets = []


def add(name, headers, body=None, status=None, transport=None):
    spec = {"headers": headers}
    if body is not None:
        spec["body"] = body
    if status is not None:
        spec["status"] = status
    if transport is not None:
        spec["transport"] = transport
    sets.append((name, spec))


# --- Content-Security-Policy
csp_cases = [
    ("csp-default-none", "default-src 'none'"),
    ("csp-default-self", "default-src 'self'"),
    ("csp-default-self-full", "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"),
    ("csp-owasp", "default-src 'self'; form-action 'self'; base-uri 'self'; object-src 'none'; frame-ancestors 'none'; upgrade-insecure-requests"),
    ("csp-unsafe-inline-script", "default-src 'self'; script-src 'self' 'unsafe-inline'"),
    ("csp-unsafe-eval-script", "default-src 'self'; script-src 'self' 'unsafe-eval'"),
    ("csp-unsafe-eval-style", "default-src 'self'; style-src 'self' 'unsafe-eval'"),
    ("csp-unsafe-inline-style", "default-src 'self'; style-src 'self' 'unsafe-inline'"),
    ("csp-strict-nonce", STRICT),
    ("csp-strict-nonce-default-none", f"default-src 'none'; {STRICT}"),
    ("csp-strict-hash", f"default-src 'self'; script-src {HASH} 'strict-dynamic' https: 'unsafe-inline'; object-src 'none'"),
    ("csp-strict-dynamic-no-nonce", "default-src 'self'; script-src 'self' 'strict-dynamic'"),
    ("csp-nonce-unsafe-inline", f"default-src 'self'; script-src 'self' {NONCE} 'unsafe-inline'; style-src 'self'"),
    ("csp-nonce-in-default", f"default-src 'self' 'unsafe-inline' {NONCE}"),
    ("csp-wildcard-script", "default-src 'self'; script-src *"),
    ("csp-https-scheme-script", "default-src 'self'; script-src 'self' https:"),
    ("csp-data-script", "default-src 'self'; script-src 'self' data:"),
    ("csp-object-wildcard", "default-src 'self'; object-src *"),
    ("csp-no-script-or-default", "object-src 'none'; frame-ancestors 'none'"),
    ("csp-http-source-active", "default-src 'self'; script-src 'self' http://cdn.example.com"),
    ("csp-http-source-img", "default-src 'self'; img-src 'self' http://img.example.com"),
    ("csp-http-source-media", "default-src 'self'; media-src http:"),
    ("csp-http-connect", "default-src 'self'; connect-src http://api.example.com"),
    ("csp-ftp-source", "default-src 'self'; font-src ftp://files.example.com"),
    ("csp-duplicate-script-src", "default-src 'self'; script-src 'self'; script-src 'unsafe-inline'"),
    ("csp-duplicate-report-uri", "default-src 'none'; report-uri /a; report-uri /b"),
    ("csp-duplicate-report-to", "default-src 'self'; report-to a; report-to b"),
    ("csp-short", "a b"),
    ("csp-empty-script-src", "default-src 'self'; script-src"),
    ("csp-uppercase", "DEFAULT-SRC 'SELF'; SCRIPT-SRC 'SELF' 'UNSAFE-INLINE'"),
    ("csp-frame-ancestors-star", "default-src 'self'; frame-ancestors *"),
    ("csp-frame-ancestors-self", "default-src 'self'; frame-ancestors 'self'"),
    ("csp-style-wildcard", "default-src 'self'; style-src *"),
    ("csp-host-prefix-drop", "default-src 'self'; script-src https: https://cdn.example.com https://other.example.com"),
    ("csp-default-none-and-script", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'"),
    ("csp-default-none-plus-self", "default-src 'none' 'self'"),
    ("csp-strict-self-https", f"script-src {NONCE} 'strict-dynamic' 'self' https: http:; object-src 'none'; base-uri 'none'; style-src 'self'"),
    ("csp-wasm-unsafe-eval", "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'"),
    ("csp-trailing-semicolons", "default-src 'self';; ; script-src 'self';"),
    ("csp-sandbox-only", "sandbox allow-scripts"),
    ("csp-http-wildcard", "default-src 'self'; script-src http://*"),
]
for name, policy in csp_cases:
    add(name, {"Content-Security-Policy": policy, **HSTS})

add("csp-two-headers", [["Content-Security-Policy", "default-src 'none'"], ["Content-Security-Policy", "script-src 'self'"]])
add("csp-two-headers-unsafe", [["Content-Security-Policy", "default-src 'self'"], ["Content-Security-Policy", "script-src 'unsafe-inline'"]])
add("csp-report-only", {"Content-Security-Policy-Report-Only": STRICT, **HSTS})
add("csp-report-only-and-enforced", {"Content-Security-Policy-Report-Only": STRICT, "Content-Security-Policy": "default-src 'self'"})
add("csp-meta-only", HSTS, body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; object-src 'none'\">"))
add("csp-meta-frame-ancestors", HSTS, body=page(head="<meta http-equiv=\"content-security-policy\" content=\"default-src 'self'; frame-ancestors 'none'\">"))
add("csp-meta-only-frame-ancestors", HSTS, body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"frame-ancestors 'none'\">"))
add("csp-header-and-meta-intersect", {"Content-Security-Policy": "default-src 'self' https://cdn.example.com; img-src *"},
    body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'\">"))
add("csp-header-and-meta-unsafe", {"Content-Security-Policy": "default-src 'self'; script-src 'self' 'unsafe-inline'"},
    body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"script-src 'self' 'unsafe-inline'\">"))
add("csp-meta-in-comment", HSTS, body=page(head="<!-- <meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'\"> -->"))
add("csp-meta-duplicate", HSTS, body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; default-src 'none'\">"))
add("csp-empty-header", {"Content-Security-Policy": "", **HSTS})

# --- Strict-Transport-Security
hsts_cases = [
    ("hsts-2y-preload", "max-age=63072000; includeSubDomains; preload"),
    ("hsts-1y", "max-age=31536000"),
    ("hsts-180-days", "max-age=15552000"),
    ("hsts-just-under-180-days", "max-age=15551999"),
    ("hsts-1-day", "max-age=86400"),
    ("hsts-zero", "max-age=0"),
    ("hsts-not-a-number", "max-age=abc"),
    ("hsts-quoted", "max-age=\"31536000\""),
    ("hsts-no-max-age", "includeSubDomains; preload"),
    ("hsts-uppercase", "MAX-AGE=31536000; INCLUDESUBDOMAINS"),
    ("hsts-spaces-around-equals", "max-age = 31536000"),
    ("hsts-negative", "max-age=-1"),
    ("hsts-trailing-garbage", "max-age=31536000abc"),
    ("hsts-empty", ""),
]
for name, value in hsts_cases:
    add(name, {"Strict-Transport-Security": value, "X-Content-Type-Options": "nosniff"})
add("hsts-twice", [["Strict-Transport-Security", "max-age=31536000"], ["Strict-Transport-Security", "max-age=63072000"]])
add("hsts-comma-list", {"Strict-Transport-Security": "max-age=31536000, max-age=1"})

# --- Cookies
cookie_cases = [
    ("cookie-good-samesite", ["__Host-session=abc; Path=/; Secure; HttpOnly; SameSite=Lax"]),
    ("cookie-secure-no-samesite", ["id=1; Secure; HttpOnly"]),
    ("cookie-no-secure", ["theme=dark; Path=/"]),
    ("cookie-session-no-secure", ["sessionid=abc; HttpOnly; Path=/"]),
    ("cookie-session-no-httponly", ["PHPSESSID=abc; Secure; Path=/; SameSite=Lax"]),
    ("cookie-login-no-flags", ["login_token=abc"]),
    ("cookie-csrf-no-samesite", ["csrftoken=abc; Secure"]),
    ("cookie-csrf-samesite", ["csrftoken=abc; Secure; SameSite=Strict"]),
    ("cookie-samesite-invalid", ["a=1; Secure; HttpOnly; SameSite=Bogus"]),
    ("cookie-samesite-empty", ["a=1; Secure; SameSite"]),
    ("cookie-samesite-none-insecure", ["a=1; SameSite=None"]),
    ("cookie-samesite-none-secure", ["a=1; Secure; SameSite=None"]),
    ("cookie-host-prefix-broken", ["__Host-sess=1; Path=/app; HttpOnly"]),
    ("cookie-secure-prefix-broken", ["__Secure-sess=1; HttpOnly"]),
    ("cookie-foreign-domain", ["sess=1; Domain=example.com"]),
    ("cookie-heroku", ["heroku-session-affinity=1"]),
    ("cookie-rank-order", ["theme=dark", "sessionid=1; Secure"]),
    ("cookie-many", ["a=1; Secure; SameSite=Lax", "b=2; Secure; HttpOnly; SameSite=Strict", "usersession=3; Secure; HttpOnly; SameSite=Lax"]),
    ("cookie-max-age-zero", ["sessionid=; Max-Age=0"]),
    ("cookie-nameless", ["justavalue; Secure"]),
    ("cookie-lowercase-attrs", ["sess=1; secure; httponly; samesite=strict"]),
    ("cookie-same-name-twice", ["sess=1", "sess=2; Secure; HttpOnly; SameSite=Lax"]),
]
for name, cookies in cookie_cases:
    add(name, [["Strict-Transport-Security", "max-age=31536000"], *[["Set-Cookie", c] for c in cookies]])
add("cookie-no-secure-without-hsts", [["Set-Cookie", "theme=dark"], ["Set-Cookie", "sessionid=1; HttpOnly"]])
add("cookie-short-hsts", [["Strict-Transport-Security", "max-age=100"], ["Set-Cookie", "sessionid=1; HttpOnly"]])

# --- Referrer-Policy
for value in ["no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "origin", "unsafe-url",
              "no-referrer-when-downgrade", "origin-when-cross-origin", "nonsense", "no-referrer, unsafe-url",
              "unsafe-url, strict-origin", "NO-REFERRER ", "strict-origin, bogus", ""]:
    slug = (value.replace(", ", "-then-").replace(" ", "-") if value.islower() or not value else "upper-" + value.strip().lower()) or "empty"
    add("referrer-" + slug, {"Referrer-Policy": value, **HSTS})
add("referrer-meta-only", HSTS, body=page(head="<meta name=\"referrer\" content=\"no-referrer\">"))
add("referrer-header-unsafe-meta-safe", {"Referrer-Policy": "unsafe-url"}, body=page(head="<meta name=\"referrer\" content=\"same-origin\">"))
add("referrer-header-safe-meta-unsafe", {"Referrer-Policy": "no-referrer"}, body=page(head="<meta name=\"Referrer\" content=\"unsafe-url\">"))
add("referrer-two-headers", [["Referrer-Policy", "unsafe-url"], ["Referrer-Policy", "no-referrer"]])

# --- X-Frame-Options, X-Content-Type-Options, CORP
for value in ["DENY", "sameorigin", "ALLOW-FROM https://example.com", "allowall", " deny "]:
    add("xfo-" + (value.strip().split(" ")[0].lower() if value == value.strip() else "padded"), {"X-Frame-Options": value, **HSTS})
add("xfo-twice", [["X-Frame-Options", "DENY"], ["X-Frame-Options", "DENY"]])
add("xfo-deny-with-frame-ancestors-star", {"X-Frame-Options": "bogus", "Content-Security-Policy": "frame-ancestors *"})
for value in ["nosniff", "NOSNIFF", "sniff", "nosniff, nosniff"]:
    add("xcto-" + ("upper" if value.isupper() else value.replace(", ", "-")), {"X-Content-Type-Options": value, **HSTS})
for value in ["same-origin", "same-site", "cross-origin", "SAME-ORIGIN", "bogus"]:
    add("corp-" + ("upper" if value.isupper() else value), {"Cross-Origin-Resource-Policy": value, **HSTS})
add("corp-twice", [["Cross-Origin-Resource-Policy", "same-origin"], ["Cross-Origin-Resource-Policy", "same-origin"]])

# --- CORS
add("cors-public", {"Access-Control-Allow-Origin": "*", **HSTS})
add("cors-reflect-credentials", {"Access-Control-Allow-Origin": "{origin}", "Access-Control-Allow-Credentials": "true", **HSTS})
add("cors-fixed-origin", {"Access-Control-Allow-Origin": "https://app.example.com", "Vary": "Origin"})
add("cors-null", {"Access-Control-Allow-Origin": "null", **HSTS})

# --- Subresource Integrity
SRI = "sha384-oqVuAfXRKap7fdgcCY5uykM6+R9GqQ8K/uxy9rx7HNQlGYl1kPzQho1wx4JwY8wC"
add("sri-external-with-integrity", HSTS, body=page(f"<script src=\"https://cdn.example.com/a.js\" integrity=\"{SRI}\" crossorigin=\"anonymous\"></script>"))
add("sri-external-without-integrity", HSTS, body=page("<script src=\"https://cdn.example.com/a.js\"></script>"))
add("sri-external-http-without-integrity", HSTS, body=page("<script src=\"http://cdn.example.com/a.js\"></script>"))
add("sri-external-http-with-integrity", HSTS, body=page(f"<script src=\"http://cdn.example.com/a.js\" integrity=\"{SRI}\"></script>"))
add("sri-protocol-relative", HSTS, body=page("<script src=\"//cdn.example.com/a.js\"></script>"))
add("sri-protocol-relative-integrity", HSTS, body=page(f"<script src=\"//cdn.example.com/a.js\" integrity=\"{SRI}\"></script>"))
add("sri-relative-only", HSTS, body=page("<script src=\"/js/app.js\"></script>"))
add("sri-relative-with-integrity", HSTS, body=page(f"<script src=\"/js/app.js\" integrity=\"{SRI}\"></script>"))
add("sri-inline-only", HSTS, body=page("<script>console.log(1)</script>"))
add("sri-mixed", HSTS, body=page(f"<script src=\"/js/app.js\"></script><script src=\"https://cdn.example.com/a.js\" integrity=\"{SRI}\"></script><script src=\"https://cdn.other.org/b.js\"></script>"))
add("sri-ip-host", HSTS, body=page("<script src=\"https://10.0.0.1/a.js\"></script>"))
add("sri-not-html", {"Content-Type": "application/json", **HSTS}, body="{\"ok\":true}")
add("sri-empty-integrity", HSTS, body=page("<script src=\"https://cdn.example.com/a.js\" integrity=\"\"></script>"))
add("sri-script-in-template", HSTS, body=page("<template><script src=\"http://cdn.example.com/a.js\"></script></template>"))
add("sri-uppercase-url", HSTS, body=page(f"<SCRIPT SRC=\"HTTPS://CDN.EXAMPLE.COM/a.js\" INTEGRITY=\"{SRI}\"></SCRIPT>"))

# --- Status codes and content types
add("status-403", {"Content-Security-Policy": "default-src 'none'", **GOOD}, status=403)
add("status-401", GOOD, status=401)
add("status-500", GOOD, status=500)
add("status-404", GOOD, status=404)
add("xhtml", {"Content-Type": "application/xhtml+xml", **GOOD}, body=page("<script src=\"https://cdn.example.com/a.js\"></script>"))
add("content-type-uppercase", {"Content-Type": "TEXT/HTML", **GOOD}, body=page("<script src=\"https://cdn.example.com/a.js\"></script>"))

# --- Full configurations
add("helmet-like", {
    "Content-Security-Policy": "default-src 'self';base-uri 'self';font-src 'self' https: data:;form-action 'self';frame-ancestors 'self';img-src 'self' data:;object-src 'none';script-src 'self';script-src-attr 'none';style-src 'self' https: 'unsafe-inline';upgrade-insecure-requests",
    "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin", "Origin-Agent-Cluster": "?1",
    "Referrer-Policy": "no-referrer", "Strict-Transport-Security": "max-age=31536000; includeSubDomains",
    "X-Content-Type-Options": "nosniff", "X-DNS-Prefetch-Control": "off", "X-Download-Options": "noopen",
    "X-Frame-Options": "SAMEORIGIN", "X-Permitted-Cross-Domain-Policies": "none", "X-XSS-Protection": "0"})
add("helmet-like-without-hsts", {
    "Content-Security-Policy": "default-src 'self';frame-ancestors 'self';object-src 'none';script-src 'self';style-src 'self' https: 'unsafe-inline'",
    "Cross-Origin-Resource-Policy": "same-origin", "Referrer-Policy": "no-referrer", "X-Content-Type-Options": "nosniff", "X-Frame-Options": "SAMEORIGIN"})
add("max-score", {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'",
    "Cross-Origin-Resource-Policy": "same-origin", **GOOD,
    "Set-Cookie": "__Host-id=1; Path=/; Secure; HttpOnly; SameSite=Strict"},
    body=page(f"<script src=\"https://cdn.example.com/a.js\" integrity=\"{SRI}\" crossorigin=\"anonymous\"></script>"))
add("secureheaders-defaults", {
    "Content-Security-Policy": "default-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'; upgrade-insecure-requests",
    "Cross-Origin-Opener-Policy": "same-origin", "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()", "X-XSS-Protection": "0", **GOOD})
add("leaky-server", {"Server": "Apache/2.4.1 (Unix)", "X-Powered-By": "PHP/5.6", "X-AspNet-Version": "4.0.30319", **GOOD})
add("deprecated-headers", {"X-XSS-Protection": "1; mode=block", "Expect-CT": "max-age=86400", "Public-Key-Pins": "pin-sha256=\"abc\"; max-age=1", "Feature-Policy": "camera 'none'", **GOOD})
add("unsafe-everything", {"Content-Security-Policy": "default-src * 'unsafe-inline' 'unsafe-eval' data: blob:", "Referrer-Policy": "unsafe-url",
                          "X-Frame-Options": "ALLOWALL", "Access-Control-Allow-Origin": "*", "Set-Cookie": "session=1"})
add("bonus-threshold-exactly-90", {"Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-site",
                                   "Strict-Transport-Security": "max-age=31536000", "X-Frame-Options": "DENY", "X-Content-Type-Options": "bad",
                                   "Set-Cookie": "pref=1; Secure"})
add("bonus-threshold-85", {"Content-Security-Policy": "default-src 'none'", "Referrer-Policy": "no-referrer", "Cross-Origin-Resource-Policy": "same-site",
                           "Strict-Transport-Security": "max-age=100", "X-Frame-Options": "DENY", "X-Content-Type-Options": "nosniff"})
add("redirect-on-https", {**GOOD, "Location": "/elsewhere"}, status=302)

# --- Plain HTTP only
add("http-none", {}, transport="http")
add("http-good", {"Content-Security-Policy": "default-src 'none'", **GOOD, "Cross-Origin-Resource-Policy": "same-origin"}, transport="http")
add("http-cookies", [["Set-Cookie", "sessionid=1; HttpOnly"], ["Set-Cookie", "theme=1; Secure"]], transport="http")
add("http-csp-http-source", {"Content-Security-Policy": "default-src 'self'; script-src 'self' http://cdn.example.com; img-src http:"}, transport="http")
add("http-sri", {}, body=page("<script src=\"/app.js\" integrity=\"" + SRI + "\"></script>"), transport="http")

# --- CSP as the Observatory tokenizes it: the later of a repeated report-uri wins, non-ASCII directives are kept,
# and JavaScript white space (here U+00A0) separates words. A non-ASCII header character reaches the Observatory as
# its UTF-8 bytes read as Latin-1, so the header cases rely only on the directive being non-ASCII; the exact
# character is tested through a meta element, whose page is decoded as UTF-8.
add("csp-duplicate-report-uri-later-insecure", {"Content-Security-Policy": "default-src 'none'; report-uri https://report.example.com/a; report-uri http://report.example.com/b", **HSTS})
add("csp-duplicate-report-uri-later-secure", {"Content-Security-Policy": "default-src 'none'; report-uri http://report.example.com/a; report-uri https://report.example.com/b", **HSTS})
add("csp-non-ascii-script-src", {"Content-Security-Policy": "default-src 'none'; script-src 'self' https://b\u00fccher.example 'unsafe-inline'", **HSTS})
add("csp-non-ascii-repeat", {"Content-Security-Policy": "default-src 'self'; script-src 'self'; script-src https://b\u00fccher.example", **HSTS})
add("csp-meta-nbsp-separator", HSTS, body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src\u00a0'unsafe-inline'\">"))
add("csp-meta-non-ascii-img-src", HSTS,
    body=page(head="<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; img-src https://b\u00fccher.example http://images.example.com\">"))

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
names = set()
for index, (name, spec) in enumerate(sets, 1):
    assert name not in names, name
    names.add(name)
    with open(os.path.join(out, f"{index:03d}-{name}.json"), "w", encoding="utf-8") as f:
        json.dump(spec, f, indent=2)
        f.write("\n")
print(f"{len(sets)} sets written to {out}")
