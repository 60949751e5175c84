#!/usr/bin/env python3
"""Splits the perf samples of one thread (the client's) into where its CPU goes, for one or more clients.

Arguments: client=path, one per client; each file is `perf script -F tid,ip,sym,dso` output (call graphs recorded
with -g) of the client thread alone. Each sample is counted once, in the first category that its leaf frame (and,
for some, a frame below it) matches. Prints a markdown table: samples and per cent of the thread's samples.
"""
import re
import sys
from collections import Counter, OrderedDict

# (category, regex on the leaf frame, regex on the whole stack or None). First match wins.
KERNEL = r"\[kernel"
CATEGORIES = [
    ("kernel: copy of the payload into socket buffers (write)", r"_copy_from_iter|copy_user|rep_movs", None),
    ("user: heap -> direct buffer copy (arraycopy stub, memmove)", r"StubRoutines|memmove|memcpy|arraycopy|copyMemory",
     None),
    ("kernel: loopback delivery to the broker in softirq, billed to the sender", KERNEL,
     r"handle_softirqs|net_rx_action|do_softirq|__local_bh_enable_ip|_raw_spin_unlock_irqrestore"),
    ("kernel: rest of the TCP send path", KERNEL, r"tcp_sendmsg|sock_write_iter|do_writev"),
    ("kernel: read", KERNEL, r"tcp_recvmsg|sock_read_iter|ksys_read"),
    ("kernel: epoll and scheduling", KERNEL, r"ep_poll|epoll|schedule|finish_task_switch"),
    ("kernel: other (timers, interrupts)", KERNEL, None),
    ("VM: interpreter, GC, runtime (libjvm, vtable stubs)", r"libjvm|Interpreter|vtable chunks|itable", None),
    ("Java code (JIT-compiled: client and java.nio)", r".", None),
]
COMPILED = [(n, re.compile(leaf), re.compile(stack) if stack else None) for n, leaf, stack in CATEGORIES]


def samples(path):
    stack = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or re.fullmatch(r"\s*\d+\s*", line):  # blank, or the next sample's tid
                if stack:
                    yield "\n".join(stack)
                stack = []
                continue
            stack.append(line.strip())
        if stack:
            yield "\n".join(stack)


def split(path):
    c = Counter()
    for s in samples(path):
        leaf = s.split("\n", 1)[0]
        for name, lrx, srx in COMPILED:
            if lrx.search(leaf) and (srx is None or srx.search(s)):
                c[name] += 1
                break
    return c


clients = OrderedDict()
for arg in sys.argv[1:]:
    name, _, path = arg.partition("=")
    clients[name] = split(path)
print("| where the client thread's CPU goes | " + " | ".join(f"{n} samples | {n} %" for n in clients) + " |")
print("|---|" + "---:|---:|" * len(clients))
for name, _, _ in CATEGORIES:
    row = []
    for c in clients.values():
        total = sum(c.values()) or 1
        row.append(f"{c[name]:,} | {100 * c[name] / total:.1f}")
    print(f"| {name} | " + " | ".join(row) + " |")
print("| total | " + " | ".join(f"{sum(c.values()):,} | 100" for c in clients.values()) + " |")
