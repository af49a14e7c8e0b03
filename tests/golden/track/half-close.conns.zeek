#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-46-58
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549618.173666	CdCrmyAGwzrY2FzlJY	10.0.0.1	40001	10.0.0.2	7000	tcp	-	0.152583	36	123	SF	-	-	0	ShADaFdf	8	460	6	443	(empty)	1:y2hmm8uhm4f69SF77B1gPKwW58M=
#close	2026-11-24-19-46-58
