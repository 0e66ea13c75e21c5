#!/bin/bash
# Golden dry-run tests: kexec --root ROOT --dry-run [--json] on machines built from the real
# /proc/iomem listings in fixtures/ (tools/mkroot.py) and on roots captured inside the QEMU
# guests (captured/<name>/, made by kexec --capture-root; see captured/README.md).
# Each case asserts invariants of the plan and decodes the bytes it would load (check-plan.py;
# kexec --dump-segments: boot_params e820/SETUP_E820_EXT, command line, ramdisk, setup header,
# the ELF core header), then compares the plan with expected/<case>.json (sha256 and digest
# fields are masked: they change whenever the purgatory code does).
# Error cases feed bad input and expect a non-zero exit and a message naming file and field.
# usage: run-golden.sh KEXEC        env: UPDATE_GOLDEN=1 rewrites expected/*.json
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
tools=$here/../tools
KEXEC=$(readlink -f "${1:?usage: run-golden.sh KEXEC}")
w=$(mktemp -d); trap 'rm -rf "$w"' EXIT
SUITE=golden
kx() { "$KEXEC" "$@"; }
. "$here/lib.sh"

python3 "$tools/mkbzimage.py" "$w/bzImage"
python3 "$tools/mkbzimage.py" "$w/bzImage-short-cmdline" --cmdline-size 64
python3 "$tools/mkbzimage.py" "$w/bzImage-no5level" --no-5level
python3 "$tools/mkbzimage.py" "$w/bzImage-below4g" --no-above-4g
head -c 1048576 /dev/zero | tr '\0' 'i' > "$w/initrd"
head -c 100000 "$w/bzImage" > "$w/bzImage-truncated"
KAPPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb"

# plan CASE ROOT CHECKFLAGS KEXEC-ARGS...: invariants, the decoded segment bytes
# (--dump-segments, check-plan.py --segments), and the snapshot (unless nosnap=1)
plan() {
	local name=$1 root=$2 cflags=$3; shift 3
	local out=$w/$name.json err=$w/$name.err segs=$w/$name.segs
	plan_inputs "$@"
	if ! "$KEXEC" --root "$root" --dry-run --json --dump-segments "$segs" "$@" >"$out" 2>"$err"; then
		bad "$name" "kexec failed: $(head -1 "$err")"; return
	fi
	if ! python3 "$here/check-plan.py" "$root" "$out" $cflags --segments "$segs" --kernel "$PLAN_KERNEL" \
		"${PLAN_INITRD[@]}" >"$w/$name.check"; then
		bad "$name" "$(grep problem: "$w/$name.check" | head -3 | tr '\n' ' ')"; return
	fi
	if [ "${nosnap:-0}" = 1 ]; then
		ok "$name ($(grep -c '^ok:' "$w/$name.check") invariants, no snapshot)"; return
	fi
	mask "$out" >"$w/$name.masked"
	if [ "${UPDATE_GOLDEN:-0}" = 1 ]; then
		cp "$w/$name.masked" "$here/expected/$name.json"
	fi
	if ! diff -u "$here/expected/$name.json" "$w/$name.masked" >"$w/$name.diff" 2>&1; then
		bad "$name" "plan differs from expected/$name.json: $(head -12 "$w/$name.diff" | tail -6 | tr '\n' ' ')"; return
	fi
	# the text form must describe the same plan
	if ! "$KEXEC" --root "$root" --dry-run "$@" >"$w/$name.txt" 2>&1 ||
	   ! grep -q "elfcorehdr\|segments" "$w/$name.txt"; then
		bad "$name" "text --dry-run failed"; return
	fi
	ok "$name ($(grep -c '^ok:' "$w/$name.check") invariants)"
}

mkroot() { # NAME FIXTURE ARGS...
	local n=$1 f=$2; shift 2
	python3 "$tools/mkroot.py" "$here/fixtures/$f" "$w/root-$n" --force --quiet "$@" || { bad "$n" "mkroot failed"; return 1; }
}

mkdir -p "$here/expected"
# --- roots synthesized from real iomem listings
mkroot qemu x86_64-qemu-i440fx-vm-crash-low.txt
mkroot hpe x86_64-hpe-xeon-server-crash-low-high-pmem.txt --cpus 4 --kaslr-text 0xffffffffa8a00000 --page-offset 0xffff9d2a80000000
mkroot qemu-l5 x86_64-qemu-i440fx-vm-crash-low.txt --l5
plan qemu-i440fx-crash "$w/root-qemu" "" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND"
plan qemu-i440fx-crash-noinitrd "$w/root-qemu" "" -c -p "$w/bzImage" --append="$KAPPEND"
plan qemu-i440fx-crash-5level "$w/root-qemu-l5" "" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND"
plan qemu-i440fx-crash-reuse "$w/root-qemu" "" -p "$w/bzImage" --initrd="$w/initrd" --reuse-cmdline --append=irqpoll
plan qemu-i440fx-normal "$w/root-qemu" --normal -l "$w/bzImage" --initrd="$w/initrd" --append="root=/dev/vda"
plan hpe-xeon-low-high-crash "$w/root-hpe" "" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND"
# more than 128 memory map entries: the qemu machine with its RAM above 4 GiB cut by 160 one-page
# "Reserved" holes (tools/punch-holes.py); entries 129.. must go into a SETUP_E820_EXT setup_data
# (no snapshot: the decoded bytes are checked against the plan, the plan against the iomem)
python3 "$tools/punch-holes.py" "$here/fixtures/x86_64-qemu-i440fx-vm-crash-low.txt" "$w/many-e820.txt" &&
if python3 "$tools/mkroot.py" "$w/many-e820.txt" "$w/root-e820" --force --quiet; then
	nosnap=1 plan e820-ext-160-holes "$w/root-e820" --want-e820-ext -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND"
	nosnap=1 plan e820-ext-160-holes-normal "$w/root-e820" "--normal --want-e820-ext" -l "$w/bzImage" --initrd="$w/initrd" --append=x
else
	bad e820-ext-160-holes "mkroot failed"
fi
# the kexec_file_load plan carries the command line and flags only
if "$KEXEC" --root "$w/root-qemu" --dry-run --json -s -p "$w/bzImage" --append=x >"$w/file.json" 2>&1 &&
   python3 -c 'import json,sys; p=json.load(open(sys.argv[1])); sys.exit(not (p["syscall"]=="kexec_file_load" and p["flags"]=="0x6" and p["cmdline"]=="x" and p["segments"]==[]))' "$w/file.json"; then
	ok "qemu-i440fx-file-load (flags ON_CRASH|NO_INITRAMFS)"
else
	bad "qemu-i440fx-file-load" "$(head -3 "$w/file.json")"
fi
# --- arm64 roots from the arm64 iomem fixtures (mk-arm64-roots.sh; no plans yet): each must parse
# (proc/kcore through kdump-elf, sys/firmware/fdt through dtc when installed) and agree with itself
kdump_elf=$(dirname "$KEXEC")/../kdump-elf/kdump-elf
if "$here/mk-arm64-roots.sh" "$w/arm64" >"$w/arm64.log" 2>&1; then
	while read -r n; do
		if python3 "$here/check-arm64-root.py" "$w/arm64/$n" --kdump-elf "$kdump_elf" >"$w/$n.check" 2>&1; then
			skips=$(sed -n 's/^skip: \([^:]*\):.*/; skipped: \1/p' "$w/$n.check" | tr -d '\n')
			ok "$n-root-parses ($(grep -c '^ok:' "$w/$n.check") checks$skips)"
		else
			bad "$n-root-parses" "$(grep -E '^problem:|Error|error' "$w/$n.check" | head -3 | tr '\n' ' ')"
		fi
	done <"$w/arm64/NAMES"
else
	bad arm64-roots "mk-arm64-roots.sh failed: $(tail -2 "$w/arm64.log" | tr '\n' ' ')"
fi
# --- roots captured inside the QEMU guests (kexec --capture-root)
for c in "$here"/captured/x86_64-*/; do	# (arm64-*: run-golden-arm64.sh)
	[ -d "$c/proc" ] || continue
	n=$(basename "$c")
	plan "captured-$n" "$c" "" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND"
done

# --- --capture-root copies what the plan needs: the same plan from the copy
"$KEXEC" --root "$w/root-hpe" --capture-root "$w/cap-hpe" >/dev/null 2>&1
if "$KEXEC" --root "$w/cap-hpe" --dry-run --json -p "$w/bzImage" --append=x >"$w/cap.json" 2>&1 &&
   "$KEXEC" --root "$w/root-hpe" --dry-run --json -p "$w/bzImage" --append=x >"$w/orig.json" 2>&1 &&
   cmp -s "$w/cap.json" "$w/orig.json" && [ ! -e "$w/cap-hpe/proc/kallsyms" ] &&
   [ "$(stat -c %s "$w/cap-hpe/proc/kcore")" -lt 65536 ]; then
	ok "capture-root-roundtrip (same plan from the capture; kcore $(stat -c %s "$w/cap-hpe/proc/kcore") bytes)"
else
	bad "capture-root-roundtrip" "$(head -2 "$w/cap.json")"
fi

# --- bad input: a clear message naming the file and field, non-zero exit, nothing planned
cp -r "$w/root-qemu" "$w/r-nocrash"; sed -i '/Crash kernel/d' "$w/r-nocrash/proc/iomem"
expect_error no-crashkernel "$w/r-nocrash" 1 'proc/iomem|crashkernel=' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-iomem"; sed -i '5s/.*/000c0000-zzzz : Video ROM/' "$w/r-iomem/proc/iomem"
expect_error malformed-iomem-line "$w/r-iomem" 255 'proc/iomem: line 5|hex' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-notes"; echo "not-hex" >"$w/r-notes/sys/devices/system/cpu/cpu1/crash_notes"
expect_error bad-crash-notes "$w/r-notes" 255 'cpu1/crash_notes|hexadecimal' -c -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-nsize"; echo "99999999" >"$w/r-nsize/sys/devices/system/cpu/cpu0/crash_notes_size"
expect_error bad-crash-notes-size "$w/r-nsize" 255 'cpu0/crash_notes|plausible' -c -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-vmci"; echo "garbage" >"$w/r-vmci/sys/kernel/vmcoreinfo"
expect_error bad-vmcoreinfo "$w/r-vmci" 255 'sys/kernel/vmcoreinfo|<hex address> <hex size>' -c -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-poss"; echo "0-x" >"$w/r-poss/sys/devices/system/cpu/possible"
expect_error bad-cpu-possible "$w/r-poss" 255 'cpu/possible|CPU list' -c -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-loaded"; echo "2" >"$w/r-loaded/sys/kernel/kexec_crash_loaded"
expect_error bad-crash-loaded-flag "$w/r-loaded" 255 'kexec_crash_loaded|0 or 1' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-kcore"; truncate -s 40 "$w/r-kcore/proc/kcore"
expect_error truncated-kcore "$w/r-kcore" 255 'proc/kcore' -c -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-phys"
python3 - "$w/r-phys/proc/kcore" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
m = re.search(rb"NUMBER\(phys_base\)=(-?\d+)", b)
v = b"4096".ljust(len(m.group(1)), b"0")[:len(m.group(1))] if m else b""
open(sys.argv[1], "wb").write(b[:m.start(1)] + v + b[m.end(1):])
PY
expect_error kcore-disagrees-vmcoreinfo "$w/r-phys" 255 'proc/kcore|phys_base' -c -p "$w/bzImage"
expect_error truncated-bzimage "$w/root-qemu" 255 'bzImage: truncated|syssize' -p "$w/bzImage-truncated"
expect_error not-a-kernel "$w/root-qemu" 255 'not a kernel image' -p "$w/initrd"
long=$(head -c 3000 /dev/zero | tr '\0' 'x')
expect_error cmdline-too-long "$w/root-qemu" 255 'command line is|cmdline_size' -l "$w/bzImage" --append="$long"
expect_error cmdline-too-long-crash "$w/root-qemu" 255 'cmdline_size' -p "$w/bzImage-short-cmdline" --append="$(head -c 60 /dev/zero | tr '\0' 'y')"
expect_error missing-kernel-file "$w/root-qemu" 1 'nope: cannot open' -p "$w/nope"
expect_error no-kernel-given "$w/root-qemu" 255 'No kernel specified' -p
expect_error bad-option "$w/root-qemu" 1 "unrecognized option '--bogus'" --bogus

# --- one machine fact at a time (tests/tools/root-extras.py)
# json CASE FILE PYTHON-EXPR: the plan JSON in FILE as p must satisfy the expression
extras() { # NAME BASE ARGS...: a copy of root-BASE with extras
	local n=$1 b=$2; shift 2
	rm -rf "$w/x-$n"; cp -r "$w/root-$b" "$w/x-$n" && python3 "$tools/root-extras.py" "$w/x-$n" "$@"
}
# lockdown: -a does not even try kexec_load; -c plans it but is told it will be refused
extras lockdown qemu --lockdown confidentiality
"$KEXEC" --root "$w/x-lockdown" --dry-run --json -p "$w/bzImage" --append=x >"$w/lockdown.json" 2>"$w/lockdown.err"
jcheck lockdown-auto-uses-kexec_file_load "$w/lockdown.json" 'p["syscall"] == "kexec_file_load" and "kernel lockdown is on (confidentiality)" in notes'
# proc/kcore hidden (a bind mount over it): -s and -a still plan, -c names the file
extras nokcore qemu --empty-kcore
"$KEXEC" --root "$w/x-nokcore" --dry-run --json -p "$w/bzImage" --append=x >"$w/nokcore-a.json" 2>"$w/nokcore-a.err"
jcheck kcore-hidden-auto-falls-back "$w/nokcore-a.json" 'p["syscall"] == "kexec_file_load" and "warning: kexec_load could not be planned (proc/kcore" in notes'
"$KEXEC" --root "$w/x-nokcore" --dry-run --json -s -p "$w/bzImage" --append=x >"$w/nokcore-s.json" 2>"$w/nokcore-s.err"
jcheck kcore-hidden-file-load-reads-no-kcore "$w/nokcore-s.json" 'p["syscall"] == "kexec_file_load" and "kcore" not in notes'
expect_error kcore-hidden-kexec-syscall "$w/x-nokcore" 255 'proc/kcore' -c -p "$w/bzImage"
# a non-root reader sees proc/iomem with every address 0
extras zeros qemu --hide-iomem
expect_error nonroot-iomem-zeros "$w/x-zeros" 255 'proc/iomem: every address reads as 0|--root' -p "$w/bzImage"
# touching low and high crash regions stay two: every segment goes into the higher one
extras split qemu --split-crash
"$KEXEC" --root "$w/x-split" --dry-run --json -p "$w/bzImage" --initrd="$w/initrd" --append=x >"$w/split.json" 2>"$w/split.err"
hi=$(grep ': Crash kernel' "$w/x-split/proc/iomem" | tail -1 | sed 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) .*/0x\1 0x\2/')
jcheck adjacent-crash-regions-not-merged "$w/split.json" "all(int(s['mem'],16) >= ${hi% *} and int(s['mem'],16)+int(s['memsz'],16) <= ${hi#* }+1 for s in p['segments'])"
# the kernel probe's rule: no XLF_CAN_BE_LOADED_ABOVE_4G, crash region above 4 GiB
expect_error below-4g-image-high-crash "$w/root-hpe" 255 'XLF_CAN_BE_LOADED_ABOVE_4G' -c -p "$w/bzImage-below4g"
"$KEXEC" --root "$w/root-qemu" --dry-run --json -c -l "$w/bzImage-below4g" --initrd="$w/initrd" --append=x >"$w/b4g.json" 2>"$w/b4g.err"
jcheck below-4g-image-normal-load "$w/b4g.json" 'all(int(s["mem"],16)+int(s["memsz"],16) <= 1<<32 for s in p["segments"] if s["role"] != "purgatory")'
# 5-level paging is checked for -l too (VMCOREINFO from proc/kcore)
expect_error normal-load-5level-refused "$w/root-qemu-l5" 255 'XLF_5LEVEL' -c -l "$w/bzImage-no5level"
# the initrd goes to the kernel byte for byte, gzip or not, every member
{ gzip -c <"$w/initrd"; head -c 4096 /dev/urandom | gzip -c; } >"$w/initrd.gz"
"$KEXEC" --root "$w/root-qemu" --dry-run --json -c -p "$w/bzImage" --initrd="$w/initrd.gz" --append=x >"$w/gz.json" 2>"$w/gz.err"
jcheck gzip-initrd-passed-as-is "$w/gz.json" "[(s['bufsz'], s['sha256']) for s in p['segments'] if s['role'] == 'initrd'] == [(hex($(stat -c %s "$w/initrd.gz")), '$(sha256sum "$w/initrd.gz" | cut -d' ' -f1)')]"
# EFI machines: RSDP from the EFI systab when boot_params has none; runtime services passed on
extras efi qemu --efi --rsdp-zero
for mode in -l -p; do
	rm -rf "$w/efi$mode"
	"$KEXEC" --root "$w/x-efi" --dry-run --json -c $mode "$w/bzImage" --append=x --dump-segments "$w/efi$mode" >"$w/efi$mode.json" 2>"$w/efi$mode.err"
	if python3 - "$w/efi$mode" <<'PY'
import struct, sys
d = sys.argv[1]
segs = [l.split() for l in open(d + "/manifest") if l.startswith("seg ")]
setup = [s for s in segs if s[2] == "setup"][0]
bp = open("%s/%s" % (d, setup[7].split("=")[1]), "rb").read()
mem = int(setup[3].split("=")[1], 16)
assert struct.unpack_from("<Q", bp, 0x70)[0] == 0x7fb7e014, "acpi_rsdp_addr"
sig, systab, dsize, dver, mmap, msize, shi, mhi = struct.unpack_from("<8I", bp, 0x1c0)
assert sig == 0x34364c45 and systab == 0x7fb9e018 and dsize == 40 and dver == 1, "efi_info"
assert msize == 3 * 40, "runtime map size"
m = (mhi << 32 | mmap) - mem
assert struct.unpack_from("<IIQQQQ", bp, m)[0:3] == (5, 0, 0x7f800000), "runtime map entry 0"
a, found = struct.unpack_from("<Q", bp, 0x250)[0], False
while a:
    nxt, typ, ln = struct.unpack_from("<QII", bp, a - mem)
    if typ == 4:
        fw, _, tables, smbios = struct.unpack_from("<4Q", bp, a - mem + 16)
        assert ln == 96 and fw == 0x7fb9e200 and tables == 0x7fb9e400 and smbios == 0x7f9a3000, "SETUP_EFI"
        found = True
    a = nxt
assert found, "no SETUP_EFI"
PY
	then ok "efi-runtime-passed-on$mode (efi_info, runtime map, SETUP_EFI, RSDP from systab)"
	else bad "efi-runtime-passed-on$mode" "$(head -2 "$w/efi$mode.err")"; fi
done
"$KEXEC" --root "$w/x-efi" --dry-run --json -c -p "$w/bzImage" --append=x --noefi >"$w/noefi.json" 2>&1
jcheck efi-noefi-says-why "$w/noefi.json" '"EFI runtime services are not passed on: --noefi" in notes'
# normal kexec: the next kernel's e820 comes from sys/firmware/memmap, which mem= does not cut
extras fwmap qemu --fw-memmap --mem-limit 0x80000000
rm -rf "$w/fwmap"
"$KEXEC" --root "$w/x-fwmap" --dry-run --json -c -l "$w/bzImage" --append=x --dump-segments "$w/fwmap" >/dev/null 2>"$w/fwmap.err"
if python3 - "$w/fwmap" "$w/x-fwmap" <<'PY'
import struct, sys, os
d, root = sys.argv[1], sys.argv[2]
segs = [l.split() for l in open(d + "/manifest") if l.startswith("seg ")]
bp = open("%s/%s" % (d, [s for s in segs if s[2] == "setup"][0][7].split("=")[1]), "rb").read()
n = bp[0x1e8]
e820 = [struct.unpack_from("<QQI", bp, 0x2d0 + 20 * i) for i in range(n)]
names = {"System RAM": 1, "Reserved": 2, "ACPI Tables": 3, "ACPI Non-volatile Storage": 4}
want = []
for i in range(1000):
    p = "%s/sys/firmware/memmap/%d" % (root, i)
    if not os.path.exists(p):
        break
    s, e, t = (open(p + "/" + f).read().strip() for f in ("start", "end", "type"))
    want.append((int(s, 16), int(e, 16) + 1 - int(s, 16), names.get(t, 2)))
assert sorted(e820) == sorted(want), (e820, want)
assert max(a + l for a, l, t in e820 if t == 1) > 0x80000000, "RAM beyond mem= is passed on"
PY
then ok "normal-e820-from-firmware-memmap"; else bad "normal-e820-from-firmware-memmap" "$(head -2 "$w/fwmap.err")"; fi
# --- crash header capacity and the kernel hotplug flag (issue 6)
mkroot qemu-hp x86_64-qemu-i440fx-vm-crash-low.txt --new-sysfs --crash-hotplug --elfcorehdr-size 917616
"$KEXEC" --root "$w/root-qemu-hp" --dry-run --json -p "$w/bzImage" --append=x >"$w/hp.json" 2>"$w/hp.err"
jcheck hotplug-flag-when-the-kernel-rewrites "$w/hp.json" 'int(p["flags"],16) & 0xc == 0x4 and int(p["elfcorehdr"]["memsz"],16) >= 917616 + 64 and p["elfcorehdr"]["capacity_by"] == "kernel" and not [s for s in p["segments"] if s["role"] == "elfcorehdr"][0]["in_digest"]'
"$KEXEC" --root "$w/root-qemu-hp" --dry-run --json --no-hotplug -p "$w/bzImage" --append=x >"$w/nohp.json" 2>&1
jcheck no-hotplug-flag-with-no-hotplug "$w/nohp.json" 'int(p["flags"],16) & 0xc == 0 and p["elfcorehdr"]["capacity_by"] == "policy" and int(p["elfcorehdr"]["memsz"],16) == 0x1000'
"$KEXEC" --root "$w/root-qemu" --dry-run --json -p "$w/bzImage" --append=x >"$w/61.json" 2>&1
jcheck no-hotplug-flag-on-6.1 "$w/61.json" 'int(p["flags"],16) & 0xc == 0 and p["elfcorehdr"]["spare"] >= 16'
expect_error hotplug-needs-kernel-support "$w/root-qemu" 255 '--hotplug|crash_elfcorehdr_size|CONFIG_CRASH_HOTPLUG' --hotplug -p "$w/bzImage"
"$KEXEC" --root "$w/root-qemu" --dry-run --json -p "$w/bzImage" --append=x --elfcorehdr-slots=7 >"$w/slots.json" 2>&1
jcheck elfcorehdr-slots-exact "$w/slots.json" 'p["elfcorehdr"]["capacity"] == 7 and p["elfcorehdr"]["spare"] == 0 and p["elfcorehdr"]["capacity_by"] == "--elfcorehdr-slots"'
expect_error elfcorehdr-slots-too-small "$w/root-qemu" 255 '--elfcorehdr-slots=6 is too small|needs 7' -p "$w/bzImage" --elfcorehdr-slots=6
expect_error elfcorehdr-slots-bad-value "$w/root-qemu" 1 '--elfcorehdr-slots=0' -p "$w/bzImage" --elfcorehdr-slots=0
# hot-pluggable memory (SRAT) and absent CPUs: headroom, and acpi_no_memhotplug for the kdump kernel
extras srat qemu --srat 0x140000000:0xc0000000 --block-size 8000000 --cpus-present 0
"$KEXEC" --root "$w/x-srat" --dry-run --json -p "$w/bzImage" --append=x >"$w/srat.json" 2>&1
jcheck hotpluggable-memory-headroom "$w/srat.json" 'p["elfcorehdr"]["headroom"] == {"memory": 24, "cpus": 1, "kernel": 0} and p["cmdline"].endswith(" acpi_no_memhotplug")'
"$KEXEC" --root "$w/x-srat" --dry-run --json -s -p "$w/bzImage" --append=x >"$w/srat-s.json" 2>&1
jcheck acpi-no-memhotplug-for-kexec_file_load-too "$w/srat-s.json" 'p["cmdline"] == "x acpi_no_memhotplug"'
"$KEXEC" --root "$w/x-srat" --dry-run --json -p "$w/bzImage" --append="x acpi_no_memhotplug" >"$w/srat-own.json" 2>&1
jcheck acpi-no-memhotplug-once "$w/srat-own.json" 'p["cmdline"].count("acpi_no_memhotplug") == 1'
"$KEXEC" --root "$w/x-srat" --dry-run --json -p "$w/bzImage" --append="x memhp_default_state=offline" >"$w/srat-off.json" 2>&1
jcheck acpi-no-memhotplug-despite-memhp-offline "$w/srat-off.json" 'p["cmdline"].endswith("memhp_default_state=offline acpi_no_memhotplug")'
"$KEXEC" --root "$w/x-srat" --dry-run --json -l "$w/bzImage" --append=x >"$w/srat-l.json" 2>&1
jcheck acpi-no-memhotplug-only-for-crash-loads "$w/srat-l.json" '"acpi_no_memhotplug" not in p["cmdline"]'

# --- kexec --reload-elfcorehdr on a root, with tests/diff/shim.c recording kexec_load
shim=$w/shim.so
gcc -shared -fPIC -O2 -o "$shim" "$here/../diff/shim.c" -ldl 2>"$w/shim.err" || bad reload-shim "$(head -1 "$w/shim.err")"
shimmed() { # OUTDIR KEXEC-ARGS...: run ours with kexec_load recorded into OUTDIR
	local out=$1; shift
	rm -rf "$out"; mkdir -p "$out"
	KSHIM_OUT=$out LD_PRELOAD=$shim ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0 "$KEXEC" "$@"
}
hotadd() { # ROOT: 1 GiB of System RAM appears at 8 GiB (a pc-dimm, onlined)
	echo "200000000-23fffffff : System RAM" >>"$1/proc/iomem"
}
# compare.py-style check of two recorded loads: only the header differs, and it gained the new RAM
same_but_header() { # NAME DIR1 DIR2 [PADDR SIZE of the new RAM]
	if python3 - "$2" "$3" "${4:-0x200000000}" "${5:-0x40000000}" >"$w/$1.cmp" 2>&1 <<'PY'
import struct, sys
def load(d):
    segs = []
    for l in open(d + "/manifest"):
        w = l.split()
        if w[0] == "entry":
            head = (w[1], w[5])
        else:
            segs.append((int(w[3], 16), int(w[5], 16), open("%s/seg%s.bin" % (d, w[1]), "rb").read()))
    return head, segs
(h1, a), (h2, b) = load(sys.argv[1]), load(sys.argv[2])
assert h1 == h2, ("entry/flags", h1, h2)
assert [(m, z, len(x)) for m, z, x in a] == [(m, z, len(x)) for m, z, x in b], "segment addresses and sizes"
diff = [i for i, (x, y) in enumerate(zip(a, b)) if x[2] != y[2]]
hdr = [i for i, s in enumerate(b) if s[2][:4] == b"\x7fELF"]
assert diff == hdr and len(hdr) == 1, ("changed segments", diff, "header", hdr)
blob = b[hdr[0]][2]
phnum = struct.unpack_from("<H", blob, 0x38)[0]
loads = [struct.unpack_from("<IIQQQQQQ", blob, 64 + 56 * i) for i in range(phnum)]
npa, nsz = int(sys.argv[3], 0), int(sys.argv[4], 0)
assert any(t == 1 and pa == npa and sz == nsz for t, _, _, _, pa, _, sz, _ in loads), "no PT_LOAD for the new RAM"
print("only the header changed; it lists the hot-added GiB")
PY
	then ok "$1 ($(tail -1 "$w/$1.cmp"))"; else bad "$1" "$(tail -2 "$w/$1.cmp" | tr '\n' ' ')"; fi
}
extras reload qemu --block-size 8000000
if shimmed "$w/rl-load" --root "$w/x-reload" -c -p "$w/bzImage" --initrd="$w/initrd" --append=x 2>"$w/rl-load.err" &&
   [ "$(stat -c %a "$w/x-reload/run/kexec-ng")" = 700 ] && [ "$(stat -c %a "$w/x-reload/run/kexec-ng/crash.state")" = 600 ]; then
	ok "reload-state-recorded (run/kexec-ng 0700, crash.state 0600)"
else
	bad reload-state-recorded "$(head -2 "$w/rl-load.err")"
fi
echo 1 >"$w/x-reload/sys/kernel/kexec_crash_loaded"
if shimmed "$w/rl-same" --root "$w/x-reload" --reload-elfcorehdr >"$w/rl-same.out" 2>&1 && [ ! -e "$w/rl-same/manifest" ] &&
   grep -q "nothing to do: the crash header already describes this machine" "$w/rl-same.out"; then
	ok "reload-unchanged-is-a-noop"
else
	bad reload-unchanged-is-a-noop "$(head -2 "$w/rl-same.out")"
fi
hotadd "$w/x-reload"
"$KEXEC" --root "$w/x-reload" --dry-run --reload-elfcorehdr >"$w/rl-dry.out" 2>&1
grep -q "dry run): --reload-elfcorehdr: fast (header rewritten in place)" "$w/rl-dry.out" && ok "reload-dry-run-says-fast" ||
	bad reload-dry-run-says-fast "$(head -2 "$w/rl-dry.out")"
shimmed "$w/rl-fast" --root "$w/x-reload" --reload-elfcorehdr >"$w/rl-fast.out" 2>&1 || bad reload-fast "$(head -2 "$w/rl-fast.out")"
same_but_header reload-after-hot-add-rewrites-only-the-header "$w/rl-load" "$w/rl-fast"
shimmed "$w/rl-again" --root "$w/x-reload" --reload-elfcorehdr >"$w/rl-again.out" 2>&1
[ ! -e "$w/rl-again/manifest" ] && grep -q "nothing to do" "$w/rl-again.out" && ok "reload-twice-is-a-noop" ||
	bad reload-twice-is-a-noop "$(head -2 "$w/rl-again.out")"
# the kernel rewrites the header itself: a no-op
cp -r "$w/x-reload" "$w/x-reload-k"; echo 1 >"$w/x-reload-k/sys/devices/system/memory/crash_hotplug"
echo "240000000-27fffffff : System RAM" >>"$w/x-reload-k/proc/iomem"
shimmed "$w/rl-k" --root "$w/x-reload-k" --reload-elfcorehdr >"$w/rl-k.out" 2>&1
[ ! -e "$w/rl-k/manifest" ] && grep -q "nothing to do: the kernel rewrites the crash header itself" "$w/rl-k.out" &&
	ok "reload-noop-when-the-kernel-rewrites" || bad reload-noop-when-the-kernel-rewrites "$(head -2 "$w/rl-k.out")"
# overflow: exactly today's slots, then a hot-add: the relink path, a bigger header at a new place
extras relink qemu --block-size 8000000
need=$("$KEXEC" --root "$w/x-relink" --dry-run --json -c -p "$w/bzImage" --append=x | python3 -c 'import json,sys; print(json.load(sys.stdin)["elfcorehdr"]["phnum"])')
shimmed "$w/rk-load" --root "$w/x-relink" -c -p "$w/bzImage" --initrd="$w/initrd" --append=x --elfcorehdr-slots="$need" >/dev/null 2>&1
echo 1 >"$w/x-relink/sys/kernel/kexec_crash_loaded"
hotadd "$w/x-relink"
"$KEXEC" --root "$w/x-relink" --dry-run --reload-elfcorehdr >"$w/rk-dry.out" 2>&1
grep -q "relink (full re-plan): the crash header needs $((need + 1)) program headers, its capacity is $need" "$w/rk-dry.out" &&
	ok "reload-dry-run-says-relink" || bad reload-dry-run-says-relink "$(head -3 "$w/rk-dry.out" | tr '\n' ' ')"
shimmed "$w/rk-relink" --root "$w/x-relink" --reload-elfcorehdr >"$w/rk.out" 2>&1
if grep -q "warning: --reload-elfcorehdr: relink fallback" "$w/rk.out" && python3 - "$w/rk-load" "$w/rk-relink" <<'PY'
import sys
def hdr(d):
    for l in open(d + "/manifest"):
        w = l.split()
        if w[0] == "seg" and open("%s/seg%s.bin" % (d, w[1]), "rb").read(4) == b"\x7fELF":
            return int(w[5], 16), int(w[7], 16)
a, b = hdr(sys.argv[1]), hdr(sys.argv[2])
assert b[1] > a[1], (a, b)
PY
then ok "reload-overflow-relinks (a bigger header, a new digest)"; else bad reload-overflow-relinks "$(head -3 "$w/rk.out" | tr '\n' ' ')"; fi
# the same on the roots captured in the guests before and after a 1 GiB pc-dimm hot-add
for k in 6.1 7.3; do
	b=$here/captured/x86_64-qemu-tcg-hotplug-before-$k a=$here/captured/x86_64-qemu-tcg-hotplug-after-$k
	[ -d "$b" ] && [ -d "$a" ] || { bad "reload-captured-$k" "captures missing"; continue; }
	rm -rf "$w/xc-$k"; cp -r "$b" "$w/xc-$k"; rm -rf "$w/xc-$k/run"
	# as in the guest (hotplug-reload): on 7.3 with --no-hotplug, so userspace reloads there too
	nohp=; [ -e "$b/sys/kernel/crash_elfcorehdr_size" ] && nohp=--no-hotplug
	shimmed "$w/rc-load-$k" --root "$w/xc-$k" -c -p "$w/bzImage" --initrd="$w/initrd" --append=x $nohp >/dev/null 2>"$w/rc-$k.err" ||
		{ bad "reload-captured-$k" "load: $(head -1 "$w/rc-$k.err")"; continue; }
	# the machine after the hot-add, with the image loaded
	cp "$a/proc/iomem" "$w/xc-$k/proc/iomem"
	cp -r "$a/sys/devices/system/memory/." "$w/xc-$k/sys/devices/system/memory/" 2>/dev/null
	echo 1 >"$w/xc-$k/sys/kernel/kexec_crash_loaded"
	shimmed "$w/rc-rl-$k" --root "$w/xc-$k" --reload-elfcorehdr >"$w/rc-rl-$k.out" 2>&1
	same_but_header "reload-captured-$k" "$w/rc-load-$k" "$w/rc-rl-$k" 0x100000000 0x40000000
done
# nothing loaded by us, or a state someone else could have written
rm -rf "$w/x-nostate"; cp -r "$w/root-qemu" "$w/x-nostate"
expect_error reload-without-state "$w/x-nostate" 255 'run/kexec-ng/crash.state: none|kexec -p' --reload-elfcorehdr
chmod 666 "$w/x-reload/run/kexec-ng/crash.state"
expect_error reload-world-writable-state "$w/x-reload" 255 'crash.state: refused|mode 666' --reload-elfcorehdr

# --capture-root never writes into a directory that already has something in it
mkdir -p "$w/cap-busy"; echo x >"$w/cap-busy/keep"
expect_error capture-root-refuses-non-empty "$w/root-qemu" 255 'cap-busy|not empty' --capture-root "$w/cap-busy"

# --- crash CMA (issue 8): crashkernel=,cma ranges as kdump RAM, out of the crash header
# the kernel's export under its new name, in reservation order (not sorted), and under the old one
mkroot cma-new x86_64-qemu-i440fx-vm-crash-low.txt --crash-cma-ranges 9ba00000-ab9fffff,40000000-4fffffff --cma-sysfs new
mkroot cma-old x86_64-qemu-i440fx-vm-crash-low.txt --crash-cma-ranges 120000000-12fffffff --cma-sysfs old
plan cma-sysfs-new "$w/root-cma-new" "--want-cma 9ba00000-ab9fffff,40000000-4fffffff" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
plan cma-sysfs-old "$w/root-cma-old" "--want-cma 120000000-12fffffff" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
# explicit ranges on a kernel that exports none: SIZE@START and an unaligned START-END rounded inward
plan cma-explicit "$w/root-qemu" "--want-cma 10000000-1fffffff,20001000-20ffefff" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma=256M@0x10000000,0x20000010-0x20ffffee
jcheck cma-explicit-says-rounded "$w/cma-explicit.json" '"not page aligned: using [0x20001000-0x20ffefff]" in notes and "its 10 s wait for in-flight DMA does not cover them" in notes and not p["crash_cma"]["kernel_known"]'
jcheck cma-sysfs-warns-once "$w/cma-sysfs-new.json" 'sum(1 for n in p["notes"] if n["level"] == "warning" and "crash CMA" in n["message"]) == 1 and "reserved this CMA itself" in notes and p["crash_cma"]["cma_bytes"] == 512 << 20 and p["crash_cma"]["classic_bytes"] == 256 << 20'
# more than 128 memory map entries with CMA: the CMA RAM entries still reach the kernel (SETUP_E820_EXT)
if [ -d "$w/root-e820" ]; then
	nosnap=1 plan cma-e820-ext "$w/root-e820" "--want-e820-ext --want-cma 10000000-1fffffff" -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma=0x10000000-0x1fffffff
fi
"$KEXEC" --root "$w/root-cma-new" --dry-run -p "$w/bzImage" --crash-cma >"$w/cma.txt" 2>&1
if grep -q "crash CMA 2 ranges from sys/kernel/kexec/crash_cma_ranges (the kernel's own)" "$w/cma.txt" &&
   grep -q "crash memory: classic (crashkernel=) 256 MiB, CMA 512 MiB; the kdump kernel gets 768 MiB of RAM in all" "$w/cma.txt"
then ok "cma-dry-run-text (ranges, treatment, classic + CMA, kdump total)"; else bad "cma-dry-run-text" "$(grep -i cma "$w/cma.txt" | head -3 | tr '\n' ' ')"; fi
if [ "$("$KEXEC" --root "$w/root-cma-new" --print-ckr-size 2>"$w/ckr.err")" = 268435456 ] &&
   grep -q "classic 268435456 bytes (main 268435456, low 0), CMA 536870912 bytes in 2 ranges (sys/kernel/kexec/crash_cma_ranges)" "$w/ckr.err"
then ok "cma-print-ckr-size (stdout: the main region, as kexec-tools; stderr: classic and CMA)"; else bad "cma-print-ckr-size" "$(cat "$w/ckr.err")"; fi
expect_error cma-none-exported "$w/root-qemu" 255 'crash_cma_ranges|--crash-cma=START-END' -p "$w/bzImage" --crash-cma
mkroot cma-empty x86_64-qemu-i440fx-vm-crash-low.txt --crash-cma-ranges ""
expect_error cma-empty-file "$w/root-cma-empty" 255 'sys/kernel/kexec/crash_cma_ranges is empty|crashkernel=SIZE,cma' -p "$w/bzImage" --crash-cma
expect_error cma-overlaps-crash "$w/root-qemu" 255 'range 1 [0xae000000-0xafffffff] overlaps a "Crash kernel" region' -p "$w/bzImage" --crash-cma=ae000000-afffffff
expect_error cma-outside-ram "$w/root-qemu" 255 'is not inside System RAM' -p "$w/bzImage" --crash-cma=0xc0000000-0xc0ffffff
expect_error cma-overlapping-ranges "$w/root-qemu" 255 'range 2 [0x10800000-0x117fffff] overlaps range 1' -p "$w/bzImage" --crash-cma=16M@0x10000000,16M@0x10800000
expect_error cma-too-many "$w/root-qemu" 1 'more than 4 ranges' -p "$w/bzImage" --crash-cma=1M@1G,1M@2G,1M@3G,1M@4G,1M@5G
expect_error cma-malformed "$w/root-qemu" 1 '--crash-cma: range 1 (0x1000)' -p "$w/bzImage" --crash-cma=0x1000
printf '9ba00000-ab9fffff\nnot-hex\n' >"$w/root-cma-empty/sys/kernel/kexec/crash_cma_ranges"
expect_error cma-malformed-sysfs "$w/root-cma-empty" 255 'sys/kernel/kexec/crash_cma_ranges: line 2: start is not a hex number' -p "$w/bzImage" --crash-cma
expect_error cma-file-load-without-kernel-cma "$w/root-qemu" 255 'kexec_file_load|no sys/kernel/kexec/crash_cma_ranges' -s -p "$w/bzImage" --crash-cma=16M@0x10000000
expect_error cma-file-load-other-ranges "$w/root-cma-new" 255 'the kernel hands the kdump kernel its own crash CMA ranges' -s -p "$w/bzImage" --crash-cma=16M@0x10000000
"$KEXEC" --root "$w/root-cma-new" --dry-run --json -s -p "$w/bzImage" --append=x --crash-cma >"$w/cma-file.json" 2>&1
jcheck cma-file-load-kernel-ranges "$w/cma-file.json" 'p["syscall"] == "kexec_file_load" and p["crash_cma"]["source"] == "kernel" and len(p["crash_cma"]["ranges"]) == 2'
# roots captured in 7.3 guests that reserved crash CMA (e2e kdump-crash-cma: crashkernel=256M
# crashkernel=512M,cma): the kernel's own ranges as kdump RAM, the kernel hotplug flag kept
for c in "$here"/captured/x86_64-*/; do
	cf=$c/sys/kernel/kexec/crash_cma_ranges
	[ -s "$cf" ] || continue
	n=$(basename "$c"); tot=0
	while IFS=- read -r a b; do tot=$((tot + 0x$b - 0x$a + 1)); done <"$cf"
	plan "captured-$n-crash-cma" "$c" "--want-cma $(paste -sd, "$cf")" -c -p "$w/bzImage" --initrd="$w/initrd" --append="$KAPPEND" --crash-cma
	jcheck "captured-$n-crash-cma-kernel-ranges" "$w/captured-$n-crash-cma.json" 'p["crash_cma"]["source"] == "sys/kernel/kexec/crash_cma_ranges" and p["crash_cma"]["kernel_known"] and int(p["flags"], 16) & 0xc == 0x4 and p["crash_cma"]["cma_bytes"] == '"$tot"
done
# the kernel hotplug flag: kept for the kernel's own ranges, dropped (and said why) for others
mkroot cma-hp x86_64-qemu-i440fx-vm-crash-low.txt --new-sysfs --crash-hotplug --elfcorehdr-size 917616 --crash-cma-ranges 9ba00000-ab9fffff
"$KEXEC" --root "$w/root-cma-hp" --dry-run --json -p "$w/bzImage" --append=x --crash-cma >"$w/cma-hp.json" 2>"$w/cma-hp.err"
jcheck cma-hotplug-flag-for-kernel-ranges "$w/cma-hp.json" 'int(p["flags"],16) & 0xc == 0x4 and p["crash_cma"]["kernel_known"]'
"$KEXEC" --root "$w/root-cma-hp" --dry-run --json -p "$w/bzImage" --append=x --crash-cma=0x10000000-0x1fffffff >"$w/cma-nohp.json" 2>"$w/cma-nohp.err"
jcheck cma-no-hotplug-flag-for-unknown-ranges "$w/cma-nohp.json" 'int(p["flags"],16) & 0xc == 0 and "no hotplug flag: the crash CMA ranges from --crash-cma= are not the kernel" in notes'
expect_error cma-hotplug-refused-for-unknown-ranges "$w/root-cma-hp" 255 '--hotplug with --crash-cma=LIST' --hotplug -p "$w/bzImage" --crash-cma=0x10000000-0x1fffffff

# the e2e differential's comparer (tests/e2e/kdump-diff.py) on synthetic guest logs: the same
# plan passes, each kind of difference fails
if python3 "$here/../e2e/kdump-diff.py" --selftest >"$w/kdump-diff.log" 2>&1; then
	ok "kdump-diff-selftest ($(grep -c '^ok:' "$w/kdump-diff.log") cases)"
else
	bad "kdump-diff-selftest" "$(grep -v '^ok:' "$w/kdump-diff.log" | head -3 | tr '\n' ' ')"
fi

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
