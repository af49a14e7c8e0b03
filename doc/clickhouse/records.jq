# doc/clickhouse/records.jq: the DNS, HTTP and TLS messages among `pktscope --json` objects ->
# rows of the `records` table (doc/clickhouse/schema.sql). Packets without one are dropped, so
# this reads the same stream as packets.jq (or `pktscope -Y 'dns or http or tls.handshake.type'
# --json`, which leaves the others out before they are printed).
#
# One row per packet, named by the first occurrence: a segment carrying two pipelined HTTP
# requests gives one row (the first request's method, URI and host). Arrays that list answers
# (DNS addresses, ALPN names, TLS handshake types) are kept whole as Array columns.
def first: if type == "array" then .[0] else . end;
def num: (first // 0);
def str: (first // "");
def arr: if . == null then [] elif type == "array" then . else [.] end;

select(has("dns.qry.name") or has("http.request.method") or has("http.response.code")
       or has("tls.handshake.type"))
| ((."frame.time_epoch" // "0") | split(".")) as $t
| {
    time: ($t[0] | tonumber),
    time_ns: (($t[1] // "0") | tonumber),
    frame: ."frame.number",
    community_id: (.communityid | str),
    stream: ((."tcp.stream" // ."udp.stream") | first // -1),
    src: ((."ip.src" // ."ipv6.src") | str),
    dst: ((."ip.dst" // ."ipv6.dst") | str),
    srcport: ((."tcp.srcport" // ."udp.srcport") | num),
    dstport: ((."tcp.dstport" // ."udp.dstport") | num),
    kind: (if has("dns.qry.name") then "dns" elif has("tls.handshake.type") then "tls"
           else "http" end),
    name: ((."dns.qry.name" // ."tls.handshake.extensions_server_name" // ."http.host") | str),
    dns_id: (."dns.id" | num),
    dns_response: (."dns.flags.response" | num),
    dns_qtype: (."dns.qry.type" | num),
    dns_rcode: (."dns.flags.rcode" | num),
    dns_answers: ((."dns.a" | arr) + (."dns.aaaa" | arr) + (."dns.cname" | arr)),
    http_method: (."http.request.method" | str),
    http_uri: (."http.request.uri" | str),
    http_status: (."http.response.code" | num),
    http_user_agent: (."http.user_agent" | str),
    http_content_type: (."http.content_type" | str),
    tls_handshake: (."tls.handshake.type" | arr),
    tls_version: ((."tls.handshake.extensions.supported_version" // ."tls.handshake.version")
                  | num),
    tls_alpn: (."tls.handshake.extensions_alpn_str" | arr)
  }
