#!/usr/bin/env python3
"""check-arm64.py — invariants of an arm64 kexec plan, from the bytes it would load.

usage: check-arm64.py ROOT PLAN.json SEGDIR [--normal] [--kernel IMAGE] [--initrd FILE]
                      [--dma-limit ADDR] [--want-largest START-END] [--want-cma START-END,...]

ROOT is the machine root the plan was made for (its proc/iomem says what RAM and the crash
regions are), PLAN.json the `kexec --dry-run --json` output, SEGDIR what --dump-segments wrote.
Independently of the loader, this decodes:
  - the device tree segment (a small FDT reader here): /chosen bootargs equals the plan's
    command line; linux,initrd-start/end equal the initrd segment (absent without one);
    linux,elfcorehdr equals the elfcorehdr segment (mem, memsz); linux,usable-memory-range is
    the main crash region first, then the crash CMA ranges (--want-cma, inclusive hex, in
    order; the plan's "crash_cma" must list the same), the low one last, in the root's
    #address-cells/#size-cells;
    no /memreserve/ entries; at most 2 MiB, 8-byte aligned.
  - the kernel segment: its base (mem - text_offset) is 2 MiB aligned, memsz covers image_size,
    and the initrd lies in the same 1 GiB-aligned 32 GiB window.
  - crash loads: every segment inside the main crash region; the ELF core header (EM_AARCH64)
    lists System RAM minus the crash regions (and minus the crash CMA ranges) exactly, plus the
    kernel text; nothing it lists overlaps a crash region or a CMA range; no segment lies in one.
  - the DMA notes: the limit (--dma-limit: what it must be), and the largest free DMA-capable
    block, recomputed here from the usable ranges minus the segments (--want-largest too).
Prints "ok: ..." per invariant and "problem: ..." per failure; exit 1 on any problem.
"""
import argparse
import json
import os
import re
import struct
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tools"))
from rangeset import minus as subtract, norm as merge  # noqa: E402

problems = []
oks = []


def ok(msg):
    oks.append(msg)
    print('ok: ' + msg)


def problem(msg):
    problems.append(msg)
    print('problem: ' + msg)


def iomem(root):
    ram, crash = [], []
    with open(os.path.join(root, 'proc/iomem')) as f:
        for line in f:
            m = re.match(r'^( *)([0-9a-f]+)-([0-9a-f]+) : (.*)$', line.rstrip('\n'))
            if not m:
                continue
            s, e, name = int(m.group(2), 16), int(m.group(3), 16) + 1, m.group(4)
            if name.startswith('System RAM'):
                ram.append((s, e))
            elif name == 'Crash kernel':
                crash.append((s, e))
    return merge(ram), sorted(crash)


def kernel_code(root):
    with open(os.path.join(root, 'proc/iomem')) as f:
        for line in f:
            m = re.match(r'^ *([0-9a-f]+)-[0-9a-f]+ : Kernel code$', line.rstrip('\n'))
            if m:
                return int(m.group(1), 16)
    return None


class Fdt:
    """Just enough of the flattened device tree format: header, reserve map, struct, strings."""

    def __init__(self, blob):
        (magic, totalsize, off_struct, off_strings, off_rsv, version, _, _, size_strings,
         size_struct) = struct.unpack('>10I', blob[:40])
        if magic != 0xd00dfeed:
            raise ValueError('bad FDT magic 0x%x' % magic)
        if totalsize > len(blob):
            raise ValueError('totalsize %d beyond the segment (%d)' % (totalsize, len(blob)))
        self.totalsize = totalsize
        self.rsv = []
        o = off_rsv
        while True:
            a, s = struct.unpack('>QQ', blob[o:o + 16])
            o += 16
            if a == 0 and s == 0:
                break
            self.rsv.append((a, s))
        strings = blob[off_strings:off_strings + size_strings]
        self.nodes = {}
        path = []
        o = off_struct
        while True:
            tok, = struct.unpack('>I', blob[o:o + 4])
            o += 4
            if tok == 1:
                end = blob.index(b'\0', o)
                name = blob[o:end].decode()
                o = (end + 4) & ~3
                path.append(name)
                self.nodes.setdefault(self.path(path), {})
            elif tok == 2:
                path.pop()
            elif tok == 3:
                ln, noff = struct.unpack('>II', blob[o:o + 8])
                o += 8
                pname = strings[noff:strings.index(b'\0', noff)].decode()
                self.nodes[self.path(path)][pname] = blob[o:o + ln]
                o = (o + ln + 3) & ~3
            elif tok == 4:
                continue
            elif tok == 9:
                break
            else:
                raise ValueError('bad FDT token %d' % tok)

    @staticmethod
    def path(p):
        return '/' + '/'.join(x for x in p[1:]) if len(p) > 1 else '/'

    def prop(self, node, name):
        return self.nodes.get(node, {}).get(name)

    def cells(self, node, name, default):
        v = self.prop(node, name)
        return struct.unpack('>I', v)[0] if v else default


def be(b, cells, i):
    v = 0
    for k in range(cells):
        v = v << 32 | struct.unpack('>I', b[(i + k) * 4:(i + k + 1) * 4])[0]
    return v


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('root')
    ap.add_argument('plan')
    ap.add_argument('segdir')
    ap.add_argument('--normal', action='store_true')
    ap.add_argument('--kernel')
    ap.add_argument('--initrd')
    ap.add_argument('--dma-limit', type=lambda s: int(s, 0))
    ap.add_argument('--want-largest')
    ap.add_argument('--want-cma', default='')
    a = ap.parse_args()
    plan = json.load(open(a.plan))
    segs = plan['segments']
    for s in segs:
        for k in ('mem', 'memsz', 'bufsz'):
            s[k] = int(s[k], 16)
    byrole = {}
    for i, s in enumerate(segs):
        byrole.setdefault(s['role'], []).append(i)
        s['bytes'] = open(os.path.join(a.segdir, 'seg%d.bin' % i), 'rb').read()
    ram, crash = iomem(a.root)
    crash_main = crash[-1] if crash else None
    cma = [(int(x.split('-')[0], 16), int(x.split('-')[1], 16) + 1) for x in filter(None, a.want_cma.split(','))]
    usable = ([crash_main] + cma + ([crash[0]] if len(crash) == 2 else [])) if crash else []
    pc = [(int(r['start'], 16), int(r['end'], 16)) for r in plan.get('crash_cma', {}).get('ranges', [])]
    if pc != cma:
        problem('plan crash_cma ranges %s != the expected %s' % ([(hex(x), hex(y)) for x, y in pc],
                                                                 [(hex(x), hex(y)) for x, y in cma]))
    elif cma:
        ok('plan crash_cma ranges = the expected %d' % len(cma))
    for s0 in segs:
        for cs, ce in cma:
            if s0['mem'] < ce and cs < s0['mem'] + s0['memsz']:
                problem('%s segment [0x%x, +0x%x) lies in crash CMA range [0x%x, 0x%x)' % (
                    s0['role'], s0['mem'], s0['memsz'], cs, ce))

    # kernel
    k = segs[byrole['kernel'][0]]
    hdr = k['bytes'][:64]
    text_offset, image_size, flags = struct.unpack('<QQQ', hdr[8:32])
    if struct.unpack('<I', hdr[56:60])[0] != 0x644d5241:
        problem('kernel segment does not start with an arm64 Image header')
    base = k['mem'] - text_offset
    if base % (2 << 20):
        problem('kernel base 0x%x (mem - text_offset) is not 2 MiB aligned' % base)
    else:
        ok('kernel at 2 MiB-aligned base 0x%x + text_offset 0x%x' % (base, text_offset))
    kept = int(k.get('kept_free', '0x0'), 16)
    if image_size and k['memsz'] + kept < image_size:
        problem('kernel memsz 0x%x + kept free 0x%x < image_size 0x%x' % (k['memsz'], kept, image_size))
    else:
        ok('kernel memsz 0x%x + kept free 0x%x covers image_size 0x%x' % (k['memsz'], kept, image_size))
    if k['memsz'] < k['bufsz']:
        problem('kernel memsz below its bytes')
    # nothing else may sit in the kept-free part
    for x in segs:
        if x is not k and x['mem'] < k['mem'] + k['memsz'] + kept and k['mem'] < x['mem'] + x['memsz']:
            problem('%s segment inside the kernel\'s image_size' % x['role'])
    if a.kernel:
        raw = open(a.kernel, 'rb').read()
        if raw[:64] == hdr and k['bytes'] != raw[:len(k['bytes'])]:
            problem('kernel segment bytes differ from the Image file')
    initrd = segs[byrole['initrd'][0]] if 'initrd' in byrole else None
    if initrd:
        lo = min(base, initrd['mem']) & ~((1 << 30) - 1)
        hi = max(k['mem'] + k['memsz'], initrd['mem'] + initrd['memsz'])
        if hi - lo > 32 << 30:
            problem('initrd [0x%x, +0x%x) is not in a 32 GiB window with the kernel' % (initrd['mem'], initrd['memsz']))
        else:
            ok('initrd in the kernel\'s 1 GiB-aligned 32 GiB window')
        if a.initrd and initrd['bytes'] != open(a.initrd, 'rb').read():
            problem('initrd segment bytes differ from the file')

    # device tree
    if 'dtb' not in byrole:
        problem('no dtb segment')
        return finish()
    d = segs[byrole['dtb'][0]]
    if d['mem'] % 8 or d['bufsz'] > 2 << 20:
        problem('dtb at 0x%x, %d bytes: must be 8-byte aligned and at most 2 MiB' % (d['mem'], d['bufsz']))
    else:
        ok('dtb 8-byte aligned, %d bytes' % d['bufsz'])
    try:
        fdt = Fdt(d['bytes'])
    except Exception as e:
        problem('dtb does not parse: %s' % e)
        return finish()
    if fdt.rsv:
        problem('dtb keeps /memreserve/ entries %s' % fdt.rsv)
    else:
        ok('no /memreserve/ entries')
    ac, sc = fdt.cells('/', '#address-cells', 2), fdt.cells('/', '#size-cells', 1)
    ch = '/chosen'
    ba = fdt.prop(ch, 'bootargs')
    if (ba or b'\0').rstrip(b'\0').decode() != plan['cmdline']:
        problem('bootargs %r != plan cmdline %r' % (ba, plan['cmdline']))
    else:
        ok('bootargs = the plan\'s command line')
    ist, ien = fdt.prop(ch, 'linux,initrd-start'), fdt.prop(ch, 'linux,initrd-end')
    if initrd:
        want = (initrd['mem'], initrd['mem'] + initrd['bufsz'])
        got = (be(ist, len(ist) // 4, 0), be(ien, len(ien) // 4, 0)) if ist and ien else None
        if got != want:
            problem('linux,initrd-start/end %s != initrd segment %s' % (got, want))
        else:
            ok('linux,initrd-start/end = the initrd segment')
    elif ist or ien:
        problem('linux,initrd-start/end present without an initrd')
    eh = fdt.prop(ch, 'linux,elfcorehdr')
    um = fdt.prop(ch, 'linux,usable-memory-range')
    if a.normal:
        if eh or um:
            problem('a normal load carries linux,elfcorehdr or linux,usable-memory-range')
        else:
            ok('no kdump properties in a normal load')
        return finish()
    h = segs[byrole['elfcorehdr'][0]]
    if not eh or len(eh) != (ac + sc) * 4 or (be(eh, ac, 0), be(eh, sc, ac)) != (h['mem'], h['memsz']):
        problem('linux,elfcorehdr %r != elfcorehdr segment (0x%x, 0x%x) in %d/%d cells' % (eh, h['mem'], h['memsz'], ac, sc))
    else:
        ok('linux,elfcorehdr = the header segment in %d+%d cells' % (ac, sc))
    got = []
    if um and len(um) % ((ac + sc) * 4) == 0:
        for i in range(len(um) // ((ac + sc) * 4)):
            s = be(um, ac, i * (ac + sc))
            got.append((s, s + be(um, sc, i * (ac + sc) + ac)))
    if got != usable:
        problem('linux,usable-memory-range %s != main, CMA..., low %s' % (
            [(hex(x), hex(y)) for x, y in got], [(hex(x), hex(y)) for x, y in usable]))
    else:
        ok('linux,usable-memory-range: main region first, %d crash CMA, low last (%d)' % (len(cma), len(got)))

    # every segment in the main crash region
    for s in segs:
        if s['mem'] < crash_main[0] or s['mem'] + s['memsz'] > crash_main[1]:
            problem('%s segment [0x%x, +0x%x) outside the main crash region' % (s['role'], s['mem'], s['memsz']))
    ok('segments inside the main crash region')
    # page-aligned to the running kernel's page size (VMCOREINFO PAGESIZE in the kcore notes:
    # 4K, 16K or 64K); the kernel refuses segments that are not
    m = re.search(rb'PAGESIZE=(\d+)\n', open(os.path.join(a.root, 'proc/kcore'), 'rb').read())
    page = int(m.group(1)) if m else 4096
    for s in segs:
        if s['mem'] % page or s['memsz'] % page:
            problem('%s segment [0x%x, +0x%x) not aligned to the %d-byte page' % (s['role'], s['mem'], s['memsz'], page))
    ok('segments aligned to the %d KiB page (%s)' % (page >> 10, 'VMCOREINFO PAGESIZE' if m else 'default'))
    entry = int(plan['entry'], 16)
    p = segs[byrole['purgatory'][0]]
    if not p['mem'] <= entry < p['mem'] + p['memsz']:
        problem('entry 0x%x not in the purgatory' % entry)

    # the ELF core header
    b = h['bytes']
    if b[:4] != b'\x7fELF' or struct.unpack('<H', b[18:20])[0] != 183:
        problem('elfcorehdr is not an EM_AARCH64 ELF')
        return finish()
    phoff, = struct.unpack('<Q', b[32:40])
    phnum, = struct.unpack('<H', b[56:58])
    loads = []
    for i in range(phnum):
        t, _, off, va, pa, fs, ms, al = struct.unpack('<IIQQQQQQ', b[phoff + 56 * i:phoff + 56 * (i + 1)])
        if t == 1:
            loads.append((pa, pa + ms, va))
    want = subtract(ram, crash + cma)
    # the kernel's shape: the kernel text PT_LOAD first, then the linear map of RAM
    if not loads:
        problem('core header has no PT_LOAD')
        return finish()
    text, lin = loads[0], [(s, e) for s, e, v in loads[1:]]
    code = kernel_code(a.root)
    if code is not None and not text[0] <= code < text[1]:
        problem('kernel text PT_LOAD [0x%x, 0x%x) does not hold "Kernel code" 0x%x' % (text[0], text[1], code))
    else:
        ok('kernel text PT_LOAD [0x%x, 0x%x) at vaddr 0x%x' % (text[0], text[1], text[2]))
    if merge(lin) != merge(want):
        problem('core header RAM %s != System RAM minus crash regions %s' % (
            [(hex(x), hex(y)) for x, y in merge(lin)], [(hex(x), hex(y)) for x, y in merge(want)]))
    else:
        ok('core header lists System RAM minus the crash regions (%d PT_LOAD)' % len(lin))
    offs = set(v - s for s, e, v in loads[1:])
    if len(offs) != 1:
        problem('linear-map PT_LOADs disagree on the offset: %s' % [hex(o) for o in offs])
    for s, e in lin:
        for cs, ce in crash + cma:
            if s < ce and cs < e:
                problem('PT_LOAD [0x%x, 0x%x) overlaps crash region or CMA range [0x%x, 0x%x)' % (s, e, cs, ce))

    # DMA notes
    notes = [n['message'] for n in plan.get('notes', [])]
    lim = None
    for n in notes:
        m = re.match(r'DMA limit (0x[0-9a-f]+)', n)
        if m:
            lim = int(m.group(1), 16)
    if lim is None:
        problem('no "DMA limit" note')
        return finish()
    if a.dma_limit is not None and lim != a.dma_limit:
        problem('DMA limit 0x%x, want 0x%x' % (lim, a.dma_limit))
    else:
        ok('DMA limit 0x%x' % lim)
    free = []
    for s, e in usable:
        free.append((s, min(e, lim)))
    free = [(s, e) for s, e in free if s < e]
    free = subtract(free, [(x['mem'], x['mem'] + x['memsz'] + int(x.get('kept_free', '0x0'), 16)) for x in segs])
    best = max(free, key=lambda r: (r[1] - r[0], -r[0]), default=None)
    got = None
    for n in notes:
        m = re.match(r'largest free DMA-capable block for the kdump kernel: \[(0x[0-9a-f]+), (0x[0-9a-f]+)\)', n)
        if m:
            got = (int(m.group(1), 16), int(m.group(2), 16))
    if best and got != best and (got is None or got[1] - got[0] != best[1] - best[0]):
        problem('largest free DMA block note %s != recomputed %s' % (got, best))
    elif best:
        ok('largest free DMA block [0x%x, 0x%x) (%d MiB)' % (best[0], best[1], (best[1] - best[0]) >> 20))
    if a.want_largest:
        s, e = (int(x, 16) for x in a.want_largest.split('-'))
        if not got or got[1] - got[0] < e - s:
            problem('largest free DMA block %s smaller than the wanted [0x%x, 0x%x)' % (got, s, e))
        else:
            ok('largest free DMA block at least 0x%x bytes' % (e - s))
    return finish()


def finish():
    return 1 if problems else 0


if __name__ == '__main__':
    sys.exit(main())
