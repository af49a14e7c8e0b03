#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-47-57
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549677.449531	C3L3ajJs6zrplOjMPu	10.0.0.1	40007	10.0.0.2	7	udp	-	0.203744	180	180	SF	-	-	0	Dd	5	320	5	320	(empty)	1:EpvziEy6eu2515/4InWAPFBOs70=
#close	2026-11-24-19-47-57
