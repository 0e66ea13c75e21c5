#!/usr/bin/env python3
"""mkimage-arm64.py — a synthetic arm64 kernel Image for the golden tests (not bootable).

usage: mkimage-arm64.py OUT [--size N] [--text-offset N] [--image-size N] [--flags N]
                            [--version S] [--format raw|gz|vmlinux] [--truncate N]

The 64-byte header follows Documentation/arch/arm64/booting.rst: code0 (an "MZ"-forming
instruction, as EFI-stub kernels have), code1, text_offset (u64 LE), image_size (u64 LE), flags
(u64 LE: bit 0 big-endian, bits 1-2 page size 1=4K 2=16K 3=64K, bit 3 "anywhere"), res2-res4,
magic "ARM\\x64" at 0x38, res5 0 (no PE header). The body is a
deterministic pattern with a "Linux version ..." banner, as real images carry one, so the
loader can tell which kernel it loads. Defaults match a modern 4K kernel: text_offset 0,
image_size = 2 * size rounded up to 64 KiB (the BSS and page tables past the file), flags 0xa.
--format gz writes Image.gz (gzip of the whole Image); vmlinux wraps the Image in a minimal
ELF64 EM_AARCH64 ET_EXEC with one PT_LOAD at 0xffff800008000000.
"""
import argparse
import gzip
import struct
import sys


def image(size, text_offset, image_size, flags, version):
    hdr = struct.pack('<IIQQQQQQII', 0x91005a4d, 0x14000000 | ((0x10000 // 4) & 0x3ffffff),
                      text_offset, image_size, flags, 0, 0, 0, 0x644d5241, 0)
    body = bytearray(size - len(hdr))
    for i in range(0, len(body), 4096):
        body[i:i + 8] = struct.pack('<Q', 0x1100000000 + i)
    banner = ('Linux version %s (kexec-ng golden) #1 SMP\n' % version).encode() + b'\0'
    at = min(0x20000, len(body) - len(banner) - 1)
    body[at:at + len(banner)] = banner
    return hdr + bytes(body)


def vmlinux(img):
    vaddr = 0xffff800008000000
    ehdr = struct.pack('<16sHHIQQQIHHHHHH', b'\x7fELF\x02\x01\x01' + b'\0' * 9, 2, 183, 1, vaddr,
                       64, 0, 0, 64, 56, 1, 64, 0, 0)
    off = 0x10000
    phdr = struct.pack('<IIQQQQQQ', 1, 7, off, vaddr, vaddr, len(img), len(img) * 2, 0x10000)
    return ehdr + phdr + b'\0' * (off - 64 - 56) + img


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('out')
    ap.add_argument('--size', type=lambda s: int(s, 0), default=0x300000)
    ap.add_argument('--text-offset', type=lambda s: int(s, 0), default=0)
    ap.add_argument('--image-size', type=lambda s: int(s, 0), default=None)
    ap.add_argument('--flags', type=lambda s: int(s, 0), default=0xa)
    ap.add_argument('--version', default='6.1.0-99-arm64')
    ap.add_argument('--format', choices=('raw', 'gz', 'vmlinux'), default='raw')
    ap.add_argument('--truncate', type=lambda s: int(s, 0), default=None)
    a = ap.parse_args()
    isz = a.image_size if a.image_size is not None else (2 * a.size + 0xffff) & ~0xffff
    data = image(a.size, a.text_offset, isz, a.flags, a.version)
    if a.format == 'gz':
        data = gzip.compress(data, mtime=0)
    elif a.format == 'vmlinux':
        data = vmlinux(data)
    if a.truncate is not None:
        data = data[:a.truncate]
    with open(a.out, 'wb') as f:
        f.write(data)
    return 0


if __name__ == '__main__':
    sys.exit(main())
