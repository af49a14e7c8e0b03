Out 00:1b:21:0a:00:01 ethertype IPv4 (0x0800), length 100:     1    0.000000 10.0.0.1 → 10.0.0.2 ICMP 100 Echo (ping) request  id=0x6589, seq=1/256, ttl=64
 In 02:42:0a:00:00:02 ethertype IPv4 (0x0800), length 100:     2    0.000038 10.0.0.2 → 10.0.0.1 ICMP 100 Echo (ping) reply    id=0x6589, seq=1/256, ttl=64
Out 00:1b:21:0a:00:01 ethertype IPv4 (0x0800), length 100:     3    0.201784 10.0.0.1 → 10.0.0.2 ICMP 100 Echo (ping) request  id=0x6589, seq=2/512, ttl=64
 In 02:42:0a:00:00:02 ethertype IPv4 (0x0800), length 100:     4    0.201826 10.0.0.2 → 10.0.0.1 ICMP 100 Echo (ping) reply    id=0x6589, seq=2/512, ttl=64
 In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100:     5    0.219984 127.0.0.1 → 127.0.0.1 ICMP 100 Echo (ping) request  id=0x658f, seq=1/256, ttl=64
 In 00:00:00:00:00:00 ethertype IPv4 (0x0800), length 100:     6    0.219998 127.0.0.1 → 127.0.0.1 ICMP 100 Echo (ping) reply    id=0x658f, seq=1/256, ttl=64
Out 00:1b:21:0a:00:01 ethertype IPv4 (0x0800), length 80:     7    0.848928 10.0.0.1 → 10.0.0.2 UDP 80 40200 → 7 Len=36
 In 02:42:0a:00:00:02 ethertype IPv4 (0x0800), length 80:     8    0.850324 10.0.0.2 → 10.0.0.1 UDP 80 7 → 40200 Len=36
