#!/bin/bash
# The whole kexec-ng test suite: the README's second command and what CI runs.
#   unit tests (built with -Werror, and again under ASan/UBSan), the kdump-elf tool tests,
#   golden dry-runs on captured machines, differential tests against Debian's kexec-tools,
#   and the QEMU end-to-end kdump cases with Debian's 6.1 and 7.3 kernels (tests/e2e).
# Every suite prints PASS:/FAIL:/SKIP: lines; this script counts them and ends with
#   "N passed, N failed"  (exit 1 if anything failed).
# env: SUITES="unit asan golden diff e2e fuzz" (default: all)   E2E_ONLY=name,... (subset of e2e)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SUITES=${SUITES:-"unit asan tool install golden diff fuzz e2e"}
log=$top/build/test-logs
mkdir -p "$log"
t0=$(date +%s)

has() { case " $SUITES " in *" $1 "*) return 0 ;; esac; return 1; }
step() { printf '\n== %s ==\n' "$*"; }

step "dependencies"
if [ "$(id -u)" = 0 ]; then
	tests/deps.sh all || { echo "FAIL: setup: apt-get install failed"; echo "0 passed, 1 failed"; exit 1; }
else
	tests/deps.sh build || { echo "FAIL: setup: build dependencies missing"; echo "0 passed, 1 failed"; exit 1; }
fi

run_units() { # BUILDDIR LABEL
	local b=$1 label=$2 t
	for t in "$b"/tests/unit/test-*; do
		[ -x "$t" ] && [ -f "$t" ] || continue
		case $t in *.sh|*.c|*.h|*.o) continue ;; esac
		KDUMP_ELF_TOOL=$b/kdump-elf/kdump-elf KX_SRCDIR=$top "$t" 2>&1 | sed -e "s/^\(PASS\|FAIL\|SKIP\): /\1: $label: /"
		# a crash (sanitizer abort, segfault) prints no FAIL line of its own
		local rc=${PIPESTATUS[0]}
		[ "$rc" -le 1 ] || [ "$rc" = 77 ] || echo "FAIL: $label: $(basename "$t"): exited $rc"
	done
}

{
	step "build (-Werror)"
	main=$(tests/build.sh main) || { echo "FAIL: build: main"; main=; }
	if has unit && [ -n "$main" ]; then
		step "unit tests"
		run_units "$main" unit
	fi
	if has asan; then
		step "unit tests under ASan/UBSan"
		asan=$(tests/build.sh asan) && run_units "$asan" asan || { echo "FAIL: build: asan"; asan=; }
		if [ -n "$asan" ] && has golden; then
			step "golden dry-runs with the ASan/UBSan kexec"
			tests/golden/run-golden.sh "$asan/kexec/kexec" | sed 's/^\(PASS\|FAIL\): golden: /\1: golden-asan: /'
		fi
	fi
	if has tool && [ -n "$main" ]; then
		step "kdump-elf tool"
		for s in tests/unit/test-*.sh; do
			[ -f "$s" ] || continue
			KX_BUILDDIR=$main KX_SRCDIR=$top bash "$s"
		done
	fi
	if has install && [ -n "$main" ]; then
		step "make install"
		d=$(mktemp -d)
		if make -C "$main" install DESTDIR="$d" >"$log/install.log" 2>&1; then
			for f in sbin/kexec bin/kdump-elf share/man/man8/kexec.8 share/man/man1/kdump-elf.1; do
				[ -f "$d/usr/local/$f" ] && echo "PASS: install: $f" || echo "FAIL: install: $f missing"
			done
		else
			echo "FAIL: install: make install failed (see $log/install.log)"
		fi
		rm -rf "$d"
	fi
	if has golden && [ -n "$main" ]; then
		step "golden dry-runs"
		tests/golden/run-golden.sh "$main/kexec/kexec"
	fi
	if has fuzz && [ -n "$main" ]; then
		step "fuzz smoke (libFuzzer, short)"
		[ -x tests/fuzz/run-fuzz.sh ] && tests/fuzz/run-fuzz.sh "${FUZZ_SECONDS:-20}"
	fi
	if has diff && [ -n "$main" ]; then
		step "differential vs Debian kexec-tools"
		[ -x tests/diff/run-diff.sh ] && tests/diff/run-diff.sh "$main/kexec/kexec"
	fi
	if has e2e; then
		step "QEMU end to end"
		static=$(tests/build.sh static) || { echo "FAIL: build: static"; static=; }
		[ -n "$static" ] && tests/e2e/run-e2e.sh "$static/kexec/kexec"
	fi
} 2>&1 | tee "$log/run-all.log"

pass=$(grep -c '^PASS: ' "$log/run-all.log")
fail=$(grep -c '^FAIL: ' "$log/run-all.log")
skip=$(grep -c '^SKIP: ' "$log/run-all.log")
echo
grep '^FAIL: ' "$log/run-all.log" | sed 's/^/  /'
echo "suite time: $(( $(date +%s) - t0 )) s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
