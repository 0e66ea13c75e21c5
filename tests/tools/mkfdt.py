#!/usr/bin/env python3
"""mkfdt.py — write a flattened device tree blob (DTB) from a small Python description.

Python 3 stdlib only; used by mkroot.py --arch arm64 for sys/firmware/fdt. The blob follows the
devicetree specification (v0.4, chapter 5 "Flattened Devicetree (DTB) Format"):

  header (40 bytes, big-endian u32): magic 0xd00dfeed, totalsize, off_dt_struct,
      off_dt_strings, off_mem_rsvmap, version 17, last_comp_version 16, boot_cpuid_phys 0,
      size_dt_strings, size_dt_struct;
  memory reservation block at 40 (8-byte aligned): (u64 address, u64 size) pairs, ended by 0,0;
  structure block: FDT_BEGIN_NODE (1) + NUL-terminated name padded to 4, FDT_PROP (3) + u32 len +
      u32 nameoff + value padded to 4, FDT_END_NODE (2), FDT_END (9) once at the end;
  strings block: the NUL-terminated property names (each name stored once).

Property values are given as bytes, str (stored NUL-terminated), list of str (a stringlist),
or Cells([...]) (big-endian u32 each) / U64(x) (one big-endian u64 = two cells).

usage as a tool (debugging): mkfdt.py --demo OUT  writes a tiny tree.
"""
import struct
import sys

FDT_MAGIC = 0xd00dfeed
FDT_BEGIN_NODE, FDT_END_NODE, FDT_PROP, FDT_END = 1, 2, 3, 9


class Cells(list):
    """A property value of big-endian u32 cells."""


class U64(int):
    """A property value of one big-endian u64."""


class Node:
    def __init__(self, name, props=None, children=None):
        self.name = name
        self.props = list(props or [])      # [(name, value)], kept in order
        self.children = list(children or [])

    def prop(self, name, value):
        self.props.append((name, value))
        return self

    def child(self, node):
        self.children.append(node)
        return node


def encode_value(v):
    if isinstance(v, bytes):
        return v
    if isinstance(v, str):
        return v.encode() + b"\0"
    if isinstance(v, U64):
        return struct.pack(">Q", int(v))
    if isinstance(v, Cells):
        return b"".join(struct.pack(">I", c & 0xffffffff) for c in v)
    if isinstance(v, (list, tuple)) and all(isinstance(s, str) for s in v):
        return b"".join(s.encode() + b"\0" for s in v)
    raise TypeError("cannot encode property value %r" % (v,))


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def build(root, memreserve=()):
    """root: Node named ""; memreserve: [(address, size)]. Returns the blob (bytes)."""
    strings = bytearray()
    offsets = {}

    def stroff(name):
        if name not in offsets:
            offsets[name] = len(strings)
            strings.extend(name.encode() + b"\0")
        return offsets[name]

    struct_blk = bytearray()

    def emit(node):
        struct_blk.extend(struct.pack(">I", FDT_BEGIN_NODE) + pad4(node.name.encode() + b"\0"))
        for name, value in node.props:
            val = encode_value(value)
            struct_blk.extend(struct.pack(">III", FDT_PROP, len(val), stroff(name)) + pad4(val))
        for c in node.children:
            emit(c)
        struct_blk.extend(struct.pack(">I", FDT_END_NODE))

    emit(root)
    struct_blk.extend(struct.pack(">I", FDT_END))
    rsv = b"".join(struct.pack(">QQ", a, s) for a, s in memreserve) + struct.pack(">QQ", 0, 0)
    off_rsv = 40
    off_struct = off_rsv + len(rsv)
    off_strings = off_struct + len(struct_blk)
    total = off_strings + len(strings)
    hdr = struct.pack(">10I", FDT_MAGIC, total, off_struct, off_strings, off_rsv, 17, 16, 0,
                      len(strings), len(struct_blk))
    return hdr + rsv + bytes(struct_blk) + bytes(strings)


def main():
    if len(sys.argv) != 3 or sys.argv[1] != "--demo":
        sys.exit("usage: mkfdt.py --demo OUT")
    root = Node("", [("#address-cells", Cells([2])), ("#size-cells", Cells([2]))])
    root.child(Node("chosen", [("bootargs", "console=ttyAMA0"), ("kaslr-seed", U64(0))]))
    with open(sys.argv[2], "wb") as f:
        f.write(build(root, [(0, 0x1000)]))


if __name__ == "__main__":
    main()
