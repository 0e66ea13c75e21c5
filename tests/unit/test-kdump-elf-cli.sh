#!/bin/bash
# test-kdump-elf-cli.sh - the kdump-elf(1) tool from the outside, as a user runs it:
#   show / show --json / show --vmcoreinfo / check on elfcorehdr blobs built by tests/tools/mkcore.py,
#   on the captured /proc/kcore files (tests/golden/captured/*/proc/kcore), and on the elfcorehdr
#   our own kexec builds (kexec --dry-run --dump-segments); every check problem kind; broken input
#   (truncated, not ELF, each bad ELF header field, bad notes, missing file, directory, write error);
#   usage errors. Exit codes per man/kdump-elf.1: 0 ok, 1 check found problems, 2 bad input/usage;
#   messages name the file and the field at fault, and go to stderr (stdout stays empty).
# env: KDUMP_ELF_TOOL (default $KX_BUILDDIR/kdump-elf/kdump-elf), KX_SRCDIR (default: this
#      checkout), KX_BUILDDIR (default $KX_SRCDIR/build/main; for kexec/kexec)
# Prints one PASS:/FAIL:/SKIP: line per case and "kdump-elf-cli: N passed, N failed";
# exit 0, 1 if any case failed, 77 if the tool or python3 is missing, 99 on a harness error.
set -u
here=$(cd "$(dirname "$0")" && pwd)
src=$(readlink -f "${KX_SRCDIR:-$here/../..}")
bld=$(readlink -f "${KX_BUILDDIR:-$src/build/main}")
TOOL=$(readlink -f "${KDUMP_ELF_TOOL:-$bld/kdump-elf/kdump-elf}")
KEXEC=$bld/kexec/kexec
MK="python3 $src/tests/tools/mkcore.py"
P=kdump-elf-cli
if [ ! -x "$TOOL" ] || ! command -v python3 >/dev/null; then
	echo "SKIP: $P: kdump-elf ($TOOL) or python3 missing"
	exit 77
fi
w=$(mktemp -d) || exit 99
trap 'rm -rf "$w"' EXIT
cd "$w" || exit 99
pass=0 fail=0 skip=0
ok() { echo "PASS: $P: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $P: $1: $2"; fail=$((fail + 1)); }
skipped() { echo "SKIP: $P: $1: $2"; skip=$((skip + 1)); }
mk() { $MK "$@" || { echo "FAIL: $P: mkcore.py $*: harness error"; exit 99; }; }
snip() { head -c 300 "$1" | tr '\n' ' '; }

# t NAME WANT_RC 'out:TEXT|err:TEXT|...' ARGS...: run the tool, check the exit code and that
# each TEXT is in stdout (out:) or stderr (err:); on exit 2 stderr must start with
# "kdump-elf: " or "Usage: ", and stdout must be empty unless an out: TEXT is expected.
t() {
	local name=$1 want=$2 pats=$3 rc p f
	shift 3
	"$TOOL" "$@" >out 2>err
	rc=$?
	if [ "$rc" != "$want" ]; then
		bad "$name" "exit $rc, want $want (stdout: $(snip out) stderr: $(snip err))"
		return 1
	fi
	if [ "$want" = 2 ]; then
		case "|$pats" in *"|out:"*) ;; *) [ -s out ] && { bad "$name" "exit 2 but stdout is not empty: $(snip out)"; return 1; } ;; esac
		grep -q '^kdump-elf: \|^Usage: ' err || { bad "$name" "no message on stderr: $(snip err)"; return 1; }
	fi
	IFS='|' read -ra ps <<<"$pats"
	for p in "${ps[@]}"; do
		f=${p%%:*}
		[ "$f" = out ] || [ "$f" = err ] || { bad "$name" "bad pattern $p"; return 1; }
		grep -qF -- "${p#*:}" "$f" || { bad "$name" "$f lacks \"${p#*:}\" ($f: $(snip "$f"))"; return 1; }
	done
	ok "$name"
}

# --- a kernel-shaped elfcorehdr: 2 cpu notes, VMCOREINFO, kernel text (inside RAM), 3 RAM loads
GOOD=(note:0x7fa3a600:0x170 note:0x7fb3a600:0x170 note:0x1842000:0x1024
	load:0x9600000:0x3430000:0xffffffff81000000 load:0x100000:0x9ff00000
	load:0xbe000000:0x1fe0000 load:0x100000000:0x40000000)
mk blob good.bin --slots 16 "${GOOD[@]}"
t show-blob 0 'out:file: good.bin|out:machine: 62 (x86_64)|out:phnum: 7|out:capacity: 16|out:spare: 9|out:notes: 3|out:loads: 4|out:text-load: 3|out:note-data: not in this file' show good.bin
if [ "$(grep -c '^ *[0-9]\+ \(NOTE\|LOAD\) ' out)" = 7 ] &&
	grep -q '^ *3 LOAD  0x0000000009600000 0xffffffff81000000 0x0000000009600000 0x0000000003430000 0x0000000003430000 RWX text$' out; then
	ok show-blob-phdr-lines
else
	bad show-blob-phdr-lines "want 7 phdr lines, phdr 3 the RWX text load: $(snip out)"
fi
t check-blob 0 'out:good.bin: ok (7 phdrs, 9 spare)' check good.bin
mk blob full.bin "${GOOD[@]}"
t check-blob-no-spare 0 'out:full.bin: ok (7 phdrs, 0 spare)' check full.bin
t show-json 0 'out:"phnum": 7' show --json good.bin
if python3 - out 2>pyerr <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
ph = j["phdrs"]
assert (j["phnum"], j["capacity"], j["spare"], j["notes"], j["loads"], j["text_load"]) == (7, 16, 9, 3, 4, 3), j
assert [p["type"] for p in ph] == ["NOTE"] * 3 + ["LOAD"] * 4
assert ph[4]["paddr"] == "0x100000" and ph[4]["memsz"] == "0x9ff00000" and ph[4]["vaddr"] == "0xffff888000100000"
assert ph[2]["offset"] == ph[2]["paddr"] == "0x1842000" and ph[2]["filesz"] == "0x1024"
assert j["note_data_in_file"] is False
PY
then ok show-json-fields; else bad show-json-fields "JSON does not describe good.bin: $(tail -1 pyerr)"; fi

# --- check: one blob per problem kind; the line names the file, the phdr and what is wrong
# checkcase NAME 'TEXT|...' PHDR...: check exits 1, prints each TEXT and "N problem(s)"
checkcase() {
	local name=$1 pats=$2
	shift 2
	mk blob "$name.bin" "$@"
	t "check-$name" 1 "$pats" check "$name.bin"
}
checkcase overlap 'out:overlap.bin: phdr 3 (LOAD paddr 0x200000 memsz 0x200000): PT_LOAD physical range overlaps another PT_LOAD (phdr 2: LOAD paddr 0x100000 memsz 0x200000)|out:overlap.bin: 1 problem' \
	note:0x1000:0x170 load:0x1000000:0x1000:0xffffffff81000000 load:0x100000:0x200000 \
	load:0x200000:0x200000 load:0x800000:0x1000000
checkcase order 'out:order.bin: phdr 3 (LOAD paddr 0x100000 memsz 0x1000): RAM PT_LOAD p_paddr is below the previous RAM load'"'"'s (phdr 2: LOAD paddr 0x400000 memsz 0x1000)|out:order.bin: 1 problem' \
	note:0x1000:0x170 load:0x9000000:0x1000:0xffffffff81000000 load:0x400000:0x1000 load:0x100000:0x1000 \
	load:0x8000000:0x2000000
checkcase note-after-load 'out:note-after-load.bin: phdr 2 (NOTE paddr 0x1000 memsz 0x170): PT_NOTE after the first PT_LOAD (phdr 1: LOAD|out:1 problem' \
	note:0x2000:0x170 load:0x100000:0x1000 note:0x1000:0x170
checkcase hole 'out:hole.bin: phdr 1 (NULL paddr 0x0 memsz 0x0): unused (all-zero) slot before a used one inside e_phnum' \
	note:0x1000:0x170 null load:0x100000:0x1000
checkcase bad-type 'out:bad-type.bin: phdr 1 (OTHER paddr 0x2000 memsz 0x10): p_type is neither PT_LOAD nor PT_NOTE' \
	note:0x1000:0x170 type:7:0x2000:0x10 load:0x100000:0x1000
checkcase empty-load 'out:empty-load.bin: phdr 1 (LOAD paddr 0x100000 memsz 0x0): segment has p_filesz = p_memsz = 0' \
	note:0x1000:0x170 load:0x100000:0
checkcase empty-note 'out:empty-note.bin: phdr 0 (NOTE paddr 0x1000 memsz 0x0): segment has p_filesz = p_memsz = 0' \
	note:0x1000:0 load:0x100000:0x1000
checkcase filesz 'out:filesz.bin: phdr 1 (LOAD paddr 0x100000 memsz 0x1000): p_filesz is larger than p_memsz' \
	note:0x1000:0x170 loadfm:0x100000:0x2000:0x1000
checkcase wrap 'out:wrap.bin: phdr 1 (LOAD paddr 0xfffffffffffff000 memsz 0x2000): p_paddr + p_memsz wraps past 2^64' \
	note:0x1000:0x170 load:0xfffffffffffff000:0x2000
checkcase many 'out:many.bin: 3 problems|out:phdr 1 (NULL|out:phdr 2 (OTHER|out:phdr 4 (LOAD paddr 0x100000' \
	note:0x1000:0x170 null type:0x60000000:0x2000:0x10 load:0x100000:0x2000 load:0x100000:0x1000
# show is not check: a problem blob still shows fine
t show-problem-blob 0 'out:phnum: 5|out:text-load: 1' show overlap.bin

# --- broken input: exit 2, the file named, the field at fault and the value found
# badcase NAME 'TEXT|...' MKCORE-BLOB-ARGS...: both show and check exit 2 with TEXT on stderr
badcase() {
	local name=$1 pats=$2
	shift 2
	mk blob "$name.bin" "$@"
	t "show-$name" 2 "$pats" show "$name.bin" && t "check-$name" 2 "$pats" check "$name.bin"
}
badcase elfclass32 'err:kdump-elf: elfclass32.bin: not a usable ELF64 core: e_ident[EI_CLASS] is not ELFCLASS64 (found 0x1)' --ehdr class=1 load:0x100000:0x1000
badcase big-endian 'err:big-endian.bin: not a usable ELF64 core: e_ident[EI_DATA] is not ELFDATA2LSB (little-endian) (found 0x2)' --ehdr data=2 load:0x100000:0x1000
badcase et-exec 'err:et-exec.bin: not a usable ELF64 core: e_type is not ET_CORE (found 0x2)' --ehdr type=2 load:0x100000:0x1000
badcase e-version 'err:e-version.bin: not a usable ELF64 core: e_ident[EI_VERSION] or e_version is not EV_CURRENT (found 0x0)' --ehdr e_version=0 load:0x100000:0x1000
badcase ehsize 'err:ehsize.bin: not a usable ELF64 core: e_ehsize is not 64 (found 0x34)' --ehdr ehsize=52 load:0x100000:0x1000
badcase phentsize 'err:phentsize.bin: not a usable ELF64 core: e_phentsize is not 56 (sizeof(Elf64_Phdr)) (found 0x20)' --ehdr phentsize=32 load:0x100000:0x1000
badcase phoff 'err:phoff.bin: not a usable ELF64 core: e_phoff overlaps the ELF header or overflows (found 0x10)' --ehdr phoff=16 load:0x100000:0x1000
badcase pn-xnum 'err:pn-xnum.bin: not a usable ELF64 core: e_phnum is PN_XNUM (extended numbering is not supported) (found 0xffff)' --ehdr phnum=0xffff load:0x100000:0x1000
badcase not-elf-magic 'err:not-elf-magic.bin: not a usable ELF64 core: not an ELF file (e_ident magic is not \177ELF)' --ehdr magic=7f454c47 load:0x100000:0x1000
badcase truncated-ehdr 'err:truncated-ehdr.bin: not a usable ELF64 core: shorter than a 64-byte ELF64 header' --truncate 40 load:0x100000:0x1000
badcase truncated-table 'err:truncated-table.bin: program header table (e_phoff + e_phnum * 56) runs past the end: the table ends at 0x1c8, the file at 0x100' \
	--truncate 256 "${GOOD[@]}"
badcase phnum-past-end 'err:phnum-past-end.bin: program header table (e_phoff + e_phnum * 56) runs past the end: the table ends at 0x2e0, the file at 0x78' \
	--ehdr phnum=12 load:0x100000:0x1000
: >empty.bin
t show-empty-file 2 'err:empty.bin: not a usable ELF64 core: shorter than a 64-byte ELF64 header' show empty.bin
printf 'this is not an ELF file, but it is long enough to hold an ELF header........\n' >text.txt
t check-text-file 2 'err:text.txt: not a usable ELF64 core: not an ELF file' check text.txt
t show-missing-file 2 'err:kdump-elf: nope.bin: open: No such file or directory' show nope.bin
mkdir adir
t check-directory 2 'err:kdump-elf: adir: not a readable file' check adir
if [ -w /dev/full ]; then
	"$TOOL" show good.bin >/dev/full 2>err
	rc=$?
	if [ $rc = 2 ] && grep -q '^kdump-elf: write error: No space left on device' err; then ok show-write-error-dev-full; else bad show-write-error-dev-full "exit $rc: $(snip err)"; fi
else
	skipped show-write-error-dev-full "no /dev/full"
fi

# --- usage
t usage-no-args 2 'err:Usage: kdump-elf show [--json] [--vmcoreinfo] FILE'
t usage-one-arg 2 'err:Usage: ' show
t usage-unknown-command 2 "err:kdump-elf: unknown command 'frob' (show or check)" frob good.bin
t usage-check-json 2 'err:kdump-elf: --json and --vmcoreinfo only apply to show' check --json good.bin
t usage-bad-option 2 'err:Usage: ' --bogus show good.bin
t usage-help 0 'out:Usage: kdump-elf show|out:Exit status: 0 ok, 1 check found problems, 2' --help
t usage-version 0 'out:kdump-elf (kexec-ng) ' -V

# --- captured /proc/kcore files: notes inside the file, VMCOREINFO read back
n=0
for k in "$src"/tests/golden/captured/*/proc/kcore; do
	[ -f "$k" ] || continue
	n=$((n + 1))
	c=$(basename "$(dirname "$(dirname "$k")")")
	# the kernel release the capture says it came from (6.1.0-... or 7.3...)
	rel=$(grep -ao 'OSRELEASE=[0-9][0-9.a-z+-]*' "$k" | head -1)
	t "kcore-show-$c" 0 "out:file: $k|out:note-data: in file|out:prstatus: 1|out:note VMCOREINFO type 0: 1|out:${rel:-OSRELEASE=?}|out:text-load: 1" show "$k"
	t "kcore-check-$c" 0 "out:$k: ok (" check "$k"
	# -a prints every VMCOREINFO line, exactly the note's text
	mk vmcoreinfo "$k" >want.vmci
	if "$TOOL" show --vmcoreinfo "$k" >out 2>err &&
		sed -n '/^vmcoreinfo: /,$p' out | tail -n +2 | sed 's/^  //' >got.vmci &&
		[ "$(wc -l <want.vmci)" -gt 50 ] && cmp -s want.vmci got.vmci; then
		ok "kcore-show-vmcoreinfo-$c ($(wc -l <got.vmci) lines)"
	else
		bad "kcore-show-vmcoreinfo-$c" "show -a lines differ from the VMCOREINFO note: $(diff want.vmci got.vmci | head -4 | tr '\n' ' ')"
	fi
	if "$TOOL" show --json "$k" >out 2>err && python3 2>err -c '
import json, sys
j = json.load(open(sys.argv[1]))
assert j["note_data_in_file"] is True and j["phdrs"][0]["type"] == "NOTE", j
# the kernel image mapping: x86_64 __START_KERNEL_map, arm64 the kimage area in the upper half
want = "0xffff" if j["machine"] == 183 else "0xffffffff"
assert j["phdrs"][j["text_load"]]["vaddr"].startswith(want), j' out; then
		ok "kcore-show-json-$c"
	else
		bad "kcore-show-json-$c" "$(snip err)"
	fi
	off=$(mk break-note "$k" broken-kcore)
	t "kcore-bad-note-show-$c" 2 "out:note-data: in file|err:kdump-elf: broken-kcore: phdr 0: PT_NOTE at file offset $off: note at +0x0: note descriptor (n_descsz) runs past the end of the note data" show broken-kcore
	t "kcore-bad-note-check-$c" 1 "out:broken-kcore: phdr 0: bad note at file offset $off: note descriptor (n_descsz) runs past the end of the note data|out:broken-kcore: 1 problem" check broken-kcore
	head -c 100 "$k" >short-kcore
	t "kcore-truncated-$c" 2 'err:short-kcore: program header table (e_phoff + e_phnum * 56) runs past the end' show short-kcore
done
[ $n -gt 0 ] || bad kcore "no tests/golden/captured/*/proc/kcore under $src"

# --- the elfcorehdr our own kexec builds passes check, and show agrees with the plan
if [ -x "$KEXEC" ]; then
	python3 "$src/tests/tools/mkroot.py" "$src/tests/golden/fixtures/x86_64-qemu-i440fx-vm-crash-low.txt" root --quiet --cpus 4 &&
		python3 "$src/tests/tools/mkbzimage.py" bzImage || { echo "FAIL: $P: mkroot/mkbzimage: harness error"; exit 99; }
	if "$KEXEC" --root root --dry-run --json --dump-segments segs -p bzImage --append=x >plan.json 2>err; then
		seg=segs/$(awk '$1 == "seg" && $3 == "elfcorehdr" { sub("file=", "", $NF); print $NF }' segs/manifest)
		t kexec-elfcorehdr-check 0 "out:$seg: ok (" check "$seg"
		"$TOOL" show --json "$seg" >out 2>err
		if python3 - plan.json out 2>pyerr <<'PY'
import json, sys
p, j = json.load(open(sys.argv[1]))["elfcorehdr"], json.load(open(sys.argv[2]))
assert (j["phnum"], j["capacity"], j["spare"]) == (p["phnum"], p["capacity"], p["spare"]), (j, p)
assert j["notes"] == len(p["notes"]) == 5 and j["loads"] == len(p["loads"]), (j, p)
assert j["text_load"] == j["notes"], j
PY
		then ok kexec-elfcorehdr-show-matches-plan; else bad kexec-elfcorehdr-show-matches-plan "show --json disagrees with the plan: $(tail -1 pyerr)"; fi
	else
		bad kexec-elfcorehdr "kexec --dry-run --dump-segments failed: $(snip err)"
	fi
else
	skipped kexec-elfcorehdr "no $KEXEC"
fi

# --- show --state: the crash header kexec-ng recorded (a root loaded through the kexec_load recorder)
if [ -x "$KEXEC" ] && command -v gcc >/dev/null; then
	gcc -shared -fPIC -O2 -o shim.so "$src/tests/diff/shim.c" -ldl 2>/dev/null &&
	python3 "$src/tests/tools/mkroot.py" "$src/tests/golden/fixtures/x86_64-qemu-i440fx-vm-crash-low.txt" sroot --quiet &&
	python3 "$src/tests/tools/mkbzimage.py" bz >/dev/null || { echo "FAIL: $P: state harness"; exit 99; }
	t state-none 2 'err:no run/kexec-ng/crash.state' show --state --root sroot
	mkdir -p rec
	if KSHIM_OUT=rec LD_PRELOAD=$PWD/shim.so ASAN_OPTIONS=verify_asan_link_order=0 "$KEXEC" --root sroot -c -p bz --append=x >/dev/null 2>kerr; then
		t state-show 0 'out:crash image: kexec_load, flags 0x3e0001|out:7 of 72 program headers used, 4096 bytes|out:as written by kexec-ng (load)|out:LOAD  paddr 0x000100000000 size 0x40000000|out:live: unknown' \
			show --state --root sroot
		# the live bytes: a kcore whose direct map holds the header (its data appended to the copy)
		t state-json-refused 2 'err:--state goes with show alone' show --state --json --root sroot
		printf 'X' | dd of=sroot/run/kexec-ng/crash.state bs=1 seek=30 conv=notrunc 2>/dev/null
		t state-corrupt 2 'err:crash.state: checksum mismatch' show --state --root sroot
	else
		bad state-load "kexec under the recorder failed: $(snip kerr)"
	fi
else
	skipped state "no $KEXEC or gcc"
fi

if [ $skip -gt 0 ]; then
	echo "$P: $pass passed, $fail failed, $skip skipped"
else
	echo "$P: $pass passed, $fail failed"
fi
[ $fail = 0 ] || exit 1
[ $pass -gt 0 ] || exit 77
exit 0
