#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-47-00
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549620.838178	CnJvtMZbvMUlh9u2KI	10.0.0.1	40002	10.0.0.2	7001	tcp	-	0.101852	13	3000	RSTO	-	-	0	ShADadR	7	385	5	3268	(empty)	1:cDjF+DjwA4E4NI8NctEwLFx22jE=
#close	2026-11-24-19-47-00
