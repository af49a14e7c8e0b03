    1    0.000000 192.0.2.1 → 198.51.100.7 IPv4 58 Fragmented IP protocol (proto=UDP 17, off=0, ID=004d)
    2    0.000001 192.0.2.1 → 198.51.100.7 UDP 50 40000 → 7 Len=32
