#!/usr/bin/env bash
# One-way layers (STYLE.md "The shape of the code"): every #include "dir/file" in a layer's
# folder names its own layer or one below it, only capture/ includes pcap.h, only ui/ includes
# curses, and each library in CMakeLists.txt links exactly the layers below it. The graph here,
# the comment atop CMakeLists.txt and the includes must agree; change all three together.
set -u
SRC=${SRCDIR:?SRCDIR names the source tree}
cd "$SRC" || exit 1

# layer: the layers its files may include (itself included).
declare -A allowed=(
    [util]="util"
    [capture]="util capture"
    [dissect]="util dissect"
    [track]="util dissect track"
    [filter]="util dissect track filter"
    [format]="util capture dissect track format"
    [pipeline]="util capture dissect track filter pipeline"
    [ui]="util capture dissect track filter format pipeline ui"
    [main]="util capture dissect track filter format pipeline ui main"
)
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }

checked=0
for layer in util capture dissect track filter format pipeline ui main; do
    [ -d "$layer" ] || { fail "no folder $layer/"; continue; }
    for f in "$layer"/*.c "$layer"/*.h "$layer"/*.def; do
        [ -e "$f" ] || continue
        while IFS=: read -r line inc; do
            checked=$((checked + 1))
            dir=${inc%%/*}
            if [ "$dir" = "$inc" ]; then
                continue # "x.h" without a folder: the file's own folder
            fi
            case " ${allowed[$layer]} " in
                *" $dir "*) ;;
                *) fail "$f:$line includes \"$inc\": $layer/ may include only ${allowed[$layer]}" ;;
            esac
        done < <(awk '
                     match($0, /^[ \t]*#[ \t]*include[ \t]*"[^"]*"/) {
                         s = substr($0, RSTART, RLENGTH); sub(/^[^"]*"/, "", s); sub(/"$/, "", s)
                         print FNR ":" s
                     }' "$f")
        if [ "$layer" != capture ] && grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<pcap' "$f"; then
            fail "$f includes pcap.h: only capture/ may"
        fi
        if [ "$layer" != ui ] && grep -Eq '^[[:space:]]*#[[:space:]]*include[[:space:]]*<n?cursesw?\.h|<ncursesw?/' "$f"; then
            fail "$f includes curses: only ui/ may"
        fi
    done
done
[ "$checked" -gt 100 ] || fail "only $checked includes found: is SRCDIR right?"

# The CMake link graph: ps_<layer> links exactly ps_<below> (the executable: all of them).
cm=$(tr '\n' ' ' < CMakeLists.txt)
for layer in util capture dissect track filter format pipeline ui main; do
    if [ "$layer" = main ]; then target=pktscope; else target=ps_$layer; fi
    want=$(for l in ${allowed[$layer]}; do [ "$l" = "$layer" ] || echo "ps_$l"; done | sort | tr '\n' ' ')
    got=$(grep -oE "target_link_libraries\(\s*$target\s[^)]*\)" <<<"$cm" | grep -oE '\bps_[a-z]+' |
          grep -vx "$target" | sort -u | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "CMake: $target links '${got% }', the graph says '${want% }'"
done

# Each unit test links only its own layer and those below (tests/CMakeLists.txt's table).
tcm=$(tr '\n' ' ' < tests/CMakeLists.txt)
for src in tests/unit/test_*.c; do
    name=$(basename "$src" .c)
    lib=$(grep -oE "\b$name\s+ps_[a-z]+" <<<"$tcm" | head -1 | grep -oE 'ps_[a-z]+$')
    if [ -z "$lib" ]; then
        fail "tests/CMakeLists.txt does not say which layer $name tests"
        continue
    fi
    layer=${lib#ps_}
    [ "$layer" = main ] && continue
    [ -n "${allowed[$layer]:-}" ] || { fail "$name: unknown layer $lib"; continue; }
    while read -r inc; do
        dir=${inc%%/*}
        [ "$dir" = "$inc" ] && continue
        case " ${allowed[$layer]} " in
            *" $dir "*) ;;
            *) fail "$src includes \"$inc\" but links only $lib and below" ;;
        esac
    done < <(sed -n 's/^[[:space:]]*#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$src")
done

if [ "$fails" -ne 0 ]; then
    echo "$fails layering violation(s); $checked includes checked"
    exit 1
fi
echo "ok: $checked includes, the CMake link graph and the unit tests follow the layers"
exit 0
