#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2005-07-06-03-57-35
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1120622255.938066	CmaWSSlA1OdwhfqWYT	127.0.0.1	55920	127.0.0.1	80	tcp	http	1.292834	202	5559	SF	-	-	0	ShADadFf	6	522	4	5775	(empty)	1:Wy6Nfr2LWgpnszayMW1s82Bfgno=
#close	2005-07-06-03-57-37
