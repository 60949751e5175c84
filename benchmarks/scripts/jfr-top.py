#!/usr/bin/env python3
"""Top methods of a JFR recording for one thread: self samples and inclusive samples (CPU), and allocation.

usage: jfr-top.py FILE.jfr [THREAD] [N]
"""
import collections
import json
import subprocess
import sys

path = sys.argv[1]
thread = sys.argv[2] if len(sys.argv) > 2 else "main"
n = int(sys.argv[3]) if len(sys.argv) > 3 else 25


def events(kind):
    out = subprocess.run(["jfr", "print", "--json", "--stack-depth", "64", "--events", kind, path],
                         capture_output=True, text=True, check=True).stdout
    return json.loads(out)["recording"]["events"]


def frames(e):
    st = e["values"].get("stackTrace")
    if not st:
        return []
    return [f["method"]["type"]["name"].split(".")[-1] + "." + f["method"]["name"] + ":" + str(f.get("lineNumber", ""))
            for f in st["frames"]]


def thread_of(e):
    t = e["values"].get("sampledThread") or e["values"].get("eventThread") or {}
    return t.get("javaName") or t.get("osName") or ""


for kind, weight in (("jdk.ExecutionSample", None), ("jdk.NativeMethodSample", None),
                     ("jdk.ObjectAllocationSample", "weight")):
    ev = [e for e in events(kind) if thread_of(e) == thread]
    total = sum((e["values"][weight] if weight else 1) for e in ev) or 1
    selfc, incl = collections.Counter(), collections.Counter()
    for e in ev:
        w = e["values"][weight] if weight else 1
        fs = frames(e)
        if weight:
            key = e["values"]["objectClass"]["name"] + " @ " + (fs[0] if fs else "?")
            if len(fs) > 1:
                key += " < " + fs[1]
            selfc[key] += w
        elif fs:
            selfc[fs[0]] += w
        for f in set(x.rsplit(":", 1)[0] for x in fs):
            incl[f] += w
    print(f"== {kind}, thread {thread}: {len(ev)} events")
    print("-- self" if not weight else "-- bytes by class @ allocating frame")
    for k, v in selfc.most_common(n):
        print(f"{100 * v / total:5.1f}%  {k}")
    if not weight:
        print("-- inclusive")
        for k, v in incl.most_common(n):
            print(f"{100 * v / total:5.1f}%  {k}")
    print()
