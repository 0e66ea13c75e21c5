#!/bin/bash
# tests/e2e/setup.sh — one-time host setup for the QEMU end-to-end tests.
#
# usage: tests/e2e/setup.sh [ARCH...]        (default: x86_64; only x86_64 is wired up today)
# env:   E2E_CACHE=dir   cache root (default tests/e2e/cache)
#        E2E_REFRESH=1   re-resolve the kernel package and re-download even if stamped
#        E2E_NO_APT_INSTALL=1  do not install host packages (fail later if missing)
#
# Needs root and apt (Debian 12 bookworm) unless everything is already there. It does two things:
#  1. installs the host packages (qemu-system-x86, cpio, binutils, bc, file, python3, gcc,
#     libc6-dev, kexec-tools) with apt-get --no-install-recommends;
#  2. `apt-get download`s (does NOT install) Debian's current linux-image-6.1.0-NN-<arch>
#     (NN resolved from the linux-image-<arch> metapackage, never hard-coded: old ABIs vanish from
#     the mirror), busybox-static, kexec-tools and its shared-library closure into
#     cache/<arch>/debs, and extracts them into cache/<arch>/sysroot. The kernel deb is only
#     partly extracted (/boot and the virtio modules).
# Outputs: cache/<arch>/vmlinuz (copy of the resolved kernel), cache/<arch>/sysroot/,
#          cache/<arch>/kernel-package (its name), cache/<arch>/.setup-done (stamp).
# Idempotent: debs already in the cache with the candidate version are not downloaded
# again, each deb is extracted once (per-deb stamps), and a complete stamped cache is
# reused without touching the network (E2E_REFRESH=1 forces a refresh).
# Exit: 0 ok, 2 setup error.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
ARCHES=${*:-x86_64}
export DEBIAN_FRONTEND=noninteractive
log() { echo "[setup] $*"; }
err() { echo "[setup] ERROR: $*" >&2; exit 2; }

need_root() { [ "$(id -u)" = 0 ] || err "must run as root to $1"; command -v apt-get >/dev/null || err "apt-get not found (Debian 12 expected)"; }

HOSTPKGS="qemu-system-x86 cpio binutils bc file python3 gcc libc6-dev kexec-tools"
for A in $ARCHES; do
	case $A in
	x86_64) ;;
	arm64)  # wired for a later issue: arm64 guests need these (not installed for x86_64 runs)
		HOSTPKGS="$HOSTPKGS qemu-system-arm qemu-efi-aarch64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
		dpkg --print-foreign-architectures | grep -qx arm64 || dpkg --add-architecture arm64 ;;
	*) err "unsupported arch '$A' (x86_64|arm64)" ;;
	esac
done

APT_UPDATED=0
apt_update() {
	[ $APT_UPDATED = 1 ] && return 0
	need_root "run apt-get update"
	log "apt-get update"
	apt-get update -q >/dev/null || err "apt-get update failed"
	APT_UPDATED=1
}
installed() { [ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" = "install ok installed" ]; }

missing=""
for p in $HOSTPKGS; do installed "$p" || missing="$missing $p"; done
if [ -n "$missing" ]; then
	[ "${E2E_NO_APT_INSTALL:-0}" = 1 ] && err "missing host packages:$missing"
	need_root "install$missing"
	apt_update
	log "installing host packages:$missing"
	# kexec-tools (the peer) asks whether to handle reboots: keep it out of the host's reboot path
	echo "kexec-tools kexec-tools/load_kexec boolean false" | debconf-set-selections 2>/dev/null || true
	apt-get install -y -q --no-install-recommends $missing >/dev/null || err "apt-get install failed:$missing"
else
	log "host packages present"
fi

# Library closure of a package: lib*/zlib* Depends (first alternative), stopping at libc6.
libclosure() {
	local -a todo=("$@"); local -A seen=(); local p d
	while [ ${#todo[@]} -gt 0 ]; do
		p=${todo[0]}; todo=("${todo[@]:1}")
		[ -n "${seen[$p]:-}" ] && continue; seen[$p]=1
		case $p in libc6|libc6:*) continue ;; esac
		for d in $(apt-cache depends "$p" | sed -n 's/^ *|\{0,1\}Depends: \(\(lib\|zlib\)[^ <>]*\)$/\1/p'); do
			todo+=("$d")
		done
	done
	printf '%s\n' "${!seen[@]}" | sort
}

# Resolve linux-image-6.1.0-NN-<flavour> (the metapackage's dependency; fallback: newest match).
resolve_kernel() { # DEBARCH SUFFIX
	local da=$1 suf=$2 k
	k=$(apt-cache depends "linux-image-$da$suf" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-6\.1\.0-[0-9][0-9]*-'"$da"'\)\(:[a-z0-9]*\)\{0,1\}$/\1/p' | head -1)
	if [ -z "$k" ]; then
		k=$(apt-cache search --names-only "^linux-image-6\.1\.0-[0-9]+-$da\$" 2>/dev/null |
			awk '{print $1}' | sort -t- -k5,5n | tail -1)
	fi
	echo "$k"
}

# Download PKG[:arch] into DIR unless a file for the candidate version is already there.
download() { # DIR PKG...
	local dir=$1; shift; local p v a f need=()
	for p in "$@"; do
		v=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
		a=$(apt-cache show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Architecture: //p' | head -1)
		[ -n "$v" ] || err "package $p not found (apt-get update? sources.list?)"
		f="${p%%:*}_${v//:/%3a}_$a.deb"
		[ -s "$dir/$f" ] || need+=("$p")
	done
	[ ${#need[@]} = 0 ] && { log "all debs cached"; return 0; }
	log "downloading: ${need[*]}"
	# apt-get download as root into a dir _apt cannot read warns "unsandboxed"; harmless.
	(cd "$dir" && apt-get download -q "${need[@]}" >/dev/null 2>"$dir/.download.err") ||
		{ cat "$dir/.download.err" >&2; err "apt-get download failed"; }
}

for A in $ARCHES; do
	case $A in x86_64) DA=amd64; SUF="" ;; arm64) DA=arm64; SUF=":arm64" ;; esac
	D=$CACHE/$A
	STAMP=$D/.setup-done
	if [ -e "$STAMP" ] && [ -s "$D/vmlinuz" ] && [ -x "$D/sysroot/sbin/kexec" ] &&
	   [ -x "$D/sysroot/bin/busybox" ] && [ "${E2E_REFRESH:-0}" != 1 ]; then
		log "[$A] cache complete ($(cat "$D/kernel-package")), nothing to do"
		continue
	fi
	mkdir -p "$D/debs" "$D/sysroot"
	apt_update
	KPKG=$(resolve_kernel "$DA" "$SUF")
	[ -n "$KPKG" ] || err "[$A] cannot resolve linux-image-6.1.0-NN-$DA"
	log "[$A] kernel package: $KPKG"
	download "$D/debs" "$KPKG$SUF" "busybox-static$SUF" $(libclosure "kexec-tools$SUF" | tr '\n' ' ')
	for d in "$D"/debs/*.deb; do
		st="$D/sysroot/.stamp-$(basename "$d")"
		[ -e "$st" ] && continue
		case $(basename "$d") in
		linux-image-*) # /boot (vmlinuz, config, System.map) + virtio modules (future hotplug tests)
			dpkg-deb --fsys-tarfile "$d" | tar -x -C "$D/sysroot" --wildcards \
				'./boot/*' './lib/modules/*/kernel/drivers/virtio/*' ;;
		*) dpkg-deb -x "$d" "$D/sysroot" ;;
		esac || err "extracting $d failed"
		touch "$st"
	done
	ABI=${KPKG#linux-image-}
	[ -s "$D/sysroot/boot/vmlinuz-$ABI" ] || err "[$A] $D/sysroot/boot/vmlinuz-$ABI missing after extraction"
	cp "$D/sysroot/boot/vmlinuz-$ABI" "$D/vmlinuz.tmp" && mv "$D/vmlinuz.tmp" "$D/vmlinuz"
	cp "$D/sysroot/boot/config-$ABI" "$D/config"
	[ -x "$D/sysroot/sbin/kexec" ] || err "[$A] sysroot/sbin/kexec missing"
	[ -x "$D/sysroot/bin/busybox" ] || err "[$A] sysroot/bin/busybox missing"
	echo "$KPKG" > "$D/kernel-package"
	touch "$STAMP"
	log "[$A] $(file -bL "$D/vmlinuz" | cut -c1-100)"
done
log "done"
