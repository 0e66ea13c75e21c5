# tests/golden/lib.sh — what run-golden.sh and run-golden-arm64.sh share. Sourced after the
# caller set SUITE (the PASS:/FAIL: word, e.g. "golden"), w (its work directory) and defined
# kx (its kexec: "kx ARGS..." runs the loader, natively or under qemu-user).
pass=0; fail=0
ok() { echo "PASS: $SUITE: $1"; pass=$((pass + 1)); }
bad() { echo "FAIL: $SUITE: $1: $2"; fail=$((fail + 1)); }

# mask PLAN.json: the plan without what changes with the purgatory code (digest, segment sha256)
# or with the run (the work directory in notes)
mask() { python3 -c '
import json, sys
p = json.load(open(sys.argv[1]))
p["digest"] = "masked" if p.get("digest") else None
for s in p["segments"]:
    s["sha256"] = "masked"
for n in p.get("notes", []):
    n["message"] = n["message"].replace(sys.argv[2], "W")
print(json.dumps(p, indent=1, sort_keys=True))' "$1" "$w"; }

# plan_inputs KEXEC-ARGS...: the kernel (the first word that is not an option) and the initrd of
# a plan's arguments, into PLAN_KERNEL and PLAN_INITRD (an array: "--initrd FILE", or empty)
plan_inputs() {
	local a
	PLAN_KERNEL=; PLAN_INITRD=()
	for a in "$@"; do
		case $a in
		--initrd=*) PLAN_INITRD=(--initrd "${a#--initrd=}") ;;
		-*) ;;
		*) [ -n "$PLAN_KERNEL" ] || PLAN_KERNEL=$a ;;
		esac
	done
}

# words_in FILE WORDS: every '|'-separated word of WORDS is in FILE (else the first missing one)
words_in() {
	local word ws
	IFS='|' read -ra ws <<<"$2"
	for word in "${ws[@]}"; do
		grep -qF -- "$word" "$1" || { echo "$word"; return 1; }
	done
}

# expect_error CASE ROOT EXIT WORDS KEXEC-ARGS...: a --dry-run that exits EXIT, nothing planned,
# its stderr naming every word of WORDS
expect_error() {
	local name=$1 root=$2 want_rc=$3 words=$4 miss; shift 4
	kx --root "$root" --dry-run "$@" >"$w/$name.out" 2>"$w/$name.err"
	local rc=$? msg; msg=$(head -1 "$w/$name.err")
	if [ "$rc" != "$want_rc" ]; then bad "$name" "exit $rc, want $want_rc ($msg)"; return; fi
	miss=$(words_in "$w/$name.err" "$words") || { bad "$name" "message lacks \"$miss\": $msg"; return; }
	ok "$name (exit $rc: $msg)"
}

# expect_note CASE ROOT WORDS KEXEC-ARGS...: the plan loads (exit 0) and says every word of WORDS
expect_note() {
	local name=$1 root=$2 words=$3 miss; shift 3
	if ! kx --root "$root" --dry-run "$@" >"$w/$name.out" 2>&1; then
		bad "$name" "kexec failed: $(grep -v '^ ' "$w/$name.out" | head -1)"; return
	fi
	miss=$(words_in "$w/$name.out" "$words") || { bad "$name" "output lacks \"$miss\""; return; }
	ok "$name"
}

# jcheck CASE PLAN.json PYTHON-EXPR: EXPR holds for p (the plan) and notes (all notes, one string)
jcheck() {
	local name=$1 f=$2 expr=$3
	if python3 -c "import json,sys; p=json.load(open(sys.argv[1])); notes=' '.join(n['level']+': '+n['message'] for n in p.get('notes',[])); sys.exit(0 if ($expr) else 1)" "$f" 2>"$w/$name.pyerr"; then
		ok "$name"
	else
		bad "$name" "$(head -c 600 "$f" | tr '\n' ' ') $(head -2 "$w/$name.pyerr")"
	fi
}
