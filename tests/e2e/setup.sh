#!/bin/bash
# tests/e2e/setup.sh — one-time host setup for the QEMU end-to-end tests.
#
# usage: tests/e2e/setup.sh [ARCH...]        (x86_64 and/or arm64; default: x86_64)
# env:   E2E_KERNELS="6.1 7.3"  which guest kernels to fetch (default: both)
#        E2E_CACHE=dir          cache root (default tests/e2e/cache)
#        E2E_REFRESH=1          re-resolve the packages and re-download even if stamped
#        E2E_NO_APT_INSTALL=1   do not install host packages (fail later if missing)
#        E2E_MIRROR=URL         Debian mirror for the private trixie-backports source
#                               (default http://deb.debian.org/debian)
#
# Needs root and apt (Debian 12 bookworm) unless everything is already there. It does three things:
#  1. installs the host packages (qemu-system-x86, ovmf, cpio, gzip, zstd, xz-utils, binutils, bc,
#     file, python3, gcc, libc6-dev, kexec-tools, debian-archive-keyring) with
#     apt-get --no-install-recommends;
#  2. the guest userland, from the machine's own apt sources (bookworm): `apt-get download`s
#     busybox-static and kexec-tools plus its shared-library closure into cache/<arch>/debs and
#     extracts them into cache/<arch>/sysroot;
#  3. the guest kernels, each into cache/<kernel>/<arch>/ (downloaded and extracted, never
#     installed):
#     6.1  Debian 12's linux-image-6.1.0-NN-<arch>, from the machine's apt sources. NN is resolved
#          from the linux-image-<arch> metapackage, never hard-coded (old ABIs vanish from the
#          mirror).
#     7.3  Debian's kernel from trixie-backports, through a PRIVATE apt configuration in
#          cache/7.3/<arch>/apt/ (its own sources file, lists, cache, an empty dpkg status; the
#          machine's apt sources are never changed). The version is resolved through
#          linux-image-<arch>'s dependencies in that suite. Trixie splits the kernel:
#          linux-binary-<ver> (usr/lib/modules/<ver>/vmlinuz), linux-base-<ver> (config,
#          System.map), linux-modules-<ver> (modules; only drivers/virtio/ is extracted).
#     7.3-16k  arm64 only: the same suite's 16 KiB-page flavour (linux-image-arm64-16k), in
#          cache/7.3-16k/arm64/ with its own private apt configuration
#     Per kernel: vmlinuz, config, kernel-package (the linux-image-<ver> name), kernel-release
#     (<ver>), modules/*.ko (virtio modules, decompressed, for the hotplug tests; the kernel's
#     modules.builtin next to them), debs/, root/ (the extracted files), .kernel-done (stamp).
# Compatibility: cache/<arch>/vmlinuz, config and kernel-package are symlinks to the 6.1 kernel's
# (tests/diff and bench use cache/x86_64/vmlinuz).
# Idempotent: debs already in the cache with the candidate version are not downloaded again, each
# deb is extracted once (per-deb stamps), and a complete stamped cache is reused without touching
# the network (E2E_REFRESH=1 forces a refresh).
# Exit: 0 ok, 2 setup error.
set -euo pipefail
E2E=$(cd "$(dirname "$0")" && pwd)
CACHE=${E2E_CACHE:-$E2E/cache}
ARCHES=${*:-x86_64}
KERNELS=${E2E_KERNELS:-6.1 7.3}
MIRROR=${E2E_MIRROR:-http://deb.debian.org/debian}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
export DEBIAN_FRONTEND=noninteractive
log() { echo "[setup] $*"; }
err() { echo "[setup] ERROR: $*" >&2; exit 2; }

need_root() { [ "$(id -u)" = 0 ] || err "must run as root to $1"; command -v apt-get >/dev/null || err "apt-get not found (Debian 12 expected)"; }

HOSTPKGS="qemu-system-x86 ovmf cpio gzip zstd xz-utils binutils bc file python3 gcc libc6-dev kexec-tools debian-archive-keyring"
for A in $ARCHES; do
	case $A in
	x86_64) ;;
	arm64)  # arm64 guests (not installed for x86_64 runs): qemu-system-aarch64, its UEFI firmware,
		# the cross compiler for the static test tools. The bookworm arm64 debs (6.1 kernel,
		# busybox-static, kexec-tools) come through the host's apt with arm64 as a foreign
		# architecture (dpkg --add-architecture arm64; the sources themselves are not touched).
		HOSTPKGS="$HOSTPKGS qemu-system-arm qemu-efi-aarch64 gcc-aarch64-linux-gnu libc6-dev-arm64-cross"
		if ! dpkg --print-foreign-architectures | grep -qx arm64; then
			need_root "add arm64 as a foreign dpkg architecture"
			dpkg --add-architecture arm64 || err "dpkg --add-architecture arm64 failed"
		fi ;;
	*) err "unsupported arch '$A' (x86_64|arm64)" ;;
	esac
done
for K in $KERNELS; do case $K in 6.1|7.3|7.3-16k) ;; *) err "unsupported kernel '$K' (6.1|7.3|7.3-16k)" ;; esac; done

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

# APT=(apt-get …) / APTC=(apt-cache …): the host's apt, or the private trixie-backports one.
host_apt() { APT=(apt-get); APTC=(apt-cache); }
private_apt() { # DIR DEBARCH SUITE: a private apt configuration in DIR (never the machine's sources)
	local d=$1 da=$2 suite=$3
	mkdir -p "$d/lists/partial" "$d/cache/archives/partial"
	echo "deb [signed-by=$KEYRING] $MIRROR $suite main" > "$d/sources.list"
	local o=(-o "Dir::Etc::SourceList=$d/sources.list" -o Dir::Etc::SourceParts=/dev/null
		-o "Dir::State::Lists=$d/lists" -o "Dir::Cache=$d/cache" -o Dir::State::status=/dev/null
		-o Dir::Etc::Preferences=/dev/null -o Dir::Etc::PreferencesParts=/dev/null
		-o "APT::Architecture=$da" -o "APT::Architectures::=$da" -o APT::Default-Release=)
	APT=(apt-get "${o[@]}"); APTC=(apt-cache "${o[@]}")
}
private_update() { # DIR SUITE
	log "apt-get update (private configuration $1: $2 from $MIRROR)"
	if ! "${APT[@]}" update -q >"$1/update.log" 2>&1 || grep -q '^E:\|GPG error\|Failed to fetch' "$1/update.log"; then
		sed 's/^/  /' "$1/update.log" >&2
		grep -q 'NO_PUBKEY\|not signed\|signature' "$1/update.log" &&
			err "$KEYRING does not know $2's signing keys: upgrade debian-archive-keyring (bookworm's 2023.3+deb12u1 and later carry the trixie keys)"
		err "apt-get update of the private $2 source failed"
	fi
}

# Download PKG[:arch] into DIR unless a file for the candidate version is already there.
download() { # DIR PKG...
	local dir=$1; shift; local p v a f need=()
	for p in "$@"; do
		v=$("${APTC[@]}" show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Version: //p' | head -1)
		a=$("${APTC[@]}" show --no-all-versions "$p" 2>/dev/null | sed -n 's/^Architecture: //p' | head -1)
		[ -n "$v" ] || err "package $p not found (apt-get update? sources.list?)"
		f="${p%%:*}_${v//:/%3a}_$a.deb"
		[ -s "$dir/$f" ] || need+=("$p")
	done
	[ ${#need[@]} = 0 ] && { log "all debs cached in ${dir#$CACHE/}"; return 0; }
	log "downloading: ${need[*]}"
	# apt-get download as root into a dir _apt cannot read warns "unsandboxed"; harmless.
	(cd "$dir" && "${APT[@]}" download -q "${need[@]}" >/dev/null 2>"$dir/.download.err") ||
		{ cat "$dir/.download.err" >&2; err "apt-get download failed"; }
}

# tar -x of only some members; patterns that match nothing are fine.
extract_some() { # DEB DIR PATTERN...
	local deb=$1 dir=$2 e; shift 2
	e=$(dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$dir" --wildcards "$@" 2>&1) && return 0
	e=$(echo "$e" | grep -v 'Not found in archive\|Exiting with failure status' || true)
	[ -z "$e" ] || { echo "$e" >&2; return 1; }
}

# ---------------------------------------------------------------- guest kernels
# The metapackage's linux-image-<ver> dependency. $1 DEBARCH, $2 ":arch" suffix, $3 version regex.
resolve_kernel() {
	local da=$1 suf=$2 re=$3 k
	k=$("${APTC[@]}" depends "linux-image-$da$suf" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-'"$re"'-'"$da"'\)\(:[a-z0-9]*\)\{0,1\}$/\1/p' | head -1)
	echo "$k"
}

fetch_kernel() { # ARCH DEBARCH SUFFIX KERNEL
	local A=$1 DA=$2 SUF=$3 K=$4 D=$CACHE/$4/$1 KPKG KREL p deps d st f
	if [ -e "$D/.kernel-done" ] && [ -s "$D/vmlinuz" ] && [ "${E2E_REFRESH:-0}" != 1 ]; then
		log "[$K/$A] kernel cache complete ($(cat "$D/kernel-package")), nothing to do"
		return 0
	fi
	mkdir -p "$D/debs" "$D/root" "$D/modules"
	case $K in
	6.1)	host_apt; apt_update
		KPKG=$(resolve_kernel "$DA" "$SUF" '6\.1\.0-[0-9][0-9]*')
		if [ -z "$KPKG" ]; then # fallback: the newest linux-image-6.1.0-NN-<arch>
			KPKG=$(apt-cache search --names-only "^linux-image-6\.1\.0-[0-9]+-$DA\$" 2>/dev/null |
				awk '{print $1}' | sort -t- -k5,5n | tail -1)
		fi
		# an older cache layout kept the 6.1 kernel deb with the userland debs: reuse it
		for f in "$CACHE/$A"/debs/linux-image-6.1.0-*.deb; do [ -e "$f" ] && mv "$f" "$D/debs/"; done
		;;
	7.3|7.3-16k)
		need_root "fetch the trixie-backports kernel (apt-get)"
		[ -s "$KEYRING" ] || err "$KEYRING missing (apt-get install debian-archive-keyring)"
		private_apt "$D/apt" "$DA" trixie-backports
		private_update "$D/apt" trixie-backports
		# 7.3-16k: the arm64 flavour built for 16 KiB pages (linux-image-arm64-16k)
		if [ "$K" = 7.3-16k ]; then KPKG=$(resolve_kernel "$DA-16k" "" '[0-9][^ ]*')
		else KPKG=$(resolve_kernel "$DA" "" '[0-9][^ ]*'); fi
		;;
	esac
	[ -n "$KPKG" ] || err "[$K/$A] cannot resolve the kernel package (linux-image-$DA's dependencies)"
	KREL=${KPKG#linux-image-}
	case $KREL in "${K%-16k}".*) ;; *) log "[$K/$A] NOTE: the resolved kernel $KREL is not a $K kernel; using it anyway" ;; esac
	# Trixie's linux-image-<ver> is empty and depends on linux-{binary,base,modules}-<ver>;
	# bookworm's holds the files itself.
	deps=$("${APTC[@]}" depends "$KPKG$SUF" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-\(binary\|base\|modules\)-'"${KREL//./\\.}"'\)\(:[a-z0-9]*\)\{0,1\}$/\1/p' | sort -u)
	log "[$K/$A] kernel package: $KPKG${deps:+ ($(echo $deps))}"
	p=("$KPKG$SUF"); for d in $deps; do p+=("$d$SUF"); done
	download "$D/debs" "${p[@]}"
	for d in "$D"/debs/*.deb; do
		case $(basename "$d") in *"$KREL"_*) ;; *) continue ;; esac   # older versions left in debs/
		st="$D/root/.stamp-$(basename "$d")"
		[ -e "$st" ] && continue
		case $(basename "$d") in
		linux-binary-*|linux-base-*) dpkg-deb -x "$d" "$D/root" ;;
		# bookworm's linux-image (/boot + all modules) and trixie's linux-modules: /boot and the
		# virtio modules only (KEEP_MODULES=1: everything)
		*) if [ "${KEEP_MODULES:-0}" = 1 ]; then dpkg-deb -x "$d" "$D/root"
		   else extract_some "$d" "$D/root" './boot/*' '*/kernel/drivers/virtio/*' '*/modules.builtin'; fi ;;
		esac || err "extracting $d failed"
		touch "$st"
	done
	f=""; for c in "$D/root/boot/vmlinuz-$KREL" "$D/root/usr/lib/modules/$KREL/vmlinuz" "$D/root/lib/modules/$KREL/vmlinuz"; do
		[ -s "$c" ] && { f=$c; break; }; done
	[ -n "$f" ] || err "[$K/$A] no vmlinuz for $KREL after extraction"
	cp "$f" "$D/vmlinuz.tmp" && mv "$D/vmlinuz.tmp" "$D/vmlinuz"
	f=""; for c in "$D/root/boot/config-$KREL" "$D/root/usr/lib/modules/$KREL/config" "$D/root/lib/modules/$KREL/config"; do
		[ -s "$c" ] && { f=$c; break; }; done
	[ -n "$f" ] || err "[$K/$A] no kernel config for $KREL after extraction"
	cp "$f" "$D/config"
	# virtio modules, flat and decompressed (busybox insmod takes plain .ko files)
	rm -f "$D"/modules/*.ko
	for f in $(find "$D/root" -path "*/modules/$KREL/kernel/drivers/virtio/*" -name '*.ko*'); do
		case $f in
		*.ko)     cp "$f" "$D/modules/" ;;
		*.ko.xz)  xz -dc "$f" > "$D/modules/$(basename "$f" .xz)" ;;
		*.ko.zst) zstd -qdc "$f" > "$D/modules/$(basename "$f" .zst)" ;;
		*.ko.gz)  gzip -dc "$f" > "$D/modules/$(basename "$f" .gz)" ;;
		esac || err "decompressing $f failed"
	done
	f=$(find "$D/root" -path "*/modules/$KREL/modules.builtin" | head -1)
	[ -n "$f" ] && cp "$f" "$D/modules/modules.builtin"
	virtio_mem_order "$D" "$KREL" ||   # only the virtio-mem hot-add scenario needs it
		{ rm -f "$D/modules/virtio-mem.order"; log "[$K/$A] WARNING: no virtio-mem module order (virtio-mem scenarios will fail)"; }
	echo "$KPKG" > "$D/kernel-package"
	echo "$KREL" > "$D/kernel-release"
	touch "$D/.kernel-done"
	log "[$K/$A] $(file -bL "$D/vmlinuz" | cut -c1-100)"
	log "[$K/$A] modules: $(cd "$D/modules" && ls *.ko 2>/dev/null | tr '\n' ' ')"
}

# modules/virtio-mem.order: the modules to insmod, in order, for a virtio-mem-pci device: the
# PCI transport virtio_pci and virtio_mem, each after its dependencies (the "depends=" of its
# .modinfo; the debs carry no modules.dep), built-in ones (modules.builtin) left out. A dependency
# outside drivers/virtio/ is extracted from the kernel debs and decompressed too.
virtio_mem_order() { # KDIR KREL
	local D=$1 KREL=$2 out=() f deb
	local -A seen=()
	visit() { # MODULE-NAME
		local n=$1 d
		[ -n "${seen[$n]:-}" ] && return 0; seen[$n]=1
		grep -qE "(^|/)${n}\.ko$" "$D/modules/modules.builtin" 2>/dev/null && return 0
		if [ ! -s "$D/modules/$n.ko" ]; then   # not in drivers/virtio: look in the debs
			for deb in "$D"/debs/*"$KREL"_*.deb; do
				extract_some "$deb" "$D/root" "*/modules/$KREL/kernel/*/$n.ko*" || return 1
			done
			f=$(find "$D/root" -path "*/modules/$KREL/kernel/*" -name "$n.ko*" | head -1)
			[ -n "$f" ] || { log "module $n: neither a module in the kernel debs nor built in"; return 1; }
			case $f in
			*.ko) cp "$f" "$D/modules/" ;; *.ko.xz) xz -dc "$f" > "$D/modules/$n.ko" ;;
			*.ko.zst) zstd -qdc "$f" > "$D/modules/$n.ko" ;; *.ko.gz) gzip -dc "$f" > "$D/modules/$n.ko" ;;
			esac || return 1
		fi
		for d in $(readelf -p .modinfo "$D/modules/$n.ko" | sed -n 's/.*depends=//p' | tr , ' '); do
			visit "${d//-/_}" || return 1
		done
		out+=("$n")
	}
	visit virtio_pci && visit virtio_mem || return 1
	printf '%s\n' "${out[@]}" > "$D/modules/virtio-mem.order"
	log "virtio-mem modules (insmod order): ${out[*]:-(all built in)}"
}

for A in $ARCHES; do
	case $A in x86_64) DA=amd64; SUF="" ;; arm64) DA=arm64; SUF=":arm64" ;; esac
	# ------------------------------------------------------------ guest userland (bookworm)
	D=$CACHE/$A
	if [ -e "$D/.setup-done" ] && [ -x "$D/sysroot/sbin/kexec" ] && [ -x "$D/sysroot/bin/busybox" ] &&
	   [ "${E2E_REFRESH:-0}" != 1 ]; then
		log "[$A] userland cache complete, nothing to do"
	else
		mkdir -p "$D/debs" "$D/sysroot"
		host_apt; apt_update
		download "$D/debs" "busybox-static$SUF" $(libclosure "kexec-tools$SUF" | tr '\n' ' ')
		for d in "$D"/debs/*.deb; do
			case $(basename "$d") in linux-image-*) continue ;; esac
			st="$D/sysroot/.stamp-$(basename "$d")"
			[ -e "$st" ] && continue
			dpkg-deb -x "$d" "$D/sysroot" || err "extracting $d failed"
			touch "$st"
		done
		[ -x "$D/sysroot/sbin/kexec" ] || err "[$A] sysroot/sbin/kexec missing"
		[ -x "$D/sysroot/bin/busybox" ] || err "[$A] sysroot/bin/busybox missing"
		touch "$D/.setup-done"
	fi
	# ------------------------------------------------------------ guest kernels
	for K in $KERNELS; do
		[ "$K" = 7.3-16k ] && [ "$A" != arm64 ] && continue   # an arm64 flavour only
		fetch_kernel "$A" "$DA" "$SUF" "$K"
	done
	# compatibility names for the 6.1 kernel (tests/diff, bench: cache/<arch>/vmlinuz)
	if [ -s "$CACHE/6.1/$A/vmlinuz" ]; then
		for f in vmlinuz config kernel-package; do
			[ "$(readlink "$D/$f" 2>/dev/null)" = "../6.1/$A/$f" ] && continue
			rm -f "$D/$f" && ln -s "../6.1/$A/$f" "$D/$f"
		done
	fi
done
log "done"
