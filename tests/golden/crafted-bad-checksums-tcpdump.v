    1    0.000000 192.0.2.1 → 198.51.100.7 UDP 52 40000 → 7 Len=10 [ipv4.bad_checksum]
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 38, bad cksum 6902!), UDP cksum 0xb173 (correct)
    2    0.000001 192.0.2.1 → 198.51.100.7 HTTP 72 data      GET / HTTP/1.1  [tcp.bad_checksum]
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto TCP (6), length 58), TCP cksum 0x4da5 (incorrect)
    3    0.000002 192.0.2.1 → 198.51.100.7 UDP 53 40000 → 7 Len=11 [udp.bad_checksum]
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 39), UDP cksum 0xe5c8 (incorrect)
    4    0.000003 192.0.2.1 → 198.51.100.7 UDP 54 40000 → 7 Len=12
      IPv4 (tos 0x0, ttl 64, id 4660, offset 0, flags [DF], proto UDP (17), length 40), UDP cksum 0x0000 (unverified)
