#!/usr/bin/env python3
"""Live agreement check between `secureheaders scan --json` and Mozilla HTTP Observatory 1.4.8.

For every header set: serve it on loopback with observatory-headers.mjs --serve (HTTPS with a throw-away CA and
plain HTTP on the same port, or plain HTTP only for sets with "transport": "http"), then scan the same server with
the real Observatory (observatory-url.mjs) and with secureheaders, and compare score, grade and per-test results.
Prints one line per set that differs and the percentages at the end; exits 1 when a target is missed
(same score on >= 95 %, same grade on all, same per-test results on >= 95 %).

Usage: compare-live.py SETS_DIR [--cli PATH_TO_SecureHeaders.Cli.dll] [--graders DIR] [--limit N] [--observatory 1.4.8|1.6.3|main]
"""
import argparse
import glob
import json
import os
import signal
import subprocess
import sys
import time

here = os.path.dirname(os.path.abspath(__file__))
root = os.path.abspath(os.path.join(here, "..", ".."))
parser = argparse.ArgumentParser()
parser.add_argument("sets")
parser.add_argument("--cli", default=os.path.join(root, "src/SecureHeaders.Cli/bin/Debug/net10.0/SecureHeaders.Cli.dll"))
parser.add_argument("--graders", default=os.environ.get("REFERENCE_GRADERS", os.path.join(root, "..", "shared", "tools", "reference-graders")))
parser.add_argument("--limit", type=int, default=0)
parser.add_argument("--observatory", default="1.4.8", help="1.4.8 (installable here), 1.6.3 or main (where the reference graders have that tree)")
args = parser.parse_args()
if not os.path.exists(os.path.join(args.graders, "observatory-headers.mjs")):
    args.graders = "/work/shared/tools/reference-graders"


def serve(path, transport):
    proc = subprocess.Popen(["node", os.path.join(args.graders, "observatory-headers.mjs"), path, "--serve", "--transport", transport],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    return proc, json.loads(line)


def observatory(url, ca):
    cmd = ["node", os.path.join(args.graders, "observatory-url.mjs"), url, "--summary", "--observatory", args.observatory]
    if ca:
        cmd += ["--ca", ca]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    return json.loads(out)


def ours(url, ca):
    cmd = ["dotnet", args.cli, "scan", url, "--json", "--observatory", args.observatory]
    if ca:
        cmd += ["--ca-cert", ca]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=60).stdout
    return json.loads(out)["observatory"]


files = sorted(glob.glob(os.path.join(args.sets, "*.json")))
if args.limit:
    files = files[: args.limit]
same_score = same_grade = same_tests = total = 0
for path in files:
    name = os.path.basename(path)[:-5]
    transport = json.load(open(path)).get("transport", "https")
    proc, info = serve(path, transport)
    try:
        url = info["serving"].replace("https://", "http://") if transport == "http" else info["serving"]
        ref = observatory(url, info.get("caCert"))
        mine = ours(url, info.get("caCert"))
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)
    total += 1
    if "error" in ref:
        ok = mine.get("error") is not None
        same_score += ok
        same_grade += ok
        same_tests += ok
        if not ok:
            print(f"{name}: observatory error {ref['error']!r}, we graded {mine.get('grade')}")
        continue
    diffs = [f"{t}: {v['result']} vs {mine['tests'].get(t, {}).get('result')}" for t, v in ref["tests"].items()
             if mine["tests"].get(t, {}).get("result") != v["result"]]
    same_score += ref["score"] == mine.get("score")
    same_grade += ref["grade"] == mine.get("grade")
    same_tests += not diffs
    if diffs or ref["score"] != mine.get("score") or ref["grade"] != mine.get("grade"):
        print(f"{name}: observatory {ref['score']} {ref['grade']}, secureheaders {mine.get('score')} {mine.get('grade')}; " + "; ".join(diffs))

pct = lambda n: 100.0 * n / total if total else 0.0
print(f"{total} header sets: same score {same_score} ({pct(same_score):.1f} %), same grade {same_grade} ({pct(same_grade):.1f} %), "
      f"same per-test results {same_tests} ({pct(same_tests):.1f} %)")
sys.exit(0 if total and pct(same_score) >= 95 and same_grade == total and pct(same_tests) >= 95 else 1)
