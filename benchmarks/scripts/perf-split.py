#!/usr/bin/env python3
"""Splits the perf samples of one thread (the client's) into where its CPU goes, for one or more clients.

Arguments: client=path, one per client; each file is `perf script -F tid,ip,sym,dso` output (call graphs recorded
with -g) of the client thread alone. Each sample is counted once, in the first category that its leaf frame (and,
for some, a frame below it) matches. The JVM's stubs share one perf-map symbol ("StubRoutines"): when a stubs.txt
(-XX:+PrintStubCode headers, written by produce-profile.sh) sits next to the script file, a stub sample is named
after the stub its address falls in, which tells AES, GHASH and copies apart; a copy is then attributed to the
Java frame that called it. Prints a markdown table: samples and per cent of the thread's samples.
"""
import os
import re
import sys
from bisect import bisect_right
from collections import Counter, OrderedDict

KERNEL = r"\[kernel"
STUB = r"StubRoutines"
JDK_CIPHER = r"com\.sun\.crypto\.provider|SSLCipher|GaloisCounterMode|GCTR|GHASH|AESCrypt"
# A copy stub's leaf line, any frames of the copy machinery itself, then the Java frame that asked for the copy.
CALLED_FROM = r"^[^\n]*\n(?:[^\n]*(?:Stub|memmove|copyMemory|ScopedMemoryAccess|Buffer\.put)[^\n]*\n)*"
# (category, regex on the leaf frame, regex on the whole stack or None). First match wins. Leaf frames of stubs
# are rewritten to "stub:<name>" when the stub map is known.
CATEGORIES = [
    ("JDK cipher: AES-CTR (AES-NI stub)", r"stub:.*(counterMode|aescrypt|AESCrypt)", None),
    ("JDK cipher: GHASH (carry-less multiply stub)", r"stub:.*ghash", None),
    ("JDK cipher: AES-GCM stubs (stub map unknown)", STUB, r"SSLCipher|GaloisCounterMode|GCTR|GHASH"),
    ("JDK cipher: Java code (SSLCipher, GaloisCounterMode)", JDK_CIPHER, None),
    ("user copy: send queue -> staging buffer (kwire)", r"stub:|StubRoutines|memmove|memcpy|arraycopy|copyMemory",
     CALLED_FROM + r"[^\n]*(SplicedFrame\.copyTo|SendQueue\.copyTo)"),
    ("user copy: plaintext -> network buffer (SSLEngine.wrap)", r"stub:|StubRoutines|memmove|memcpy|arraycopy",
     CALLED_FROM + r"[^\n]*SSLEngineOutputRecord\.encode"),
    # Inlining decides whether the JDK's copy shows under IOUtil.write or under the transport's own frame, so the
    # JDK's temporary direct buffer and kwire's wire buffer share a category.
    ("user copy: records -> direct memory for the socket (JDK temporary buffer, or kwire's wire buffer)",
     r"stub:|StubRoutines|memmove|memcpy|arraycopy",
     CALLED_FROM + r"[^\n]*(IOUtil\.write|SocketChannelImpl\.write|TlsTransport\.(write|spill|flushNet|makeRoom))"),
    ("user copy: other", r"stub:|StubRoutines|memmove|memcpy|arraycopy|copyMemory", None),
    ("kernel: copy of the payload into socket buffers (write)", r"_copy_from_iter|copy_user|rep_movs", None),
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
STUB_LINE = re.compile(r"^(\S.*?) \[0x([0-9a-f]+), 0x([0-9a-f]+)\]")


def stub_map(script_path):
    """Sorted (start, end, name) of the JVM's stubs, or None when no stubs.txt was written alongside."""
    path = os.path.join(os.path.dirname(script_path), "stubs.txt")
    if not os.path.exists(path):
        return None
    stubs = []
    with open(path, errors="replace") as f:
        for line in f:
            m = STUB_LINE.match(line)
            if m:
                stubs.append((int(m.group(2), 16), int(m.group(3), 16), m.group(1).strip()))
    stubs.sort()
    return stubs or None


def stub_name(stubs, ip):
    i = bisect_right([s[0] for s in stubs], ip) - 1
    if i >= 0 and stubs[i][0] <= ip < stubs[i][1]:
        return stubs[i][2]
    return None


def samples(path):
    stack = []
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or re.fullmatch(r"\s*\d+\s*", line):  # blank, or the next sample's tid
                if stack:
                    yield stack
                stack = []
                continue
            stack.append(line.strip())
        if stack:
            yield stack


def split(path):
    stubs = stub_map(path)
    c = Counter()
    for stack in samples(path):
        leaf = stack[0]
        if stubs and "StubRoutines" in leaf:
            name = stub_name(stubs, int(leaf.split(None, 1)[0], 16))
            if name:
                leaf = "stub:" + name
        s = "\n".join([leaf] + stack[1:])
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
    if not any(c[name] for c in clients.values()):
        continue
    row = []
    for c in clients.values():
        total = sum(c.values()) or 1
        row.append(f"{c[name]:,} | {100 * c[name] / total:.1f}")
    print(f"| {name} | " + " | ".join(row) + " |")
print("| total | " + " | ".join(f"{sum(c.values()):,} | 100" for c in clients.values()) + " |")
