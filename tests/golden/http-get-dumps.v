    1    0.000000 00:1b:21:0a:00:01 → Broadcast ARP 42 Who has 10.0.0.2? Tell 10.0.0.1
    2    0.000017 02:42:0a:00:00:02 → 00:1b:21:0a:00:01 ARP 42 10.0.0.2 is at 02:42:0a:00:00:02
    3    0.000023 10.0.0.1 → 10.0.0.2 TCP 74 handshake 53448 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=3958509773 TSecr=0 WS=1024
      IPv4 (tos 0x0, ttl 64, id 5503, offset 0, flags [DF], proto TCP (6), length 60), TCP cksum 0xf159 (unverified)
    4    0.000049 10.0.0.2 → 10.0.0.1 TCP 74 handshake 80 → 53448 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=662546118 TSecr=3958509773 WS=1024
      IPv4 (tos 0x0, ttl 64, id 0, offset 0, flags [DF], proto TCP (6), length 60), TCP cksum 0xd9f4 (unverified)
    5    0.000064 10.0.0.1 → 10.0.0.2 TCP 66 handshake 53448 → 80 [ACK] Seq=1 Ack=1 Win=64512 Len=0 TSval=3958509773 TSecr=662546118
      IPv4 (tos 0x0, ttl 64, id 5504, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x070e (unverified)
    6    0.000137 10.0.0.1 → 10.0.0.2 HTTP 147 data      GET /hello.txt HTTP/1.1 
      IPv4 (tos 0x0, ttl 64, id 5505, offset 0, flags [DF], proto TCP (6), length 133), TCP cksum 0x5c17 (unverified)
    7    0.000142 10.0.0.2 → 10.0.0.1 TCP 66 data      80 → 53448 [ACK] Seq=1 Ack=82 Win=65536 Len=0 TSval=662546118 TSecr=3958509773
      IPv4 (tos 0x0, ttl 64, id 4500, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x06bc (unverified)
    8    0.008963 10.0.0.2 → 10.0.0.1 TCP 252 data      HTTP/1.0 200 OK  [TCP segment of a reassembled PDU]
      IPv4 (tos 0x0, ttl 64, id 4501, offset 0, flags [DF], proto TCP (6), length 238), TCP cksum 0x8ba6 (unverified)
    9    0.009029 10.0.0.1 → 10.0.0.2 TCP 66 data      53448 → 80 [ACK] Seq=82 Ack=187 Win=64512 Len=0 TSval=3958509782 TSecr=662546127
      IPv4 (tos 0x0, ttl 64, id 5506, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x05f1 (unverified)
   10    0.009427 10.0.0.2 → 10.0.0.1 HTTP 99 data      HTTP/1.0 200 OK  (text/plain)
      IPv4 (tos 0x0, ttl 64, id 4502, offset 0, flags [DF], proto TCP (6), length 85), TCP cksum 0xd7c8 (unverified)
   11    0.009459 10.0.0.1 → 10.0.0.2 TCP 66 data      53448 → 80 [ACK] Seq=82 Ack=220 Win=64512 Len=0 TSval=3958509782 TSecr=662546127
      IPv4 (tos 0x0, ttl 64, id 5507, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x05d0 (unverified)
   12    0.009509 10.0.0.2 → 10.0.0.1 TCP 66 teardown  80 → 53448 [FIN, ACK] Seq=220 Ack=82 Win=65536 Len=0 TSval=662546127 TSecr=3958509782
      IPv4 (tos 0x0, ttl 64, id 4503, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x05ce (unverified)
   13    0.010598 10.0.0.1 → 10.0.0.2 TCP 66 teardown  53448 → 80 [FIN, ACK] Seq=82 Ack=221 Win=64512 Len=0 TSval=3958509783 TSecr=662546127
      IPv4 (tos 0x0, ttl 64, id 5508, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x05cd (unverified)
   14    0.010605 10.0.0.2 → 10.0.0.1 TCP 66 teardown  80 → 53448 [ACK] Seq=221 Ack=83 Win=65536 Len=0 TSval=662546128 TSecr=3958509783
      IPv4 (tos 0x0, ttl 64, id 4504, offset 0, flags [DF], proto TCP (6), length 52), TCP cksum 0x05cb (unverified)
