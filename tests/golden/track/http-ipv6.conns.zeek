#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-46-54
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]
1795549614.332449	Cnqib9rzqMeDpVjrUQ	2001:db8::1	50548	2001:db8::2	80	tcp	http	0.007898	86	219	SF	-	-	0	ShADadfF	7	598	6	659	(empty)
1795549614.189332	CTp1MotabDixdHkMSn	fe80::42:aff:fe00:2	143	ff02::16	0	icmp	-	0.319946	40	0	OTH	-	-	0	-	2	152	0	0	(empty)
1795549614.332364	Cfcb39CoJ7XWCXgg87	2001:db8::1	135	ff02::1:ff00:2	0	icmp	-	0.000000	24	0	OTH	-	-	0	-	1	72	0	0	(empty)
1795549614.332441	C9hMsoGltazCAwOJ9E	2001:db8::2	136	2001:db8::1	0	icmp	-	0.000000	24	0	OTH	-	-	0	-	1	72	0	0	(empty)
#close	2026-11-24-19-46-54
