#!/usr/bin/env bash
# --quiz --answers checked against tshark (issue 15, deliverable 8). For each capture below,
# every question the capture gives (--quiz=100, seeds 1 and 2) is answered, and every
#   Check: N FIELD VALUE
# line of the answers must be what `tshark -r F -Y frame.number==N -T fields -e FIELD` prints
# (numbers compared as numbers: tshark writes icmp.resptime 0.1 where pktscope writes 0.100);
# every
#   Subnet: A B MASK same|different
# line is recomputed here (A AND MASK against B AND MASK), and its addresses (and the mask,
# when DHCP handed it out) must be ones the Check lines proved. Every question must have an Answer line, a Frame line and at
# least one Check line. Each capture must also give the kinds it has material for (the
# `want` list: a field that must be checked at least once).
# tshark runs once per capture (every field needed, every frame), not once per check.
# Exit status: 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -u
SRCDIR=${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}
PKTSCOPE=${PKTSCOPE:-$SRCDIR/build/pktscope}
export TZ=UTC LC_ALL=C

for t in tshark python3; do
    command -v $t >/dev/null 2>&1 || { echo "quiz_oracle: no $t; skipped"; exit 77; }
done
[ -x "$PKTSCOPE" ] || { echo "quiz_oracle: no pktscope binary at $PKTSCOPE" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
PCAPS=$SRCDIR/tests/pcaps
# ping.pcap with nanosecond timestamps, each frame N moved N*7 ns later: a round trip that
# microseconds cannot hold (tshark shows icmp.resptime to the nanosecond).
python3 - "$PCAPS/ping.pcap" "$WORK/ping-nsec.pcap" <<'EOF' || exit 1
import struct, sys
raw = open(sys.argv[1], "rb").read()
magic, = struct.unpack("<I", raw[:4])
assert magic == 0xa1b2c3d4, "ping.pcap: not a little-endian microsecond pcap"
out = [struct.pack("<I", 0xa1b23c4d) + raw[4:24]]
off, n = 24, 0
while off + 16 <= len(raw):
    sec, usec, incl, orig = struct.unpack("<IIII", raw[off:off + 16])
    n += 1
    out.append(struct.pack("<IIII", sec, usec * 1000 + n * 7, incl, orig))
    out.append(raw[off + 16:off + 16 + incl])
    off += 16 + incl
open(sys.argv[2], "wb").write(b"".join(out))
EOF

# capture | fields that must be checked at least once
CASES="
classroom.pcap|tcp.analysis.initial_rtt tcp.seq_raw tcp.ack_raw tcp.dstport tcp.flags.fin ip.proto eth.dst dhcp.option.subnet_mask icmp.resptime dns.a dhcp.ip.your dhcp.option.router
http-get.pcap|tcp.seq_raw tcp.ack_raw tcp.dstport tcp.flags.fin ip.proto
dns.pcap|dns.a tcp.seq_raw udp.dstport tcp.flags.fin
ping.pcap|icmp.resptime
dhcp.pcap|dhcp.ip.your dhcp.option.subnet_mask dhcp.option.router
half-close.pcap|tcp.flags.fin tcp.len tcp.seq_raw
WORK/ping-nsec.pcap|icmp.resptime
lossy.pcap|tcp.analysis.retransmission tcp.analysis.initial_rtt tcp.seq
"
# QUIZ_ORACLE_CASES="/abs/path.pcap|fields...": these cases instead (a capture no test contains,
# by hand: issue 15 is done when every quiz answer agrees with tshark on one).
[ -n "${QUIZ_ORACLE_CASES:-}" ] && CASES=$QUIZ_ORACLE_CASES

fail=0
while IFS='|' read -r file want; do
    [ -n "$file" ] || continue
    path=$PCAPS/$file
    case $file in WORK/*) path=$WORK/${file#WORK/} ;; /*) path=$file ;; esac
    : >"$WORK/answers"
    for seed in 1 2; do
        if ! "$PKTSCOPE" -r "$path" --quiz=100 --answers --seed $seed </dev/null >>"$WORK/answers" \
            2>"$WORK/err"; then
            echo "FAIL $file seed $seed: pktscope exited non-zero: $(cat "$WORK/err")"
            fail=1
            continue
        fi
    done
    fields=$(awk '/^Check: /{print $3}' "$WORK/answers" | sort -u)
    if [ -z "$fields" ]; then
        echo "FAIL $file: no Check lines in the answers"
        fail=1
        continue
    fi
    args=(-e frame.number)
    for f in $fields; do args+=(-e "$f"); done
    if ! tshark -r "$path" -T fields -E separator='|' "${args[@]}" </dev/null >"$WORK/tshark" \
        2>"$WORK/err"; then
        echo "FAIL $file: tshark: $(cat "$WORK/err")"
        fail=1
        continue
    fi
    python3 - "$file" "$WORK/answers" "$WORK/tshark" "$want" $fields <<'EOF' || fail=1
import ipaddress, sys
name, answers, tshark, want = sys.argv[1:5]
fields = sys.argv[5:]
table = {}
for row in open(tshark):
    cols = row.rstrip("\n").split("|")
    table[cols[0]] = dict(zip(fields, cols[1:]))

def same(ours, theirs):
    if ours == theirs:
        return True
    try:
        return abs(float(ours) - float(theirs)) < 1e-9
    except ValueError:
        return False

bad = 0
checked = {}
proved = set()
questions = 0
block = None
def end_block(b):
    global bad
    if b is None:
        return
    title, lines = b
    kinds = [l.split(":", 1)[0] for l in lines]
    for need in ("Answer", "Frame", "Check"):
        if need not in kinds:
            print(f"FAIL {name}: question '{title}' has no {need} line")
            bad += 1

for raw in open(answers):
    l = raw.rstrip("\n")
    if l.startswith("## "):
        end_block(block)
        block = (l[3:], [])
        questions += 1
        continue
    if block is not None and l.split(":", 1)[0] in ("Answer", "Frame", "Check", "Subnet"):
        block[1].append(l)
    if l.startswith("Check: "):
        _, frame, field, value = l.split(" ", 3)
        theirs = table.get(frame, {}).get(field)
        if theirs is None or not same(value, theirs):
            print(f"FAIL {name}: frame {frame} {field}: pktscope answers '{value}', tshark shows '{theirs}'")
            bad += 1
        else:
            checked[field] = checked.get(field, 0) + 1
            proved.add(value)
    elif l.startswith("Subnet: "):
        _, a, b, m, verdict = l.split(" ")
        # The mask is the question's own when the subnet was inferred or given; from DHCP
        # it must be the one the capture's DHCP message carries.
        from_dhcp = any(" dhcp.option.subnet_mask " in x for x in block[1])
        for v in (a, b, m) if from_dhcp else (a, b):
            if v not in proved:
                print(f"FAIL {name}: subnet value {v} was not proved by a Check line before it")
                bad += 1
        A, B, M = (int(ipaddress.IPv4Address(v)) for v in (a, b, m))
        truth = "same" if (A & M) == (B & M) else "different"
        if truth != verdict:
            print(f"FAIL {name}: {a} and {b} under {m} are {truth}, the answer says {verdict}")
            bad += 1
end_block(block)
for f in want.split():
    if f not in checked:
        print(f"FAIL {name}: no question checked {f}")
        bad += 1
if questions == 0:
    print(f"FAIL {name}: no questions")
    bad += 1
print(f"{name}: {questions} questions (two seeds), {sum(checked.values())} checks agree with tshark")
sys.exit(1 if bad else 0)
EOF
done <<<"$CASES"

# The worksheet without answers gives nothing away, and the options are checked.
if "$PKTSCOPE" -r "$PCAPS/classroom.pcap" --quiz | grep -q '^\(Answer\|Check\): '; then
    echo "FAIL --quiz without --answers shows answers"
    fail=1
fi
n=$("$PKTSCOPE" -r "$PCAPS/classroom.pcap" --quiz=3 | grep -c '^## ')
[ "$n" = 3 ] || { echo "FAIL --quiz=3 asked $n questions"; fail=1; }
for bad in "--answers" "--seed 2" "--quiz=0" "--quiz=x" "--quiz --seed -1"; do
    # shellcheck disable=SC2086
    "$PKTSCOPE" -r "$PCAPS/classroom.pcap" $bad >/dev/null 2>&1
    st=$?
    [ $st -eq 2 ] || { echo "FAIL '$bad': exit $st, want 2 (usage)"; fail=1; }
done
exit $fail
