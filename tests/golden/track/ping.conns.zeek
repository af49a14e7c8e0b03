#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-47-51
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549671.682894	C6rkt1HoTWGM6fBzfU	10.0.0.1	8	10.0.0.2	0	icmp	-	0.406510	168	168	OTH	-	-	0	-	3	252	3	252	(empty)	1:YcMyyWJfhc95EW1GfXt6jlZ3DiQ=
1795549672.113620	C67dxxSXgTObZhlWym	10.0.0.1	8	10.0.0.2	0	icmp	-	0.000016	2000	2000	OTH	-	-	0	-	1	548	1	548	(empty)	1:YcMyyWJfhc95EW1GfXt6jlZ3DiQ=
1795549672.772288	CXiSp6pPV9ZzeBhwHY	10.0.0.1	40009	10.0.0.2	9999	udp	-	0.000000	13	0	S0	-	-	0	D	1	41	0	0	(empty)	1:s+3357U8d+AxSiu1VIpd8tBgLFY=
1795549672.772324	C3qBrnm4QE0uyuBapZ	10.0.0.2	3	10.0.0.1	3	icmp	-	0.000000	41	0	OTH	-	-	0	-	1	69	0	0	(empty)	1:LhjXG72oBqb/FpYqPl9LboG4/B4=
#close	2026-11-24-19-47-52
