#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-46-55
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549615.720270	CXqJJUssUjrLASU32b	10.0.0.1	52694	10.0.0.2	81	tcp	-	0.000035	0	0	REJ	-	-	0	Sr	1	60	1	40	(empty)	1:DL8+qasZRYGOxyLsiKOjeYoW8GI=
#close	2026-11-24-19-46-55
