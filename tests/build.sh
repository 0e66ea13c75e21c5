#!/bin/bash
# Build one configuration of kexec-ng out of tree, under build/<name>.
# usage: tests/build.sh main|asan|static|arm64   (prints the build directory last)
#   main    -Werror, the tree the golden/diff tests use
#   asan    -Werror + ASan/UBSan (--enable-sanitizers), for the unit tests
#   static  a static kexec (--enable-static-kexec), what the e2e initramfs carries
#   arm64   cross build for aarch64-linux-gnu (static kexec; Debian's cross gcc and :arm64
#           -dev packages); the unit tests run under qemu-aarch64
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
name=${1:?main|asan|static|arm64}
case $name in
main) flags=(--enable-werror) ;;
asan) flags=(--enable-werror --enable-sanitizers) ;;
static) flags=(--enable-werror --enable-static-kexec) ;;
arm64)
	flags=(--host=aarch64-linux-gnu --enable-werror --enable-static-kexec)
	# libfdt-dev is not Multi-Arch: same, so libfdt-dev:arm64 and :amd64 replace each
	# other; when the arm64 libfdt.a is missing, use a private copy of the package
	if [ "$(aarch64-linux-gnu-gcc -print-file-name=libfdt.a)" = libfdt.a ]; then
		deps=$top/build/arm64-deps
		if [ ! -f "$deps/usr/lib/aarch64-linux-gnu/libfdt.a" ]; then
			mkdir -p "$deps/dl"
			(cd "$deps/dl" && apt-get download libfdt-dev:arm64 >/dev/null 2>&1 &&
				dpkg -x libfdt-dev_*_arm64.deb "$deps") ||
				{ echo "build.sh: no arm64 libfdt.a: install libfdt-dev:arm64" >&2; exit 1; }
			rm -f "$deps/usr/lib/aarch64-linux-gnu/libfdt.so"	# the static archive, always
		fi
		flags+=("LDFLAGS=-L$deps/usr/lib/aarch64-linux-gnu")
	fi
	;;
*) echo "build.sh: unknown configuration $name" >&2; exit 2 ;;
esac
cd "$top"
# any *.am fragment newer than Makefile.in, or a missing aux file (build-aux/test-driver comes
# with TESTS): autoreconf, which also installs aux files (automake's own rebuild does not)
if [ ! -x configure ] || [ configure.ac -nt configure ] || [ ! -f Makefile.in ] ||
	[ ! -f build-aux/test-driver ] ||
	[ -n "$(find . -path ./build -prune -o -name '*.am' -newer Makefile.in -print -quit)" ]; then
	autoreconf -fi >/dev/null 2>&1 || autoreconf -fi
fi
b=$top/build/$name
mkdir -p "$b"
cd "$b"
if [ ! -f Makefile ] || [ "$top/configure" -nt Makefile ]; then
	"$top/configure" "${flags[@]}" >configure.log 2>&1 || { cat configure.log; exit 1; }
fi
make -j"$(nproc)" all >make.log 2>&1 || { grep -E "error|Error" make.log | head -40; exit 1; }
# the unit test programs too (tests/local.am), so a test that does not compile fails the build
make -j"$(nproc)" check-programs >>make.log 2>&1 || { grep -E "error|Error" make.log | head -40; exit 1; }
echo "$b"
