#!/bin/bash
# tests/e2e/extract-capture.sh — get a `kexec --capture-root` tree out of an e2e serial log.
#
# usage:
#   extract-capture.sh LOG NAME OUT.tar.gz
#       Decode the capture NAME that the guest printed between
#         "E2E: CAPTURE-BEGIN NAME size=N sha256=H" and "E2E: CAPTURE-END"
#       (base64 of a tar.gz) into OUT.tar.gz; size and sha256 are checked. run-scenario.sh
#       calls this for CAPTURE=NAME and writes OUT.tar.gz to tests/e2e/work/captures/.
#   extract-capture.sh --unpack TAR.GZ DIR [--force]
#       Unpack a capture into DIR (e.g. tests/golden/captured/<name>/) as a fixture root
#       for `kexec --root DIR`, and write DIR/PROVENANCE from the TAR.GZ's .info sidecar
#       (written by run-scenario.sh: source, machine, cmdline, loader). Refuses a non-empty
#       DIR unless --force (then DIR is replaced). Lists the files it wrote.
# Exit: 0 ok, 1 capture absent or corrupt, 2 usage.
set -euo pipefail
usage() { sed -n '3,16p' "$0" >&2; exit 2; }
[ $# -ge 1 ] || usage

if [ "$1" = --unpack ]; then
	[ $# -ge 3 ] || usage
	tgz=$2 dir=$3 force=${4:-}
	[ -s "$tgz" ] || { echo "extract-capture: $tgz missing" >&2; exit 1; }
	if [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
		[ "$force" = --force ] || { echo "extract-capture: $dir not empty (use --force)" >&2; exit 1; }
		rm -rf "$dir"
	fi
	mkdir -p "$dir"
	# the tree is data: no device nodes, no absolute paths, no ownership from the guest
	tar -xzf "$tgz" -C "$dir" --no-same-owner --no-same-permissions
	info=${tgz%.tar.gz}.info
	if [ -s "$info" ]; then cp "$info" "$dir/PROVENANCE"
	else echo "# source: $(basename "$tgz") (no .info sidecar found)" > "$dir/PROVENANCE"; fi
	(cd "$dir" && find . -type f | LC_ALL=C sort | xargs stat -c '%8s %n')
	exit 0
fi

[ $# = 3 ] || usage
log=$1 name=$2 out=$3
[ -s "$log" ] || { echo "extract-capture: $log missing" >&2; exit 1; }
hdr=$(tr -d '\r' < "$log" | grep -a -m1 "^E2E: CAPTURE-BEGIN $name " || true)
[ -n "$hdr" ] || { echo "extract-capture: no capture '$name' in $log" >&2; exit 1; }
size=$(echo "$hdr" | sed -n 's/.* size=\([0-9]*\).*/\1/p')
sha=$(echo "$hdr" | sed -n 's/.* sha256=\([0-9a-f]*\).*/\1/p')
tmp=$(mktemp); trap 'rm -f "$tmp"' EXIT
# Only pure base64 lines between the markers; kernel messages that slipped in are dropped
# (they would break the checksum below if they had hit the middle of a line).
# awk reads to the end: an early exit would kill tr with SIGPIPE, which pipefail reports.
tr -d '\r' < "$log" | awk -v b="E2E: CAPTURE-BEGIN $name " '
	!done && index($0, b) == 1 {on=1; next}
	on && /^E2E: CAPTURE-END/ {on=0; done=1; next}
	on && /^[A-Za-z0-9+\/=]+$/ {print}' | base64 -d > "$tmp" 2>/dev/null ||
	{ echo "extract-capture: base64 decode failed" >&2; exit 1; }
got=$(stat -c %s "$tmp")
[ "$got" = "$size" ] || { echo "extract-capture: size $got != $size (truncated or corrupted on the console)" >&2; exit 1; }
[ "$(sha256sum "$tmp" | cut -d' ' -f1)" = "$sha" ] || { echo "extract-capture: sha256 mismatch" >&2; exit 1; }
tar -tzf "$tmp" >/dev/null 2>&1 || { echo "extract-capture: not a tar.gz" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
cp "$tmp" "$out"
