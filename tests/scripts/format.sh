#!/usr/bin/env bash
# Every C source and header is as clang-format (the repository's .clang-format) writes it, so a
# change is its content, never its layout. To fix a file: clang-format -i FILE.
set -u
: "${SRCDIR:?}"
. "$(dirname "$0")/lib/skip.sh"
command -v clang-format >/dev/null || skip "format: clang-format is not installed"
cd "$SRCDIR" || exit 1
if command -v git >/dev/null && git rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    mapfile -t files < <(git ls-files '*.c' '*.h')
else
    mapfile -t files < <(find . -path ./build -prune -o \( -name '*.c' -o -name '*.h' \) -print)
fi
bad=0
for f in "${files[@]}"; do
    clang-format --dry-run -Werror "$f" >/dev/null 2>&1 || { echo "not formatted: $f"; bad=$((bad + 1)); }
done
echo "format: ${#files[@]} files, $bad not as clang-format writes them"
[ "$bad" -eq 0 ]
