#!/usr/bin/env bash
# Does a refactor of the dissectors change what they say? Runs two pktscope binaries over every
# capture in the repository (tests/pcaps, crafted cases, fuzz corpora) and the public ones in
# ../shared/pcaps, with and without reassembly, and compares their -V output: every field with
# its offset and length, every anomaly and every layer status. Prints the captures that differ
# and exits 1 if any does. More directories of captures may follow the two binaries.
#   scripts/same-dissection.sh OLD_BINARY NEW_BINARY [DIR...]
set -uo pipefail
old=$1 new=$2
shift 2
here=$(cd "$(dirname "$0")/.." && pwd)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
chmod 755 "$out"
n=0 bad=0
while IFS= read -r -d '' f; do
    for mode in "" "--no-reassembly"; do
        n=$((n + 1))
        # shellcheck disable=SC2086
        timeout 60 "$old" -n -V $mode -r "$f" >"$out/a" 2>&1
        # shellcheck disable=SC2086
        timeout 60 "$new" -n -V $mode -r "$f" >"$out/b" 2>&1
        if ! cmp -s "$out/a" "$out/b"; then
            bad=$((bad + 1))
            echo "DIFFERS: $f ${mode:-(reassembly on)}"
            diff "$out/a" "$out/b" | head -8
        fi
    done
done < <(find "$here/tests/pcaps" "$here/tests/fuzz/corpus/reader" "$here/../shared/pcaps" "$@" \
    -type f ! -name '*.py' ! -name '*.sh' ! -name '*.tsv' -print0 2>/dev/null)
echo "$n runs, $bad differ"
[ "$bad" -eq 0 ]
