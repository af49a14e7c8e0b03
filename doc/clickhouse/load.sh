#!/usr/bin/env bash
# doc/clickhouse/load.sh: load pktscope's output for capture files into the tables of
# schema.sql, one INSERT per table for all the files.
#
#   doc/clickhouse/load.sh [--shard I/N] [--table conns|packets|records]... [--json] FILE...
#
# --shard I/N   passed to pktscope: only the flows of shard I of N (load them into server I)
# --table T     only this table (repeatable; default all three)
# --json        packets from --json through packets.jq rather than from -T fields (the same
#               rows, at a tenth of the speed: jq parses every key of every packet)
# Environment:
#   PKTSCOPE      the pktscope binary (default: pktscope on PATH)
#   CH            the client command with its connection options, word-split (default
#                 "clickhouse-client"), e.g. CH="clickhouse-client --host ch1 --database pktscope"
#
# What it runs, per table (the commands to copy when loading by hand):
#   conns:    pktscope -r FILE --conns=json
#               | clickhouse-client --input_format_skip_unknown_fields=1
#                   --query 'INSERT INTO conns FORMAT JSONEachRow'
#   packets:  pktscope -r FILE -T fields -E occurrence=f -e frame.time_epoch -e ... (packets.fields)
#               | clickhouse-client --query 'INSERT INTO packets_in FORMAT TabSeparated'
#             or, with --json:
#             pktscope -r FILE --json | jq -c -f packets.jq
#               | clickhouse-client --query 'INSERT INTO packets FORMAT JSONEachRow'
#   records:  pktscope -r FILE -Y 'dns or http or tls.handshake.type' --json
#               | jq -c -f records.jq | clickhouse-client --query 'INSERT INTO records FORMAT JSONEachRow'
# (records read their own pktscope run, filtered, rather than a tee of the packets' one: two
# readers of one pipe would stall on each other's pace; the filtered run prints little.)
# A capture whose pktscope exits 1 (damaged input: everything readable was still processed)
# is loaded and reported; any other failure stops the load with status 1.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
PKTSCOPE=${PKTSCOPE:-pktscope}
read -r -a CH_CMD <<<"${CH:-clickhouse-client}"
shard=()
tables=()
json=
while [ $# -gt 0 ]; do
    case $1 in
    --shard) shard=(--shard "$2"); shift 2 ;;
    --table) tables+=("$2"); shift 2 ;;
    --json) json=1; shift ;;
    --) shift; break ;;
    -*) echo "load.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
    esac
done
[ $# -gt 0 ] || { echo "usage: load.sh [--shard I/N] [--table T]... FILE..." >&2; exit 2; }
[ ${#tables[@]} -gt 0 ] || tables=(conns packets records)

status=0
# pktscope over every file with these options, a damaged file (exit 1) reported, not fatal.
run_all() {
    local f rc
    for f in "${FILES[@]}"; do
        "$PKTSCOPE" -r "$f" "${shard[@]}" "$@"
        rc=$?
        if [ "$rc" -eq 1 ]; then
            echo "load.sh: $f: damaged capture, its readable part was loaded" >&2
        elif [ "$rc" -ne 0 ]; then
            echo "load.sh: $f: pktscope failed (status $rc)" >&2
            return 1
        fi
    done
}
# -e FIELD for every field of packets.fields, in its order (that of packets_in's columns).
fields=()
while read -r f; do
    case $f in '' | '#'*) ;; *) fields+=(-e "$f") ;; esac
done <"$HERE/packets.fields"
# INSERT standard input into table $1, unless it is empty: the client refuses an INSERT without
# rows ("No data to insert"), and a shard may well hold no DNS at all.
insert() {
    local table=$1 first
    shift
    IFS= read -r first || return 0
    { printf '%s\n' "$first"; cat; } |
        "${CH_CMD[@]}" "$@" --query "INSERT INTO $table FORMAT ${FORMAT:-JSONEachRow}"
}
FILES=("$@")
for t in "${tables[@]}"; do
    case $t in
    conns) run_all --conns=json | insert conns --input_format_skip_unknown_fields=1 ;;
    packets)
        if [ -n "$json" ]; then
            run_all --json | jq -c -f "$HERE/packets.jq" | insert packets
        else
            run_all -T fields -E occurrence=f "${fields[@]}" | FORMAT=TabSeparated insert packets_in
        fi
        ;;
    records)
        run_all -Y 'dns or http or tls.handshake.type' --json |
            jq -c -f "$HERE/records.jq" | insert records
        ;;
    *) echo "load.sh: unknown table $t (conns, packets or records)" >&2; exit 2 ;;
    esac || { echo "load.sh: loading $t failed" >&2; status=1; }
done
exit "$status"
