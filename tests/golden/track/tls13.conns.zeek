#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-12-02-19-54-16
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1796241256.686662	CfEuZRiDTWi1MJFbB6	10.0.0.1	49020	10.0.0.2	443	tcp	ssl	0.969625	406	2728	SF	-	-	0	ShADadfF	12	1038	10	3256	(empty)	1:YxWu0O5mbCa98jjQZiQkFrQdMgY=
#close	2026-12-02-19-54-17
