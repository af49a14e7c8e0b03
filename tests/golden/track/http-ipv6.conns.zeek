#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-46-54
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549614.332449	Cma4sE7VhG95I8MPJz	2001:db8::1	50548	2001:db8::2	80	tcp	http	0.007898	86	219	SF	-	-	0	ShADadfF	7	598	6	659	(empty)	1:61tXi0njmT6e+NzZvecXLnm1JrA=
1795549614.189332	CCRkObh7Rnp7xhQ6vV	fe80::42:aff:fe00:2	143	ff02::16	0	icmp	-	0.319946	40	0	OTH	-	-	0	-	2	152	0	0	(empty)	1:4BcT4t/nkGBMjVrrba3TgwEDspA=
1795549614.332364	C49mFz9vhf6jv0vgRs	2001:db8::1	135	ff02::1:ff00:2	0	icmp	-	0.000000	24	0	OTH	-	-	0	-	1	72	0	0	(empty)	1:7zaWQt6zrruaqfx05UsgkBdCvOM=
1795549614.332441	C7WmgjRP6WiFrTxXUz	2001:db8::2	136	2001:db8::1	0	icmp	-	0.000000	24	0	OTH	-	-	0	-	1	72	0	0	(empty)	1:R9HBIi387RnKhKUU53rFlnl803U=
#close	2026-11-24-19-46-54
