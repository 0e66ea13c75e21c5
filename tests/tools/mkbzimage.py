#!/usr/bin/env python3
"""mkbzimage.py OUT [--payload BYTES] [--init-size N] [--cmdline-size N] [--no-5level] [--no-above-4g]

Writes a deterministic stand-in for an x86_64 bzImage: a real-format setup header (boot
protocol 2.15 fields with the values Debian's 6.1.0-56-amd64 vmlinuz carries: setup_sects 39,
loadflags LOADED_HIGH, kernel_alignment 2 MiB, relocatable, xloadflags 0x7f, cmdline_size 2047,
pref_address 16 MiB, init_size 0x3f98000) followed by a pseudo-random payload whose size is
given by syssize. It cannot boot; it lets golden and differential tests plan loads with stable
bytes instead of a downloaded kernel whose version changes with every Debian security update.
"""
import argparse, random, struct

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--payload", type=lambda x: int(x, 0), default=0x80000)
ap.add_argument("--init-size", type=lambda x: int(x, 0), default=0x3f98000)
ap.add_argument("--cmdline-size", type=int, default=2047)
ap.add_argument("--no-5level", action="store_true")
ap.add_argument("--no-above-4g", action="store_true", help="clear XLF_CAN_BE_LOADED_ABOVE_4G")
a = ap.parse_args()

setup_sects = 39
setup = bytearray((setup_sects + 1) * 512)
setup[0x1f1] = setup_sects
struct.pack_into("<I", setup, 0x1f4, a.payload // 16)          # syssize
struct.pack_into("<H", setup, 0x1fe, 0xaa55)                   # boot_flag
setup[0x200], setup[0x201] = 0xeb, 0x6a                        # jump: header to 0x26c
setup[0x202:0x206] = b"HdrS"
struct.pack_into("<H", setup, 0x206, 0x020f)                   # version 2.15
setup[0x211] = 0x01                                            # loadflags: LOADED_HIGH
struct.pack_into("<I", setup, 0x214, 0x100000)                 # code32_start
struct.pack_into("<I", setup, 0x22c, 0x7fffffff)               # initrd_addr_max
struct.pack_into("<I", setup, 0x230, 0x200000)                 # kernel_alignment
setup[0x234], setup[0x235] = 1, 21                             # relocatable, min_alignment
struct.pack_into("<H", setup, 0x236, (0x5f if a.no_5level else 0x7f) & ~(2 if a.no_above_4g else 0))  # xloadflags
struct.pack_into("<I", setup, 0x238, a.cmdline_size)
struct.pack_into("<Q", setup, 0x258, 0x1000000)                # pref_address
struct.pack_into("<I", setup, 0x260, a.init_size)
rnd = random.Random(0x6b657865)
payload = bytes(rnd.getrandbits(8) for _ in range(a.payload))
open(a.out, "wb").write(bytes(setup) + payload)
