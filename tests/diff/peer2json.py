#!/usr/bin/env python3
"""peer2json.py — render a run-peer.sh capture in kexec-ng's --dry-run --json schema.

usage: peer2json.py PEERDIR [--like-kernel] > plan.json

A self-test aid for compare.py (run-diff.sh SELFTEST=1): the peer compared with itself must
PASS, and with --like-kernel (drop the PT_LOADs below 1 MiB, no backup segment, the backup
hole given back to the kdump RAM) it must PASS with the LOW1M and BACKUP deliberate
differences reported. Also shows the schema concretely:
  {"syscall", "flags", "entry", "cmdline", "segments": [{"role", "mem", "memsz", "bufsz",
   "sha256", "in_digest"}], "kdump_memmap": [{"start", "end", "type"}],
   "elfcorehdr": {"mem", "memsz", "phnum", "capacity", "spare", "loads": [{"paddr", "vaddr",
   "size"}]}}   (numbers as "0x…" strings, ranges half-open, loads[0] = kernel text)
"""
import hashlib
import json
import os
import sys

sys.dont_write_bytecode = True   # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from compare import Peer, E820_NAMES, MiB, START_KERNEL_MAP, norm, minus  # noqa: E402


def main():
    d = sys.argv[1]
    like_kernel = "--like-kernel" in sys.argv[2:]
    p = Peer(d)
    h = lambda x: "0x%x" % x
    segs = []
    for s in p.segs:
        role = "segment"
        if s is p.ehdr:
            role = "elfcorehdr"
        elif s is p.setup:
            role = "boot_params"
        elif s is p.backup:
            role = "backup"
        if like_kernel and role == "backup":
            continue
        segs.append(dict(role=role, mem=h(s["mem"]), memsz=h(s["memsz"]), bufsz=h(len(s["data"])),
                         sha256=hashlib.sha256(s["data"]).hexdigest(), in_digest=role != "elfcorehdr"))
    loads = sorted(p.loads, key=lambda l: (l["vaddr"] < START_KERNEL_MAP, l["paddr"]))
    if like_kernel:
        loads = [l for l in loads if l["vaddr"] >= START_KERNEL_MAP or l["paddr"] >= MiB]
    memmap = []
    for s, e, t in p.e820:
        memmap.append(dict(start=h(s), end=h(e), type=E820_NAMES.get(t, "type%d" % t)))
    if like_kernel and p.backup:
        b = (p.backup["mem"], p.backup["mem"] + p.backup["memsz"])
        ram = norm([(int(m["start"], 16), int(m["end"], 16)) for m in memmap if m["type"] == "ram"] + [b])
        ram = minus(ram, [(p.ehdr["mem"], p.ehdr["mem"] + p.ehdr["memsz"])])
        memmap = [m for m in memmap if m["type"] != "ram"] + [dict(start=h(s), end=h(e), type="ram") for s, e in ram]
        memmap.sort(key=lambda m: int(m["start"], 16))
    out = dict(syscall="kexec_load", flags=h(p.flags), entry=h(p.entry), cmdline=p.cmdline,
               segments=segs, kdump_memmap=memmap,
               elfcorehdr=dict(mem=h(p.ehdr["mem"]), memsz=h(p.ehdr["memsz"]), phnum=len(loads) + p.notes,
                               capacity=len(loads) + p.notes, spare=0,
                               loads=[dict(paddr=h(l["paddr"]), vaddr=h(l["vaddr"]), size=h(l["size"])) for l in loads]))
    json.dump(out, sys.stdout, indent=1)
    print()


if __name__ == "__main__":
    main()
