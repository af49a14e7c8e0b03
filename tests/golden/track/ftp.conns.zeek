#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-12-02-20-03-40
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1796241820.140868	CqsuYLPctemMXKA737	10.0.0.1	39636	10.0.0.2	38671	tcp	ftp-data	0.000944	0	51	SF	-	-	0	ShAdfFa	4	216	4	267	(empty)	1:RjwSzASkfmYCkM9J8yiET5kz0Vo=
1796241820.139060	CEWwduTFKmyqSWCKRn	10.0.0.1	56958	10.0.0.2	21	tcp	ftp	0.049464	73	387	SF	-	-	0	ShAdDaFf	15	861	13	1071	(empty)	1:UwgCIXWqFhlcKqyKSOcpEid60ug=
1796241820.304291	CVMlEqhhdDlAbU39Fk	10.0.0.2	43130	10.0.0.1	38549	tcp	ftp-data	0.004600	51	0	SF	-	-	0	ShADaFf	5	319	3	164	(empty)	1:k0v6lTxltzW2sDo9zWtjUTMAzY0=
1796241820.291820	C3oWzu5sAgzZOYev5C	10.0.0.1	56960	10.0.0.2	21	tcp	ftp	0.055736	90	392	SF	-	-	0	ShAdDaFf	15	878	13	1076	(empty)	1:P+rFJqKmTrNAnr0HHI2jwtGF1n4=
#close	2026-12-02-20-03-40
