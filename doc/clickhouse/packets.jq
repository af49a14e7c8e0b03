# doc/clickhouse/packets.jq: one object of `pktscope --json` -> one row of the `packets` table
# (doc/clickhouse/schema.sql), for `clickhouse-client --query 'INSERT INTO packets FORMAT
# JSONEachRow'`.
#
# Why a projection and not the keys as they are: a field that occurs twice in a packet is an array
# (ip.src in an ICMP error that quotes the offending header, http.host in a pipelined segment), the
# analysis flags are JSON `true`, and ClickHouse 18.16 (Debian 12's) can read neither into a
# scalar column. Here the first occurrence is kept (the outer header, as tshark -E occurrence=f),
# flags become 0/1, and the keys get plain column names.
def first: if type == "array" then .[0] else . end;
def num: (first // 0);
def optnum: first;
def str: (first // "");

((."frame.time_epoch" // "0") | split(".")) as $t
| ((."frame.protocols" // "") | split(":")) as $p
| {
    time: ($t[0] | tonumber),
    time_ns: (($t[1] // "0") | tonumber),
    frame: ."frame.number",
    frame_len: ."frame.len",
    cap_len: ."frame.cap_len",
    protocols: (."frame.protocols" // ""),
    protocol: ($p[-1] // ""),
    eth_src: (."eth.src" | str),
    eth_dst: (."eth.dst" | str),
    vlan: (."vlan.id" | num),
    ip_version: ((."ip.version" // ."ipv6.version") | num),
    src: ((."ip.src" // ."ipv6.src" // ."arp.src.proto_ipv4") | str),
    dst: ((."ip.dst" // ."ipv6.dst" // ."arp.dst.proto_ipv4") | str),
    ip_proto: ((."ip.proto" // ."ipv6.nxt") | num),
    ttl: ((."ip.ttl" // ."ipv6.hlim") | num),
    srcport: ((."tcp.srcport" // ."udp.srcport") | num),
    dstport: ((."tcp.dstport" // ."udp.dstport") | num),
    # An ICMP error's own exchange first: it also quotes the datagram it answers.
    stream: ((."pktscope.icmp.stream" // ."tcp.stream" // ."udp.stream") | first // -1),
    community_id: (.communityid | str),
    tcp_flags: (."tcp.flags" | num),
    tcp_len: (."tcp.len" | num),
    tcp_seq: (."tcp.seq" | num),
    tcp_ack: (."tcp.ack" | num),
    tcp_window: (."tcp.window_size" | num),
    # The analysis flags that are set (`true`), by name, sorted; not the "any" marker
    # tcp.analysis.flags nor the numbers (tcp.analysis.ack_rtt, ...).
    tcp_analysis: ([to_entries[] | select((.key | startswith("tcp.analysis.")) and .value == true)
                    | .key[13:]] - ["flags"] | sort),
    icmp_type: ((."icmp.type" // ."icmpv6.type") | optnum),
    icmp_code: ((."icmp.code" // ."icmpv6.code") | optnum),
    phase: (."pktscope.phase" | str),
    service: (."pktscope.service" | str)
  }
