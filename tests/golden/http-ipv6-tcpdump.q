    1    0.000000 fe80::42:aff:fe00:2 → ff02::16 ICMPv6 90 Multicast Listener Report Message v2
    2    0.143032 2001:db8::1 → ff02::1:ff00:2 ICMPv6 86 Neighbor Solicitation for 2001:db8::2 from 00:1b:21:0a:00:01
    3    0.143109 2001:db8::2 → 2001:db8::1 ICMPv6 86 Neighbor Advertisement 2001:db8::2 (sol, ovr) is at 02:42:0a:00:00:02
    4    0.143117 2001:db8::1 → 2001:db8::2 TCP 94 50548 → 80 Len=0
    5    0.143140 2001:db8::2 → 2001:db8::1 TCP 94 80 → 50548 Len=0
    6    0.143159 2001:db8::1 → 2001:db8::2 TCP 86 50548 → 80 Len=0
    7    0.144246 2001:db8::1 → 2001:db8::2 HTTP 172 50548 → 80 Len=86
    8    0.144276 2001:db8::2 → 2001:db8::1 TCP 86 80 → 50548 Len=0
    9    0.150302 2001:db8::2 → 2001:db8::1 TCP 272 80 → 50548 Len=186
   10    0.150392 2001:db8::1 → 2001:db8::2 TCP 86 50548 → 80 Len=0
   11    0.150702 2001:db8::2 → 2001:db8::1 HTTP 119 80 → 50548 Len=33
   12    0.150804 2001:db8::1 → 2001:db8::2 TCP 86 50548 → 80 Len=0
   13    0.150921 2001:db8::2 → 2001:db8::1 TCP 86 80 → 50548 Len=0
   14    0.150948 2001:db8::1 → 2001:db8::2 TCP 86 50548 → 80 Len=0
   15    0.150968 2001:db8::2 → 2001:db8::1 TCP 86 80 → 50548 Len=0
   16    0.151015 2001:db8::1 → 2001:db8::2 TCP 86 50548 → 80 Len=0
   17    0.319946 fe80::42:aff:fe00:2 → ff02::16 ICMPv6 90 Multicast Listener Report Message v2
