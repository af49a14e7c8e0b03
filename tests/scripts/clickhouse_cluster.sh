#!/usr/bin/env bash
# Two ClickHouse servers on loopback as the two shards of the cluster `pktscope`
# (doc/clickhouse/): `pktscope --shard 0/2` loads into server 0 and `--shard 1/2` into server 1,
# an unsharded run into a database of its own on server 0, and every query over the Distributed
# tables must equal the same query over the unsharded run exactly: connections by state, bytes
# by service, packets by protocol, DNS/HTTP/TLS names, distinct Community IDs, and every
# connection row (uid, state, history, bytes), so that a connection split across the shards
# shows. No uid or Community ID may be on both shards. The shards load packets the fast way
# (-T fields into packets_in and its view), the unsharded run through --json and packets.jq, so
# the packet queries also check that the two ways give the same rows. The captures: tests/pcaps ones with
# DHCP, DNS, HTTP, TLS, ICMP, IPv6, and public ones from $SHARED_PCAPS (read in place) that the
# other tests do not use this way.
# The servers run as the current user (root in CI: 18.16 runs as root without complaint) in a
# scratch directory, on free loopback ports, and are stopped by PID at exit; every wait is
# bounded. Skipped (except under CI=true) only when clickhouse-server, clickhouse-client or jq
# is missing.
set -u
. "$SRCDIR/tests/scripts/lib/skip.sh"
for tool in clickhouse-server clickhouse-client jq python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (apt-get install $tool)"
done
t0=$(date +%s)
DOC=$SRCDIR/doc/clickhouse
T=$(mktemp -d "${TMPDIR:-/tmp}/pktscope-clickhouse.XXXXXX")
. "$SRCDIR/tests/scripts/lib/pids.sh"
cleanup() {
    stop_pids 100 # a server flushes its tables before it exits: up to 10 s each
    rm -rf "$T"
}
trap cleanup EXIT
fails=0
fail() { echo "FAIL: $*"; fails=$((fails + 1)); }
ok() { echo "ok: $*"; }

# Four free loopback ports (native and HTTP for each server), all held open at once so that
# they differ; the servers bind them a moment later. No interserver port: that is replication's.
read -r -a ports < <(python3 -c '
import socket
s = [socket.socket() for _ in range(4)]
for x in s:
    x.bind(("127.0.0.1", 0))
print(*[x.getsockname()[1] for x in s])
')
[ "${#ports[@]}" -eq 4 ] || { echo "FAIL: no free ports"; exit 1; }
PORT=("${ports[0]}" "${ports[2]}")
HTTP=("${ports[1]}" "${ports[3]}")

cat >"$T/users.xml" <<'EOF'
<?xml version="1.0"?>
<yandex>
  <profiles><default><max_memory_usage>1000000000</max_memory_usage></default></profiles>
  <users><default><password></password><networks><ip>127.0.0.1</ip></networks>
    <profile>default</profile><quota>default</quota></default></users>
  <quotas><default><interval><duration>3600</duration><queries>0</queries><errors>0</errors>
    <result_rows>0</result_rows><read_rows>0</read_rows><execution_time>0</execution_time>
  </interval></default></quotas>
</yandex>
EOF
for i in 0 1; do
    d=$T/s$i
    mkdir -p "$d"
    # The cluster block is doc/clickhouse/cluster.xml's, with these ports.
    cat >"$d/config.xml" <<EOF
<?xml version="1.0"?>
<yandex>
  <logger><level>warning</level><log>$d/server.log</log><errorlog>$d/server.err.log</errorlog></logger>
  <listen_host>127.0.0.1</listen_host>
  <tcp_port>${PORT[$i]}</tcp_port>
  <http_port>${HTTP[$i]}</http_port>
  <path>$d/data/</path>
  <tmp_path>$d/tmp/</tmp_path>
  <user_files_path>$d/user_files/</user_files_path>
  <users_config>$T/users.xml</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>67108864</mark_cache_size>
  <uncompressed_cache_size>67108864</uncompressed_cache_size>
  <remote_servers>
    <pktscope>
      <shard><replica><host>127.0.0.1</host><port>${PORT[0]}</port></replica></shard>
      <shard><replica><host>127.0.0.1</host><port>${PORT[1]}</port></replica></shard>
    </pktscope>
  </remote_servers>
</yandex>
EOF
    clickhouse-server --config-file="$d/config.xml" >"$d/stdout" 2>&1 &
    PIDS+=($!)
done
ch() { # ch SERVER ARGS...: the client for server 0 or 1, bounded
    local port=${PORT[$1]}
    shift
    timeout 120 clickhouse-client --host 127.0.0.1 --port "$port" "$@"
}
for i in 0 1; do
    up=
    for ((n = 0; n < 300; n++)); do
        if ch "$i" --query 'SELECT 1' >/dev/null 2>&1; then
            up=1
            break
        fi
        kill -0 "${PIDS[$i]}" 2>/dev/null || break
        sleep 0.1
    done
    if [ -z "$up" ]; then
        echo "FAIL: clickhouse-server $i did not answer within 30 s"
        tail -n 20 "$T/s$i/stdout" "$T/s$i/server.err.log" 2>/dev/null
        exit 1
    fi
done
ok "two servers answer, native ports ${PORT[0]} and ${PORT[1]} ($(($(date +%s) - t0)) s)"

for i in 0 1; do
    ch "$i" --query 'CREATE DATABASE pktscope' &&
        ch "$i" --database pktscope --multiquery <"$DOC/schema.sql" &&
        ch "$i" --database pktscope --multiquery <"$DOC/distributed.sql" ||
        { echo "FAIL: cannot create the tables on server $i"; exit 1; }
done
ch 0 --query 'CREATE DATABASE single' &&
    ch 0 --database single --multiquery <"$DOC/schema.sql" ||
    { echo "FAIL: cannot create the unsharded tables"; exit 1; }

captures=()
for f in classroom classroom-server dhcp dns dns-tcp http-get http-ipv6 http-keepalive \
    http-pipeline tls12 tls13 ping ipv6-nd udp many-short lossy refused rst-abort vlan sll2; do
    captures+=("$SRCDIR/tests/pcaps/$f.pcap")
done
for f in ppp_raw_ip.pcap ppp_DnsPackets.pcap ppp_three_http_streams.pcap \
    ppp_frag_http_req.pcap ppp_ip6_fragments.pcap tcptrace_http.pcap ppp_IcmpPackets.pcapng; do
    [ -f "${SHARED_PCAPS:-/nonexistent}/$f" ] && captures+=("$SHARED_PCAPS/$f")
done
# CLICKHOUSE_CAPTURES="A.pcap B.pcap": these instead (a capture no test contains, by hand).
if [ -n "${CLICKHOUSE_CAPTURES:-}" ]; then
    read -r -a captures <<<"$CLICKHOUSE_CAPTURES"
fi
echo "captures: ${#captures[@]}"

load() { # load SERVER DATABASE [--shard I/N]
    local port=${PORT[$1]} db=$2
    shift 2
    CH="timeout 300 clickhouse-client --host 127.0.0.1 --port $port --database $db" \
        bash "$DOC/load.sh" "$@" "${captures[@]}"
}
load 0 pktscope --shard 0/2 || fail "load.sh into shard 0"
load 1 pktscope --shard 1/2 || fail "load.sh into shard 1"
load 0 single --json || fail "load.sh --json, unsharded"
ok "loaded ($(($(date +%s) - t0)) s)"

# Each shard holds something, or the comparison proves little.
for i in 0 1; do
    n=$(ch "$i" --database pktscope --query 'SELECT count() FROM conns')
    m=$(ch "$i" --database pktscope --query 'SELECT count() FROM packets')
    echo "shard $i: $n connections, $m packets"
    [ "${n:-0}" -gt 0 ] && [ "${m:-0}" -gt 0 ] || fail "shard $i is empty"
done

# same NAME QUERY: QUERY with the table names as {conns} {packets} {records} gives the same
# rows over the Distributed tables as over the unsharded ones (and some rows at all).
same() {
    local name=$1 q=$2 qd qs
    qd=${q//\{conns\}/pktscope.conns_all}
    qd=${qd//\{packets\}/pktscope.packets_all}
    qd=${qd//\{records\}/pktscope.records_all}
    qs=${q//\{conns\}/single.conns}
    qs=${qs//\{packets\}/single.packets}
    qs=${qs//\{records\}/single.records}
    ch 0 --query "$qd" >"$T/dist.out" 2>&1 || { fail "$name: $(head -c 300 "$T/dist.out")"; return; }
    ch 0 --query "$qs" >"$T/single.out" 2>&1 || { fail "$name: $(head -c 300 "$T/single.out")"; return; }
    if ! [ -s "$T/single.out" ]; then
        fail "$name: no rows"
    elif cmp -s "$T/dist.out" "$T/single.out"; then
        ok "$name: $(wc -l <"$T/single.out") rows equal"
    else
        fail "$name differs (< Distributed, > unsharded):"
        diff "$T/dist.out" "$T/single.out" | head -20
    fi
}
same "connections by state" \
    'SELECT proto, conn_state, count() FROM {conns} GROUP BY proto, conn_state ORDER BY proto, conn_state'
same "bytes by service" \
    'SELECT service, count(), sum(orig_bytes), sum(resp_bytes), sum(orig_ip_bytes), sum(resp_ip_bytes),
            sum(orig_pkts + resp_pkts), sum(missed_bytes) FROM {conns} GROUP BY service ORDER BY service'
same "packets by protocol" \
    'SELECT protocol, ip_version, count(), sum(frame_len) FROM {packets}
     GROUP BY protocol, ip_version ORDER BY protocol, ip_version'
same "TCP phases and analysis" \
    'SELECT phase, tcp_analysis, count() FROM {packets} WHERE ip_proto = 6
     GROUP BY phase, tcp_analysis ORDER BY phase, tcp_analysis'
same "distinct Community IDs" \
    'SELECT (SELECT count(DISTINCT community_id) FROM {conns}),
            (SELECT count(DISTINCT community_id) FROM {packets} WHERE community_id != '"''"'),
            (SELECT count() FROM {conns} WHERE community_id = '"''"')'
same "DNS, HTTP and TLS names" \
    'SELECT kind, name, count(), count(DISTINCT community_id), sum(dns_response), sum(http_status)
     FROM {records}
     GROUP BY kind, name ORDER BY kind, name'
# Every connection whole: a flow split over the shards would have two rows (or another
# history and other counts) on the sharded side. Stream numbers and frame numbers are each
# shard's own and are left out.
same "every connection" \
    'SELECT uid, community_id, ts, `id.orig_h`, `id.orig_p`, `id.resp_h`, `id.resp_p`, proto,
            service, duration, conn_state, history, orig_pkts, orig_bytes, resp_pkts, resp_bytes
     FROM {conns} ORDER BY uid, ts, community_id'
same "packets per connection" \
    'SELECT community_id, count(), sum(frame_len), min(time), max(time) FROM {packets}
     GROUP BY community_id ORDER BY community_id'

# No key on both shards (sorted here: 18.16 reads ORDER BY 1 as a constant, not a position).
for key in "uid FROM conns" "community_id FROM conns" \
    "community_id FROM packets WHERE community_id != ''" \
    "community_id FROM records WHERE community_id != ''"; do
    ch 0 --database pktscope --query "SELECT DISTINCT $key" | LC_ALL=C sort >"$T/k0"
    ch 1 --database pktscope --query "SELECT DISTINCT $key" | LC_ALL=C sort >"$T/k1"
    both=$(LC_ALL=C comm -12 "$T/k0" "$T/k1" | head -5)
    if [ -n "$both" ]; then
        fail "on both shards: $key: $both"
    else
        ok "no ${key%% WHERE*} on both shards ($(wc -l <"$T/k0") + $(wc -l <"$T/k1"))"
    fi
done

echo "time: $(($(date +%s) - t0)) s"
[ "$fails" -eq 0 ] || { echo "$fails check(s) failed"; exit 1; }
echo "all checks passed"
