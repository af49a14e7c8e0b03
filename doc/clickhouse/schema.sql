-- doc/clickhouse/schema.sql: pktscope's output as ClickHouse tables (written for and tested on
-- ClickHouse 18.16, Debian 12's package; not tried on later versions).
--
--   clickhouse-client --database pktscope --multiquery < doc/clickhouse/schema.sql
--
-- conns   one row per connection, `pktscope --conns=json` loaded as it is: the columns carry
--         the JSON keys' own names (Zeek's conn.log names: `id.orig_h` needs backquotes in a
--         query), and keys without a column are skipped (input_format_skip_unknown_fields=1).
-- packets one row per packet, from `pktscope --json | jq -c -f doc/clickhouse/packets.jq`, or
--         faster (jq reads some 3,000 packets' JSON a second, doc/scale.md), from
--         `pktscope -T fields -E occurrence=f -e ...` (packets.fields) into packets_in, a Null
--         table whose materialized view packets_mv writes the same columns into packets.
-- records one row per DNS, HTTP or TLS handshake message, the same JSON through records.jq.
--
-- Every table is partitioned by day (drop or move a day as one unit) and ordered by the hour
-- first: a time range reads only its hours' blocks, and inside each hour the second key
-- (addresses for conns, the Community ID for packets, the name for records) finds one host's
-- or one flow's rows without reading the hour. 18.16 has no DateTime64: times are a DateTime
-- plus the nanoseconds as a UInt32 (packets, records), or Zeek's float `ts` with a DateTime
-- computed from it (conns). Addresses are strings (18.16 has no IPv4/IPv6 types), IPv4 and
-- IPv6 alike, as pktscope prints them.
-- The Community ID (the `community_id` of --conns, the `communityid` of --json) joins the three
-- tables and the shards; stream numbers are local to one pktscope run (one shard).

CREATE TABLE IF NOT EXISTS conns
(
    ts Float64,
    time DateTime MATERIALIZED toDateTime(toUInt32(ts)),
    uid String,
    community_id String,
    `id.orig_h` String,
    `id.orig_p` UInt16,
    `id.resp_h` String,
    `id.resp_p` UInt16,
    proto String,
    service String,
    duration Float64,
    orig_bytes UInt64,
    resp_bytes UInt64,
    conn_state String,
    missed_bytes UInt64,
    history String,
    orig_pkts UInt64,
    orig_ip_bytes UInt64,
    resp_pkts UInt64,
    resp_ip_bytes UInt64,
    `pktscope.stream` UInt32,
    `pktscope.client` String,
    `pktscope.server` String,
    `pktscope.architecture` String,
    `pktscope.state.client` String,
    `pktscope.state.server` String,
    `pktscope.retransmissions` UInt32,
    `pktscope.rtt` Float64,
    `pktscope.server_name` String,
    `pktscope.vlan` UInt16,
    `pktscope.first_frame` UInt64,
    `pktscope.last_frame` UInt64
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (toStartOfHour(time), `id.orig_h`, `id.resp_h`, community_id);

CREATE TABLE IF NOT EXISTS packets
(
    time DateTime,
    time_ns UInt32,
    frame UInt64,
    frame_len UInt32,
    cap_len UInt32,
    protocols String,
    protocol String,
    eth_src String,
    eth_dst String,
    vlan UInt16,
    ip_version UInt8,
    src String,
    dst String,
    ip_proto UInt8,
    ttl UInt8,
    srcport UInt16,
    dstport UInt16,
    stream Int64,
    community_id String,
    tcp_flags UInt16,
    tcp_len UInt32,
    tcp_seq UInt32,
    tcp_ack UInt32,
    tcp_window UInt32,
    tcp_analysis Array(String),
    icmp_type Nullable(UInt8),
    icmp_code Nullable(UInt8),
    phase String,
    service String
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (toStartOfHour(time), community_id, time, time_ns);

-- The fast way in: the TabSeparated columns of packets.fields, in its order. Numbers that may be
-- absent are read as strings (an empty TabSeparated field reads as 0 in 18.16), tcp.flags is
-- tshark's "0x0012". The view computes what packets.jq computes, so both ways give equal rows.
CREATE TABLE IF NOT EXISTS packets_in
(
    epoch String,
    frame UInt64,
    frame_len UInt32,
    cap_len UInt32,
    protocols String,
    eth_src String,
    eth_dst String,
    vlan UInt16,
    ip_version UInt8,
    ipv6_version UInt8,
    ip_src String,
    ipv6_src String,
    arp_src String,
    ip_dst String,
    ipv6_dst String,
    arp_dst String,
    ip_proto UInt8,
    ipv6_nxt UInt8,
    ip_ttl UInt8,
    ipv6_hlim UInt8,
    tcp_srcport UInt16,
    udp_srcport UInt16,
    tcp_dstport UInt16,
    udp_dstport UInt16,
    tcp_stream String,
    udp_stream String,
    icmp_stream String,
    community_id String,
    tcp_flags String,
    tcp_len UInt32,
    tcp_seq UInt32,
    tcp_ack UInt32,
    tcp_window UInt32,
    a_retransmission String,
    a_fast_retransmission String,
    a_spurious_retransmission String,
    a_out_of_order String,
    a_duplicate_ack String,
    a_lost_segment String,
    a_ack_lost_segment String,
    a_zero_window String,
    a_zero_window_probe String,
    a_zero_window_probe_ack String,
    a_keep_alive String,
    a_keep_alive_ack String,
    a_window_update String,
    a_window_full String,
    a_reused_ports String,
    icmp_type String,
    icmpv6_type String,
    icmp_code String,
    icmpv6_code String,
    phase String,
    service String
)
ENGINE = Null;

CREATE MATERIALIZED VIEW IF NOT EXISTS packets_mv TO packets AS
SELECT
    toDateTime(toUInt32OrZero(splitByChar('.', epoch)[1])) AS time,
    toUInt32OrZero(splitByChar('.', epoch)[2]) AS time_ns,
    frame,
    frame_len,
    cap_len,
    protocols,
    arrayElement(splitByChar(':', protocols), -1) AS protocol,
    eth_src,
    eth_dst,
    vlan,
    if(ip_version != 0, ip_version, ipv6_version) AS ip_version,
    if(ip_src != '', ip_src, if(ipv6_src != '', ipv6_src, arp_src)) AS src,
    if(ip_dst != '', ip_dst, if(ipv6_dst != '', ipv6_dst, arp_dst)) AS dst,
    if(ip_version = 4, ip_proto, ipv6_nxt) AS ip_proto,
    if(ip_version = 4, ip_ttl, ipv6_hlim) AS ttl,
    if(tcp_srcport != 0, tcp_srcport, udp_srcport) AS srcport,
    if(tcp_dstport != 0, tcp_dstport, udp_dstport) AS dstport,
    multiIf(icmp_stream != '', toInt64OrZero(icmp_stream), tcp_stream != '', toInt64OrZero(tcp_stream),
            udp_stream != '', toInt64OrZero(udp_stream), -1) AS stream,
    community_id,
    toUInt16(if(tcp_flags = '', 0, reinterpretAsUInt64(reverse(unhex(
        if(length(tcp_flags) % 2 = 1, concat('0', substring(tcp_flags, 3)),
           substring(tcp_flags, 3))))))) AS tcp_flags,
    tcp_len,
    tcp_seq,
    tcp_ack,
    tcp_window,
    -- in name order, as packets.jq sorts them (a concatenation costs less than a sort)
    arrayConcat(
        if(a_ack_lost_segment = '', emptyArrayString(), ['ack_lost_segment']),
        if(a_duplicate_ack = '', emptyArrayString(), ['duplicate_ack']),
        if(a_fast_retransmission = '', emptyArrayString(), ['fast_retransmission']),
        if(a_keep_alive = '', emptyArrayString(), ['keep_alive']),
        if(a_keep_alive_ack = '', emptyArrayString(), ['keep_alive_ack']),
        if(a_lost_segment = '', emptyArrayString(), ['lost_segment']),
        if(a_out_of_order = '', emptyArrayString(), ['out_of_order']),
        if(a_retransmission = '', emptyArrayString(), ['retransmission']),
        if(a_reused_ports = '', emptyArrayString(), ['reused_ports']),
        if(a_spurious_retransmission = '', emptyArrayString(), ['spurious_retransmission']),
        if(a_window_full = '', emptyArrayString(), ['window_full']),
        if(a_window_update = '', emptyArrayString(), ['window_update']),
        if(a_zero_window = '', emptyArrayString(), ['zero_window']),
        if(a_zero_window_probe = '', emptyArrayString(), ['zero_window_probe']),
        if(a_zero_window_probe_ack = '', emptyArrayString(), ['zero_window_probe_ack'])) AS tcp_analysis,
    multiIf(icmp_type != '', toUInt8OrZero(icmp_type), icmpv6_type != '', toUInt8OrZero(icmpv6_type), NULL)
        AS icmp_type,
    multiIf(icmp_code != '', toUInt8OrZero(icmp_code), icmpv6_code != '', toUInt8OrZero(icmpv6_code), NULL)
        AS icmp_code,
    phase,
    service
FROM packets_in;

CREATE TABLE IF NOT EXISTS records
(
    time DateTime,
    time_ns UInt32,
    frame UInt64,
    community_id String,
    stream Int64,
    src String,
    dst String,
    srcport UInt16,
    dstport UInt16,
    kind String,
    name String,
    dns_id UInt16,
    dns_response UInt8,
    dns_qtype UInt16,
    dns_rcode UInt8,
    dns_answers Array(String),
    http_method String,
    http_uri String,
    http_status UInt16,
    http_user_agent String,
    http_content_type String,
    tls_handshake Array(UInt8),
    tls_version UInt16,
    tls_alpn Array(String)
)
ENGINE = MergeTree
PARTITION BY toYYYYMMDD(time)
ORDER BY (kind, name, time, time_ns);
