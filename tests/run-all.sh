#!/bin/bash
# The whole kexec-ng test suite: the README's second command and what CI runs.
#   unit tests (`make check`, built with -Werror, and again under ASan/UBSan), the kdump-elf
#   tool tests, make install and make dist,
#   golden dry-runs on captured machines, differential tests against Debian's kexec-tools,
#   the arm64 cross build's unit and golden tests under qemu-user,
#   and the QEMU end-to-end kdump cases with Debian's 6.1 and 7.3 kernels on x86_64 and arm64 (tests/e2e).
# Every suite prints PASS:/FAIL:/SKIP: lines; this script counts them and ends with
#   "N passed, N failed"  (exit 1 if anything failed).
# env: SUITES="unit asan tool install golden diff fuzz arm64 e2e" (default: all)   E2E_ONLY=name,... (subset of e2e)
set -uo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
cd "$top"
SUITES=${SUITES:-"unit asan tool install golden diff fuzz arm64 e2e"}
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

# run_check BUILDDIR LABEL TESTVAR: `make check` with TESTS = the Makefile variable TESTVAR
# (KX_UNIT_TESTS or KX_TOOL_TESTS; tests/local.am), through automake's parallel harness.
# Each test's .log holds its PASS:/FAIL:/SKIP: line per test case: they are printed with
# LABEL. A test whose harness result (.trs) is FAIL or ERROR without a FAIL line of its own
# (a crash, a sanitizer abort, exit 99) gets one; so does a missing .log.
run_check() {
	local b=$1 label=$2 var=$3 t list res
	list=$(make -C "$b" -s --no-print-directory print-tests TESTS="\$($var)" 2>/dev/null) || list=
	[ -n "$list" ] || { echo "FAIL: $label: make check: no tests in \$($var)"; return; }
	# no stale results if make check stops before running the tests (a build error)
	for t in $list; do rm -f "$b/$t" "$b/${t%.log}.trs"; done
	make -C "$b" -j"$(nproc)" check TESTS="\$($var)" >"$log/check-$label.log" 2>&1
	for t in $list; do
		t=${t%.log}
		if [ ! -f "$b/$t.log" ] || [ ! -f "$b/$t.trs" ]; then
			echo "FAIL: $label: $(basename "$t"): not run (see $log/check-$label.log)"
			continue
		fi
		# (test-driver's own last line, "PASS tests/unit/x (exit status: 0)", has no colon)
		grep -E '^(PASS|FAIL|SKIP): ' "$b/$t.log" | sed -e "s/^\(PASS\|FAIL\|SKIP\): /\1: $label: /"
		res=$(sed -n 's/^:test-result: //p' "$b/$t.trs" | head -1)
		case $res in
		FAIL | ERROR | XPASS)
			grep -q '^FAIL: ' "$b/$t.log" ||
				echo "FAIL: $label: $(basename "$t"): $res $(grep -o '(exit status: [0-9]*)' "$b/$t.log" | tail -1)"
			;;
		esac
	done
}

# run_arm64_units BUILDDIR: the arm64 unit tests (KX_UNIT_TESTS) under qemu-aarch64; the programs
# they start (the kdump-elf tool, the harness self-test) go through qemu-aarch64 wrappers
run_arm64_units() {
	local b=$1 t name list
	list=$(make -C "$b" -s --no-print-directory print-tests TESTS="\$(KX_UNIT_TESTS)" 2>/dev/null) || list=
	[ -n "$list" ] || { echo "FAIL: unit-arm64: no tests in \$(KX_UNIT_TESTS)"; return; }
	printf '#!/bin/sh\nexec qemu-aarch64 %s/kdump-elf/kdump-elf "$@"\n' "$b" >"$b/kdump-elf-qemu"
	printf '#!/bin/sh\nexec qemu-aarch64 %s/tests/lib/kt-selftest "$@"\n' "$b" >"$b/kt-selftest-qemu"
	chmod +x "$b/kdump-elf-qemu" "$b/kt-selftest-qemu"
	for t in $list; do
		t=${t%.log}; name=$(basename "$t")
		(cd "$b" && KX_SRCDIR=$top KX_BUILDDIR=$b KDUMP_ELF_TOOL=$b/kdump-elf-qemu KT_SELFTEST=$b/kt-selftest-qemu \
			timeout 600 qemu-aarch64 "$b/$t") >"$log/unit-arm64-$name.log" 2>&1
		local rc=$?
		grep -E '^(PASS|FAIL|SKIP): ' "$log/unit-arm64-$name.log" | sed -e "s/^\(PASS\|FAIL\|SKIP\): /\1: unit-arm64: /"
		[ $rc = 0 ] || grep -q '^FAIL: ' "$log/unit-arm64-$name.log" ||
			echo "FAIL: unit-arm64: $name: exit $rc (see $log/unit-arm64-$name.log)"
	done
}

{
	step "build (-Werror)"
	main=$(tests/build.sh main) || { echo "FAIL: build: main"; main=; }
	if has unit && [ -n "$main" ]; then
		step "unit tests (make check)"
		run_check "$main" unit KX_UNIT_TESTS
	fi
	if has asan; then
		step "unit tests under ASan/UBSan"
		asan=$(tests/build.sh asan) && run_check "$asan" asan KX_UNIT_TESTS || { echo "FAIL: build: asan"; asan=; }
		if [ -n "$asan" ] && has tool; then
			step "kdump-elf tool under ASan/UBSan"
			run_check "$asan" asan-tool KX_TOOL_TESTS
		fi
		if [ -n "$asan" ] && has golden; then
			step "golden dry-runs with the ASan/UBSan kexec"
			tests/golden/run-golden.sh "$asan/kexec/kexec" | sed 's/^\(PASS\|FAIL\): golden: /\1: golden-asan: /'
		fi
	fi
	if has tool && [ -n "$main" ]; then
		step "kdump-elf tool"
		run_check "$main" tool KX_TOOL_TESTS
	fi
	if has install && [ -n "$main" ]; then
		step "make install"
		d=$(mktemp -d)
		if make -C "$main" install DESTDIR="$d" >"$log/install.log" 2>&1; then
			for f in sbin/kexec bin/kdump-elf share/man/man8/kexec.8 share/man/man1/kdump-elf.1 lib/udev/rules.d/98-kexec-ng.rules; do
				[ -f "$d/usr/local/$f" ] && echo "PASS: install: $f" || echo "FAIL: install: $f missing"
			done
		else
			echo "FAIL: install: make install failed (see $log/install.log)"
		fi
		rm -rf "$d"
		# the release tarball carries every tracked file but the CI hook and .gitignore
		if make -C "$main" dist >"$log/dist.log" 2>&1; then
			tarball=$main/$(sed -n 's/^PACKAGE_TARNAME = //p' "$main/Makefile")-$(sed -n 's/^PACKAGE_VERSION = //p' "$main/Makefile").tar.gz
			if git -C "$top" rev-parse --git-dir >/dev/null 2>&1; then
				missing=$(comm -23 <(git -C "$top" ls-files | grep -v '^\.ci/\|^\.gitignore$\|^m4/\.keep$' | LC_ALL=C sort) \
					<(tar tzf "$tarball" | sed 's|^[^/]*/||' | LC_ALL=C sort))
				if [ -z "$missing" ]; then
					echo "PASS: install: make dist carries every tracked file ($(tar tzf "$tarball" | grep -vc '/$') files)"
				else
					echo "$missing" | sed 's/^/FAIL: install: not in make dist (add to EXTRA_DIST): /'
				fi
			fi
		else
			echo "FAIL: install: make dist failed (see $log/dist.log)"
		fi
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
	if has arm64; then
		step "arm64: cross build, unit tests and golden dry-runs under qemu-user"
		if a64=$(tests/build.sh arm64); then
			run_arm64_units "$a64"
			tests/golden/run-golden-arm64.sh "$a64/kexec/kexec"
			if has diff; then
				step "differential vs Debian kexec-tools (arm64)"
				tests/diff/run-diff-arm64.sh "$a64/kexec/kexec"
			fi
		else
			echo "FAIL: build: arm64"
		fi
	fi
	if has e2e; then
		step "QEMU end to end"
		static=$(tests/build.sh static) || { echo "FAIL: build: static"; static=; }
		arm64=$(tests/build.sh arm64) || { echo "FAIL: build: arm64"; arm64=; }
		[ -n "$static" ] && tests/e2e/run-e2e.sh "$static/kexec/kexec" ${arm64:+"$arm64/kexec/kexec"}
	fi
} 2>&1 | tee "$log/run-all.log"

pass=$(grep -c '^PASS: ' "$log/run-all.log")
fail=$(grep -c '^FAIL: ' "$log/run-all.log")
skip=$(grep -c '^SKIP: ' "$log/run-all.log")
echo
grep '^FAIL: ' "$log/run-all.log" | sed 's/^/  /'
echo "suite time: $(( $(date +%s) - t0 )) s"
[ "$skip" -gt 0 ] && { echo "skipped (not counted):"; grep '^SKIP: ' "$log/run-all.log" | sed 's/^/  /'; }
echo "$pass passed, $fail failed"
[ "$fail" = 0 ] && [ "$pass" -gt 0 ]
