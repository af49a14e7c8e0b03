    1    0.000000 2001:db8::1 → 2001:db8::2 IPv6 94 IPv6 fragment (off=40 more=n ident=0xcafe0001 nxt=17)
      IPv6 (hlim 64, next-header Fragment (44) payload length: 40)
    2    0.000001 2001:db8::1 → 2001:db8::2 UDP 102 40002 → 9 Len=64
      IPv6 (hlim 64, next-header Fragment (44) payload length: 48), UDP cksum 0x239a (unverified)
