#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-46-51
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549611.763278	CPmaZdfPKPG9nWgKgk	10.0.0.1	53448	10.0.0.2	80	tcp	http	0.010582	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:EKJ933ottTwjBnPClsvJ/WLLP+4=
#close	2026-11-24-19-46-51
