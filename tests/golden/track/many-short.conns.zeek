#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-47-41
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]
1795549661.179682	Cnqib9rzqMnFOcKxhM	10.0.0.1	37500	10.0.0.2	80	tcp	http	0.007410	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
1795549661.246613	C1wvrir56zO8X8BBGS	10.0.0.1	37502	10.0.0.2	80	tcp	http	0.001941	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.286364	CV0irTOp0w5v4ORfAy	10.0.0.1	37518	10.0.0.2	80	tcp	http	0.004852	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
1795549661.328413	C3C2iKqCpM4SwUbRao	10.0.0.1	37528	10.0.0.2	80	tcp	http	0.002193	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.367091	CwfiaIj3eZ41Inaaq6	10.0.0.1	37536	10.0.0.2	80	tcp	http	0.002181	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.406462	C9YgpbZxWnU1R9iRnp	10.0.0.1	37552	10.0.0.2	80	tcp	http	0.001896	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.446491	C7cPFx7BR1lmLWRc0d	10.0.0.1	37564	10.0.0.2	80	tcp	http	0.004479	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
1795549661.487602	C6QVJpswExE9RD9ICN	10.0.0.1	37572	10.0.0.2	80	tcp	http	0.002045	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.537560	CCZ4ZwgmTRjnJ0boHn	10.0.0.1	37586	10.0.0.2	80	tcp	http	0.002681	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.580626	CDe0HWyfcSNL5sBvMH	10.0.0.1	37592	10.0.0.2	80	tcp	http	0.004764	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
1795549661.624358	CDpO4hkl2gJiTXC2Up	10.0.0.1	37598	10.0.0.2	80	tcp	http	0.002045	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.671030	CN4lBgzlqISVITGGyV	10.0.0.1	37606	10.0.0.2	80	tcp	http	0.003981	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
1795549661.724226	C4zCsOMJThdxcXCdEz	10.0.0.1	37618	10.0.0.2	80	tcp	http	0.007145	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.778680	COPeOQfkUSOznqBYdl	10.0.0.1	37624	10.0.0.2	80	tcp	http	0.002599	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
1795549661.832963	CZ7XZIG5kKMUzFglUk	10.0.0.1	37634	10.0.0.2	80	tcp	http	0.005809	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.890883	Cumwaut9CUM8neYwWn	10.0.0.1	37640	10.0.0.2	80	tcp	http	0.003752	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.942890	CRPu9tjZTg6HGNZPvj	10.0.0.1	37652	10.0.0.2	80	tcp	http	0.001824	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549661.982945	CtxxBkQctP2zavnL7Z	10.0.0.1	37662	10.0.0.2	80	tcp	http	0.001860	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549662.023193	CaoMohfLiwyUYFCAIp	10.0.0.1	37676	10.0.0.2	80	tcp	http	0.001999	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)
1795549662.068604	CfSNmwKXfGD4Qq5bI9	10.0.0.1	37686	10.0.0.2	80	tcp	http	0.004826	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)
#close	2026-11-24-19-47-42
