#!/usr/bin/env bash
# --stats=json holds the numbers of --stats (text) with the same values, on several captures
# (lib/stats_json_check.py maps every text line to its key), and jq parses it; --stats=text is
# --stats; a wrong value is a usage error.
set -u
P=${PKTSCOPE:?PKTSCOPE names the binary}
SRC=${SRCDIR:?}
. "$SRC/tests/scripts/lib/skip.sh"
command -v python3 >/dev/null || skip "python3 is not installed"
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-statsjson.XXXXXX")
trap 'rm -rf "$T"' EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
cd "$SRC/tests/pcaps" || exit 1

# capture | extra arguments
while IFS='|' read -r cap extra; do
  [ -n "$cap" ] || continue
  # shellcheck disable=SC2086
  timeout 60 "$P" -r "$cap" --stats $extra >"$T/text" 2>/dev/null
  # shellcheck disable=SC2086
  timeout 60 "$P" -r "$cap" --stats=json $extra >"$T/json" 2>/dev/null
  # shellcheck disable=SC2086
  timeout 60 "$P" -r "$cap" --stats=text $extra >"$T/text2" 2>/dev/null
  cmp -s "$T/text" "$T/text2" || fail "$cap: --stats=text differs from --stats"
  if command -v jq >/dev/null; then
    jq -e '.capture.packets >= 0' "$T/json" >/dev/null || fail "$cap $extra: jq cannot read it"
  fi
  python3 "$SRC/tests/scripts/lib/stats_json_check.py" "$T/text" "$T/json" \
    || fail "$cap $extra: the JSON does not hold the text's numbers"
done <<'EOF2'
http-get.pcap|
lossy.pcap|
many-short.pcap|
ipv6-nd.pcap|
zerowin.pcap|
crafted/frag-overlap.pcap|
crafted/frag-incomplete.pcap|
crafted/bad-checksums.pcap|
crafted/tcp-truncated.pcap|
crafted/ng-two-linktypes.pcapng|
crafted/ng-blocks.pcapng|
http-get.pcap|--no-reassembly
http-get.pcap|-Y frame.number>1000
EOF2

timeout 60 "$P" -r http-get.pcap --stats=yaml >/dev/null 2>"$T/err"
rc=$?
[ "$rc" -eq 2 ] && grep -q "text or json" "$T/err" && echo "ok: --stats=yaml is a usage error" \
  || fail "--stats=yaml: exit $rc, $(cat "$T/err")"

echo "stats_json: $fails failures"
[ "$fails" -eq 0 ]
