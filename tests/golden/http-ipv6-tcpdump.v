    1    0.000000 fe80::42:aff:fe00:2 → ff02::16 ICMPv6 90 Multicast Listener Report Message v2
      IPv6 (hlim 1, next-header Options (0) payload length: 36), ICMPv6 cksum 0x67c3 (correct)
    2    0.143032 2001:db8::1 → ff02::1:ff00:2 ICMPv6 86 Neighbor Solicitation for 2001:db8::2 from 00:1b:21:0a:00:01
      IPv6 (hlim 255, next-header ICMPv6 (58) payload length: 32), ICMPv6 cksum 0xfd01 (correct)
    3    0.143109 2001:db8::2 → 2001:db8::1 ICMPv6 86 Neighbor Advertisement 2001:db8::2 (sol, ovr) is at 02:42:0a:00:00:02
      IPv6 (hlim 255, next-header ICMPv6 (58) payload length: 32), ICMPv6 cksum 0x802f (correct)
    4    0.143117 2001:db8::1 → 2001:db8::2 TCP 94 handshake 50548 → 80 [SYN] Seq=0 Win=64800 Len=0 MSS=1440 SACK_PERM TSval=1883677338 TSecr=0 WS=1024
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 40), TCP cksum 0x6268 (unverified)
    5    0.143140 2001:db8::2 → 2001:db8::1 TCP 94 handshake 80 → 50548 [SYN, ACK] Seq=0 Ack=1 Win=64260 Len=0 MSS=1440 SACK_PERM TSval=3042464256 TSecr=1883677338 WS=1024
      IPv6 (flowlabel 0x1c819, hlim 64, next-header TCP (6) payload length: 40), TCP cksum 0xb367 (unverified)
    6    0.143159 2001:db8::1 → 2001:db8::2 TCP 86 handshake 50548 → 80 [ACK] Seq=1 Ack=1 Win=65536 Len=0 TSval=1883677338 TSecr=3042464256
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdce7 (unverified)
    7    0.144246 2001:db8::1 → 2001:db8::2 HTTP 172 data      GET /hello.txt HTTP/1.1 
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 118), TCP cksum 0xa599 (unverified)
    8    0.144276 2001:db8::2 → 2001:db8::1 TCP 86 data      80 → 50548 [ACK] Seq=1 Ack=87 Win=64512 Len=0 TSval=3042464257 TSecr=1883677339
      IPv6 (flowlabel 0x1c819, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdc90 (unverified)
    9    0.150302 2001:db8::2 → 2001:db8::1 TCP 272 data      HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]
      IPv6 (flowlabel 0x1c819, hlim 64, next-header TCP (6) payload length: 218), TCP cksum 0x617b (unverified)
   10    0.150392 2001:db8::1 → 2001:db8::2 TCP 86 data      50548 → 80 [ACK] Seq=87 Ack=187 Win=65536 Len=0 TSval=1883677345 TSecr=3042464263
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdbc9 (unverified)
   11    0.150702 2001:db8::2 → 2001:db8::1 HTTP 119 data      HTTP/1.0 200 OK  (text/plain)
      IPv6 (flowlabel 0x1c819, hlim 64, next-header TCP (6) payload length: 65), TCP cksum 0xada3 (unverified)
   12    0.150804 2001:db8::1 → 2001:db8::2 TCP 86 data      50548 → 80 [ACK] Seq=87 Ack=220 Win=65536 Len=0 TSval=1883677345 TSecr=3042464263
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdba8 (unverified)
   13    0.150921 2001:db8::2 → 2001:db8::1 TCP 86 teardown  80 → 50548 [FIN, ACK] Seq=220 Ack=87 Win=64512 Len=0 TSval=3042464264 TSecr=1883677345
      IPv6 (flowlabel 0x1c819, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdba7 (unverified)
   14    0.150948 2001:db8::1 → 2001:db8::2 TCP 86 teardown  50548 → 80 [FIN, ACK] Seq=87 Ack=220 Win=65536 Len=0 TSval=1883677346 TSecr=3042464263
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdba6 (unverified)
   15    0.150968 2001:db8::2 → 2001:db8::1 TCP 86 teardown  80 → 50548 [ACK] Seq=221 Ack=88 Win=64512 Len=0 TSval=3042464264 TSecr=1883677346
      IPv6 (flowlabel 0x1c819, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdba5 (unverified)
   16    0.151015 2001:db8::1 → 2001:db8::2 TCP 86 teardown  50548 → 80 [ACK] Seq=88 Ack=221 Win=65536 Len=0 TSval=1883677346 TSecr=3042464264
      IPv6 (flowlabel 0x20635, hlim 64, next-header TCP (6) payload length: 32), TCP cksum 0xdba4 (unverified)
   17    0.319946 fe80::42:aff:fe00:2 → ff02::16 ICMPv6 90 Multicast Listener Report Message v2
      IPv6 (hlim 1, next-header Options (0) payload length: 36), ICMPv6 cksum 0x67c3 (correct)
