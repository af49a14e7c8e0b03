    1    0.000000 192.0.2.1 → 198.51.100.7 IPv4 58 Fragmented IP protocol (proto=UDP 17, off=0, ID=004d)
      IPv4 (tos 0x0, ttl 64, id 77, offset 0, flags [+], proto UDP (17), length 44)
    2    0.000001 192.0.2.1 → 198.51.100.7 UDP 50 40000 → 7 Len=32
      IPv4 (tos 0x0, ttl 64, id 77, offset 24, flags [none], proto UDP (17), length 36), UDP cksum 0x6306 (unverified)
