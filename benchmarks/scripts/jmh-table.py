#!/usr/bin/env python3
"""Turns JMH JSON results (one file per round) into the kwire-vs-Apache codec table.

ns/op: median of every measurement iteration of every round (robust to the noise of a shared machine).
B/op: median of gc.alloc.rate.norm. Ratio: kwire / apache. Targets: ns <= 0.8x, B/op <= 0.5x.
"""
import json
import statistics
import sys
from collections import defaultdict

OPS = [
    ("apiVersionsDecode", "ApiVersions response decode"),
    ("metadataRequestEncode", "Metadata request encode (10 topics; Apache: toSend)"),
    ("metadataResponseDecode", "Metadata response decode (100 x 10)"),
    ("produceRequestEncode", "Produce request encode (5 x 3, 11 KB batches; Apache: toSend)"),
    ("produceRequestEncode|produceRequestEncodeCopy_apache",
     "Produce request encode, vs Apache's copying MessageUtil path (reference)"),
    ("fetchResponseDecode", "Fetch response decode (5 x 3, ~166 KB)"),
    ("recordBatchBuild", "Record batch build (100 x 100 B)"),
    ("recordBatchRead", "Record batch read + CRC (100 x 100 B; kwire: RecordCursor)"),
    ("recordBatchIterate|recordBatchRead_apache",
     "Record batch read + CRC, kwire iterating Record objects (reference)"),
]

ns = defaultdict(list)
alloc = defaultdict(list)
for path in sys.argv[1:]:
    with open(path) as f:
        for r in json.load(f):
            name = r["benchmark"].rsplit(".", 1)[1]
            for fork in r["primaryMetric"]["rawData"]:
                ns[name].extend(fork)
            sec = r.get("secondaryMetrics", {}).get("gc.alloc.rate.norm")
            if sec:
                for fork in sec["rawData"]:
                    alloc[name].extend(fork)


def med(xs):
    return statistics.median(xs) if xs else float("nan")


def fmt(v, d=0):
    return "-" if v != v else f"{v:,.{d}f}"


def mark(v, target):
    return "-" if v != v else f"{v:.2f}" + ("" if v <= target else " (miss)")


print("| operation | kwire ns/op | apache ns/op | kwire / apache ns | kwire B/op | apache B/op | kwire / apache B |")
print("|---|---:|---:|---:|---:|---:|---:|")
for op, label in OPS:
    if "|" in op:
        op, a = op.split("|")
        k = f"{op}_kwire"
    else:
        k, a = f"{op}_kwire", f"{op}_apache"
    kn, an, kb, ab = med(ns[k]), med(ns[a]), med(alloc[k]), med(alloc[a])
    print(f"| {label} | {fmt(kn)} | {fmt(an)} | {mark(kn / an if an else float('nan'), 0.8)} | "
          f"{fmt(kb)} | {fmt(ab)} | {mark(kb / ab if ab else float('nan'), 0.5)} |")
print()
print(f"ns/op: median of {len(ns.get('apiVersionsDecode_kwire', []))} one-second... iterations per operation "
      f"across {len(sys.argv) - 1} JMH run(s); B/op: -prof gc gc.alloc.rate.norm.".replace("one-second... ", ""))
