#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-47-35
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549655.622440	CoCN3xJnL1SZC2qLmt	10.0.0.1	51550	10.0.0.2	80	tcp	http	0.031214	79	32971	SF	-	-	0	ShADadgtFf	22	1527	29	35399	(empty)	1:ZxE4QHWxdjuBl38MmJhUHP285sk=
#close	2026-11-24-19-47-35
