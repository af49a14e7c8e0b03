#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2009-11-13-17-33-34
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1258133614.430569	CWqtUTAHkrde1JKK5A	192.168.1.2	49486	77.67.44.206	80	tcp	http	0.808847	367	3549	SF	-	-	0	ShADadfF	7	659	8	3881	(empty)	1:+jviJZzz1+om1c7ivAnWuIUXNqU=
#close	2009-11-13-17-33-35
