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
pass=0; fail=0
ok() { echo "PASS: golden: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: golden: $1: $2"; fail=$((fail + 1)); }

python3 "$tools/mkbzimage.py" "$w/bzImage"
python3 "$tools/mkbzimage.py" "$w/bzImage-short-cmdline" --cmdline-size 64
head -c 1048576 /dev/zero | tr '\0' 'i' > "$w/initrd"
head -c 100000 "$w/bzImage" > "$w/bzImage-truncated"
KAPPEND="console=ttyS0 reset_devices nr_cpus=1 irqpoll nousb"

mask() { python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
p["digest"] = "masked" if p.get("digest") else None
for s in p["segments"]:
    s["sha256"] = "masked"
print(json.dumps(p, indent=1, sort_keys=True))' "$1"; }

# plan CASE ROOT CHECKFLAGS KEXEC-ARGS...: invariants, the decoded segment bytes
# (--dump-segments, check-plan.py --segments), and the snapshot (unless nosnap=1)
plan() {
	local name=$1 root=$2 cflags=$3; shift 3
	local out=$w/$name.json err=$w/$name.err segs=$w/$name.segs a kernel= initrd=()
	for a in "$@"; do
		case $a in
		--initrd=*) initrd=(--initrd "${a#--initrd=}") ;;
		-*) ;;
		*) [ -n "$kernel" ] || kernel=$a ;;
		esac
	done
	if ! "$KEXEC" --root "$root" --dry-run --json --dump-segments "$segs" "$@" >"$out" 2>"$err"; then
		bad "$name" "kexec failed: $(head -1 "$err")"; return
	fi
	if ! python3 "$here/check-plan.py" "$root" "$out" $cflags --segments "$segs" --kernel "$kernel" \
		"${initrd[@]}" >"$w/$name.check"; then
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

# expect_error CASE ROOT EXIT WORDS KEXEC-ARGS...: non-zero exit with the message naming things
expect_error() {
	local name=$1 root=$2 want_rc=$3 words=$4; shift 4
	"$KEXEC" --root "$root" --dry-run "$@" >"$w/$name.out" 2>"$w/$name.err"
	local rc=$? msg; msg=$(head -1 "$w/$name.err")
	if [ "$rc" != "$want_rc" ]; then bad "$name" "exit $rc, want $want_rc ($msg)"; return; fi
	local word
	IFS='|' read -ra ws <<<"$words"
	for word in "${ws[@]}"; do
		grep -qF -- "$word" "$w/$name.err" || { bad "$name" "message lacks \"$word\": $msg"; return; }
	done
	ok "$name (exit $rc: $msg)"
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
# --- roots captured inside the QEMU guests (kexec --capture-root)
for c in "$here"/captured/*/; do
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
expect_error bad-crash-notes "$w/r-notes" 255 'cpu1/crash_notes|hexadecimal' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-nsize"; echo "99999999" >"$w/r-nsize/sys/devices/system/cpu/cpu0/crash_notes_size"
expect_error bad-crash-notes-size "$w/r-nsize" 255 'cpu0/crash_notes|plausible' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-vmci"; echo "garbage" >"$w/r-vmci/sys/kernel/vmcoreinfo"
expect_error bad-vmcoreinfo "$w/r-vmci" 255 'sys/kernel/vmcoreinfo|<hex address> <hex size>' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-poss"; echo "0-x" >"$w/r-poss/sys/devices/system/cpu/possible"
expect_error bad-cpu-possible "$w/r-poss" 255 'cpu/possible|CPU list' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-loaded"; echo "2" >"$w/r-loaded/sys/kernel/kexec_crash_loaded"
expect_error bad-crash-loaded-flag "$w/r-loaded" 255 'kexec_crash_loaded|0 or 1' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-kcore"; truncate -s 40 "$w/r-kcore/proc/kcore"
expect_error truncated-kcore "$w/r-kcore" 255 'proc/kcore' -p "$w/bzImage"
cp -r "$w/root-qemu" "$w/r-phys"
python3 - "$w/r-phys/proc/kcore" <<'PY'
import re, sys
b = open(sys.argv[1], "rb").read()
m = re.search(rb"NUMBER\(phys_base\)=(-?\d+)", b)
v = b"4096".ljust(len(m.group(1)), b"0")[:len(m.group(1))] if m else b""
open(sys.argv[1], "wb").write(b[:m.start(1)] + v + b[m.end(1):])
PY
expect_error kcore-disagrees-vmcoreinfo "$w/r-phys" 255 'proc/kcore|phys_base' -p "$w/bzImage"
expect_error truncated-bzimage "$w/root-qemu" 255 'bzImage: truncated|syssize' -p "$w/bzImage-truncated"
expect_error not-a-kernel "$w/root-qemu" 255 'not a kernel image' -p "$w/initrd"
long=$(head -c 3000 /dev/zero | tr '\0' 'x')
expect_error cmdline-too-long "$w/root-qemu" 255 'command line is|cmdline_size' -l "$w/bzImage" --append="$long"
expect_error cmdline-too-long-crash "$w/root-qemu" 255 'cmdline_size' -p "$w/bzImage-short-cmdline" --append="$(head -c 60 /dev/zero | tr '\0' 'y')"
expect_error missing-kernel-file "$w/root-qemu" 1 'nope: cannot open' -p "$w/nope"
expect_error no-kernel-given "$w/root-qemu" 255 'No kernel specified' -p
expect_error bad-option "$w/root-qemu" 1 "unrecognized option '--bogus'" --bogus

echo "golden: $pass passed, $fail failed"
[ "$fail" = 0 ]
