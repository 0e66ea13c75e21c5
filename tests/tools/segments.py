"""segments.py - decode the bytes a kexec_load hands the kernel, independently of the loader.

Shared by tests/golden/check-plan.py (our plans) and tests/diff/compare.py (ours and the peer's),
so both sides are read by the same code. Python 3 stdlib only. Nothing here trusts a plan: it
reads segment files and the published formats.

Dumps (read_dump):
  ours    `kexec --dry-run --dump-segments DIR`: DIR/manifest lines
              syscall kexec_load | flags 0x.. | entry 0x..
              seg N ROLE mem=0x.. memsz=0x.. bufsz=0x.. digest=0|1 file=segN.bin
  peer    tests/diff/shim.c: DIR/manifest lines
              entry 0x.. nr N flags 0x..
              seg N mem 0x.. memsz 0x.. bufsz 0x..
  both with DIR/seg<N>.bin holding bufsz bytes.

x86 boot_params (BootParams), per the x86 boot protocol (Documentation/arch/x86/boot.rst and
zero-page.rst): e820_entries u8 at 0x1e8, e820_table at 0x2d0 (128 x {u64 addr, u64 size,
u32 type}), sentinel u8 0x1ef, setup header from 0x1f1 (its length: 0x202 + the byte at 0x201),
type_of_loader 0x210, ramdisk_image 0x218 (+ ext_ramdisk_image 0x0c0 << 32), ramdisk_size 0x21c
(+ ext_ramdisk_size 0x0c4 << 32), cmd_line_ptr 0x228 (+ ext_cmd_line_ptr 0x0c8 << 32),
cmdline_size 0x238, setup_data 0x250: a chain of struct setup_data {u64 next; u32 type; u32 len;
u8 data[len]} at physical addresses; SETUP_E820_EXT (1) carries e820 entries 129.., SETUP_DTB (2)
a flattened device tree, SETUP_RNG_SEED (9) a seed. Pointers are followed into the bytes of the
dump's segments.

ELF core header (CoreHeader): ELF64 little-endian ET_CORE Ehdr, e_phnum Elf64_Phdr at e_phoff;
the program header slots that fit in the buffer are its capacity, the all-zero ones after
e_phnum its spare slots.
"""
import os
import struct

E820_TYPES = {"ram": 1, "reserved": 2, "acpi": 3, "nvs": 4, "unusable": 5, "pmem": 7, "pram": 12,
              "soft-reserved": 0xefffffff}
E820_NAMES = {v: k for k, v in E820_TYPES.items()}
E820_MAX = 128
SETUP_E820_EXT, SETUP_DTB = 1, 2
SETUP_DATA_TYPES = {1: "E820_EXT", 2: "DTB", 3: "PCI", 4: "EFI", 5: "APPLE_PROPERTIES",
                    6: "JAILHOUSE", 7: "CC_BLOB", 8: "IMA", 9: "RNG_SEED"}
PT_NULL, PT_LOAD, PT_NOTE = 0, 1, 4
PAGE = 4096

# setup_header fields a boot loader writes or may modify (boot protocol "write"/"modify"
# fields); everything else in the header must be the image's own bytes.
HDR_LOADER_FIELDS = {
    0x1fa: (2, "vid_mode"), 0x210: (1, "type_of_loader"), 0x211: (1, "loadflags"),
    0x214: (4, "code32_start"), 0x218: (4, "ramdisk_image"), 0x21c: (4, "ramdisk_size"),
    0x224: (2, "heap_end_ptr"), 0x226: (1, "ext_loader_ver"), 0x227: (1, "ext_loader_type"),
    0x228: (4, "cmd_line_ptr"), 0x250: (8, "setup_data"),
}


def e820_type_name(t):
    return E820_NAMES.get(t, "type%#x" % t)


class Segment:
    def __init__(self, index, mem, memsz, bufsz, data, role=None, digest=None):
        self.index, self.mem, self.memsz, self.bufsz = index, mem, memsz, bufsz
        self.data, self.role, self.digest = data, role, digest

    def __repr__(self):
        return "seg%d(%s %#x+%#x)" % (self.index, self.role or "?", self.mem, self.memsz)


class Dump:
    """A segment dump: .entry, .flags, .syscall (ours only), .segs [Segment]."""

    def __init__(self, d):
        self.dir, self.entry, self.flags, self.syscall, self.segs = d, None, None, None, []
        with open(os.path.join(d, "manifest")) as f:
            for n, l in enumerate(f, 1):
                w = l.split()
                if not w:
                    continue
                if w[0] == "seg":
                    self.segs.append(self._seg(w, n))
                elif w[0] == "entry" and len(w) >= 6 and w[4] == "flags":   # the peer's shim
                    self.entry, self.flags = int(w[1], 16), int(w[5], 16)
                elif w[0] == "entry":
                    self.entry = int(w[1], 16)
                elif w[0] == "flags":
                    self.flags = int(w[1], 16)
                elif w[0] == "syscall":
                    self.syscall = w[1]
                else:
                    raise ValueError("%s/manifest line %d not understood: %r" % (d, n, l))

    def _seg(self, w, n):
        i = int(w[1])
        kv = dict(x.split("=", 1) for x in w[2:] if "=" in x)
        if kv:   # ours: seg N ROLE mem=.. memsz=.. bufsz=.. digest=.. file=..
            role, mem, memsz, bufsz = w[2], int(kv["mem"], 16), int(kv["memsz"], 16), int(kv["bufsz"], 16)
            digest, fname = kv.get("digest") == "1", kv.get("file", "seg%d.bin" % i)
            kept = int(kv.get("kept_free", "0"), 16)
        else:    # peer: seg N mem 0x.. memsz 0x.. bufsz 0x..
            role, digest, fname, kept = None, None, "seg%d.bin" % i, 0
            mem, memsz, bufsz = int(w[3], 16), int(w[5], 16), int(w[7], 16)
        data = open(os.path.join(self.dir, fname), "rb").read()
        if len(data) != bufsz:
            raise ValueError("%s/%s: %d bytes, manifest line %d says bufsz %#x" % (self.dir, fname, len(data), n, bufsz))
        s = Segment(i, mem, memsz, bufsz, data, role, digest)
        s.kept_free = kept   # ours: bytes after memsz kept free for the image (not copied or zeroed)
        return s

    def by_role(self, role):
        return [s for s in self.segs if s.role == role]

    def setup(self):
        """The boot_params segment: role "setup", else the one with "HdrS" at 0x202."""
        s = self.by_role("setup") or [s for s in self.segs if s.data[0x202:0x206] == b"HdrS"]
        return s[0] if s else None

    def elfcorehdr(self):
        """The ELF core header segment: role "elfcorehdr", else an ELF64 ET_CORE at offset 0."""
        s = self.by_role("elfcorehdr") or [s for s in self.segs if s.data[:4] == b"\x7fELF" and
                                           len(s.data) >= 64 and struct.unpack_from("<H", s.data, 16)[0] == 4]
        return s[0] if s else None

    def containing(self, addr):
        """The segment whose [mem, mem + bufsz) holds physical address @addr, or None."""
        return next((s for s in self.segs if s.mem <= addr < s.mem + s.bufsz), None)


def read_dump(d):
    return Dump(d)


def _u(fmt, b, off):
    return struct.unpack_from(fmt, b, off)[0]


class BootParams:
    """struct boot_params decoded from the setup segment @seg (a Segment) of @dump.

    Pointers (cmd_line_ptr, setup_data) are followed into the bytes of any segment of @dump
    (the peer puts its setup_data in a segment of its own), or only into @seg without @dump.
    .e820_table  [(start, end, type)] the e820_entries in boot_params (end exclusive)
    .e820_ext    [(start, end, type)] from SETUP_E820_EXT setup_data (in chain order)
    .e820        both, in order: what the next kernel sees
    .setup_data  [(addr, type, len, segment)] the chain from hdr.setup_data
    .ramdisk_image/.ramdisk_size/.cmd_line_ptr  64-bit (ext_* fields folded in)
    .cmdline     the NUL-terminated string at cmd_line_ptr (str), or None; .cmdline_seg its segment
    .problems    [str] what does not decode: pointers outside every segment's bytes, no NUL,
                 a setup_data loop or overrun, e820_entries > 128, a bad E820_EXT length
    """

    def __init__(self, seg, dump=None):
        self.seg, self.dump, self.problems = seg, dump, []
        data = seg.data
        if len(data) < 0x1000:
            self.problems.append("setup segment is %d bytes, shorter than boot_params (4096)" % len(data))
            data = data + bytes(0x1000 - len(data))
        self.data = b = data
        self.e820_entries = b[0x1e8]
        self.sentinel = b[0x1ef]
        self.setup_sects = b[0x1f1]
        self.boot_flag = _u("<H", b, 0x1fe)
        self.header_magic = b[0x202:0x206]
        self.version = _u("<H", b, 0x206)
        self.hdr_end = 0x202 + b[0x201]
        self.type_of_loader = b[0x210]
        self.loadflags = b[0x211]
        self.ramdisk_image = _u("<I", b, 0x218) | _u("<I", b, 0x0c0) << 32
        self.ramdisk_size = _u("<I", b, 0x21c) | _u("<I", b, 0x0c4) << 32
        self.cmd_line_ptr = _u("<I", b, 0x228) | _u("<I", b, 0x0c8) << 32
        self.cmdline_size = _u("<I", b, 0x238)
        self.xloadflags = _u("<H", b, 0x236)
        self.setup_data_ptr = _u("<Q", b, 0x250)
        self.acpi_rsdp_addr = _u("<Q", b, 0x070)
        n = self.e820_entries
        if n > E820_MAX:
            self.problems.append("e820_entries is %d, more than the table's %d" % (n, E820_MAX))
            n = E820_MAX
        self.e820_table = [self._e820(b, 0x2d0 + 20 * i) for i in range(n)]
        self.setup_data, self.e820_ext = [], []
        self._walk_setup_data()
        self.e820 = self.e820_table + self.e820_ext
        self.cmdline_seg = None
        self.cmdline = self._cmdline()

    @staticmethod
    def _e820(b, off):
        a, s, t = struct.unpack_from("<QQI", b, off)
        return (a, a + s, t)

    def _where(self, addr, length):
        """(segment, offset) holding [addr, addr + length) in its bytes, or (None, None)."""
        segs = [self.seg] + ([s for s in self.dump.segs if s is not self.seg] if self.dump else [])
        for s in segs:
            o = addr - s.mem
            if 0 <= o and o + length <= len(s.data):
                return s, o
        return None, None

    def _where_str(self):
        return "the setup segment" if not self.dump else "any segment's bytes"

    def _walk_setup_data(self):
        seen, p = set(), self.setup_data_ptr
        while p:
            if p in seen:
                self.problems.append("setup_data chain loops at %#x" % p)
                return
            seen.add(p)
            s, o = self._where(p, 16)
            if s is None:
                self.problems.append("setup_data %#x is outside %s" % (p, self._where_str()))
                return
            nxt, typ, ln = struct.unpack_from("<QII", s.data, o)
            if o + 16 + ln > len(s.data):
                self.problems.append("setup_data %#x (type %d) len %d runs past its segment" % (p, typ, ln))
                return
            self.setup_data.append((p, typ, ln, s))
            if typ == SETUP_E820_EXT:
                if ln % 20:
                    self.problems.append("SETUP_E820_EXT at %#x: len %d is not a multiple of 20" % (p, ln))
                self.e820_ext += [self._e820(s.data, o + 16 + 20 * i) for i in range(ln // 20)]
            p = nxt

    def _cmdline(self):
        p = self.cmd_line_ptr
        if not p:
            self.problems.append("cmd_line_ptr is 0")
            return None
        s, o = self._where(p, 1)
        if s is None:
            self.problems.append("cmd_line_ptr %#x is outside %s" % (p, self._where_str()))
            return None
        end = s.data.find(b"\0", o)
        if end < 0:
            self.problems.append("the command line at %#x has no NUL before the end of its segment" % p)
            return None
        self.cmdline_seg = s
        return s.data[o:end].decode("latin-1")

    def setup_data_of(self, typ):
        return [(a, ln, s) for a, t, ln, s in self.setup_data if t == typ]

    def header_differences(self, image):
        """[(offset, what)] where the setup header (0x1f1 .. its end) differs from @image's,
        leaving out the fields a boot loader writes (HDR_LOADER_FIELDS)."""
        end = min(0x202 + image[0x201], 0x2d0)
        skip = set()
        for off, (ln, _) in HDR_LOADER_FIELDS.items():
            skip.update(range(off, off + ln))
        out = []
        for i in range(0x1f1, end):
            if i not in skip and self.data[i] != image[i]:
                out.append((i, "byte %#x: %#04x, the image has %#04x" % (i, self.data[i], image[i])))
        if self.hdr_end != 0x202 + image[0x201]:
            out.append((0x201, "header length byte differs"))
        return out


class CoreHeader:
    """An ELF64 core header (elfcorehdr / vmcore / kcore headers).

    .phnum .phoff .machine .type
    .phdrs     [dict(type, flags, offset, vaddr, paddr, filesz, memsz, align)] e_phnum of them
    .capacity  program header slots that fit in the buffer after e_phoff
    .spare     slots after e_phnum up to capacity (.spare_nonzero: those not all zero)
    .problems  [str]
    """

    def __init__(self, data):
        self.problems = []
        b = data
        if len(b) < 64 or b[:4] != b"\x7fELF":
            self.problems.append("not an ELF file")
            self.phdrs, self.phnum, self.capacity, self.spare, self.spare_nonzero = [], 0, 0, 0, 0
            return
        if b[4] != 2 or b[5] != 1:
            self.problems.append("not ELFCLASS64 little-endian (EI_CLASS %d, EI_DATA %d)" % (b[4], b[5]))
        self.type, self.machine = _u("<H", b, 16), _u("<H", b, 18)
        self.phoff, self.phentsize, self.phnum = _u("<Q", b, 32), _u("<H", b, 54), _u("<H", b, 56)
        if self.type != 4:
            self.problems.append("e_type %d is not ET_CORE" % self.type)
        if self.phentsize != 56:
            self.problems.append("e_phentsize %d is not 56" % self.phentsize)
        self.capacity = (len(b) - self.phoff) // 56 if self.phoff <= len(b) else 0
        if self.phnum > self.capacity:
            self.problems.append("e_phnum %d program headers do not fit (%d slots)" % (self.phnum, self.capacity))
            self.phnum = self.capacity
        self.phdrs = []
        for i in range(self.phnum):
            t, fl, off, va, pa, fs, ms, al = struct.unpack_from("<IIQQQQQQ", b, self.phoff + 56 * i)
            self.phdrs.append(dict(type=t, flags=fl, offset=off, vaddr=va, paddr=pa, filesz=fs, memsz=ms, align=al))
        slots = [b[self.phoff + 56 * i:self.phoff + 56 * (i + 1)] for i in range(self.phnum, self.capacity)]
        self.spare = len(slots)
        self.spare_nonzero = sum(1 for s in slots if any(s))

    def of_type(self, t):
        return [p for p in self.phdrs if p["type"] == t]


def cmdline_words(s):
    return s.split()


def cmdline_value(s, key):
    """The value of the last key=VALUE word of command line @s, or None."""
    v = None
    for w in s.split():
        if w.startswith(key + "="):
            v = w[len(key) + 1:]
    return v


def parse_size(v):
    """A kernel size/address: 0x.., decimal, with an optional K/M/G suffix; "X@Y" gives Y."""
    v = v.split("@")[-1]
    mult = {"k": 1 << 10, "m": 1 << 20, "g": 1 << 30}
    if v and v[-1].lower() in mult:
        return int(v[:-1], 0) * mult[v[-1].lower()]
    return int(v, 0)


def fmt_e820(entries, limit=6):
    s = ", ".join("[%#x-%#x) %s" % (a, e, e820_type_name(t)) for a, e, t in entries[:limit])
    return s + (" …(+%d)" % (len(entries) - limit) if len(entries) > limit else "")



def h(v):
    """A plan JSON number ("0x..." or int) as an int."""
    return int(v, 16) if isinstance(v, str) else int(v)
