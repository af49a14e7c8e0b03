    1    0.000000 192.0.2.1 → 198.51.100.7 UDP 52 40000 → 7 Len=10
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 38), UDP cksum 0xb173 (unverified)
    2    0.000001 192.0.2.1 → 198.51.100.7 HTTP 72 data      GET / HTTP/1.1 
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto TCP (6), length 58), TCP cksum 0x4da5 (unverified)
    3    0.000002 192.0.2.1 → 198.51.100.7 UDP 53 40000 → 7 Len=11
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 39), UDP cksum 0xe5c8 (unverified)
    4    0.000003 192.0.2.1 → 198.51.100.7 UDP 54 40000 → 7 Len=12
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 40), UDP cksum 0x0000 (unverified)
    5    0.000004 192.0.2.1 → 198.51.100.7 ICMP 54 Echo (ping) request  id=0x0007, seq=1/256, ttl=64 [icmp.bad_checksum]
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto ICMP (1), length 40), ICMP cksum 0xdead (incorrect)
    6    0.000005 2001:db8::1 → 2001:db8::2 TCP 88 data      40001 → 7 [PSH, ACK] Seq=1 Ack=1 Win=64240 Len=14
      IPv6 (hlim 64, next-header TCP (6) payload length: 34), TCP cksum 0x666e (unverified)
    7    0.000006 2001:db8::1 → 2001:db8::2 UDP 77 40002 → 7 Len=15 [udp.bad_checksum]
      IPv6 (hlim 64, next-header UDP (17) payload length: 23), UDP cksum 0x0000 (unverified)
    8    0.000007 2001:db8::1 → 2001:db8::2 ICMPv6 76 Echo (ping) request id=0x0008, seq=1, hop limit=64 [icmpv6.bad_checksum]
      IPv6 (hlim 64, next-header ICMPv6 (58) payload length: 22), ICMPv6 cksum 0xbeef (incorrect)
