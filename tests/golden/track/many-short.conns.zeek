#separator \x09
#set_separator	,
#empty_field	(empty)
#unset_field	-
#path	conn
#open	2026-11-24-19-47-41
#fields	ts	uid	id.orig_h	id.orig_p	id.resp_h	id.resp_p	proto	service	duration	orig_bytes	resp_bytes	conn_state	local_orig	local_resp	missed_bytes	history	orig_pkts	orig_ip_bytes	resp_pkts	resp_ip_bytes	tunnel_parents	community_id
#types	time	string	addr	port	addr	port	enum	string	interval	count	count	string	bool	bool	count	string	count	count	count	count	set[string]	string
1795549661.179682	ChisBPMFZyE0ayc9AZ	10.0.0.1	37500	10.0.0.2	80	tcp	http	0.007410	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:xdSHmNK2xBXLnBu6yAs61+Zv6ik=
1795549661.246613	C0LHxUNiYN3yA3zIp8	10.0.0.1	37502	10.0.0.2	80	tcp	http	0.001941	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:UxomT3UMr5Go3KhFudWPMO96I+Y=
1795549661.286364	CUiiPtDtmKk2D6gjEl	10.0.0.1	37518	10.0.0.2	80	tcp	http	0.004852	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:oCHPpjQwIbV/oz3T+LuK+5rL0Dc=
1795549661.328413	CaKpYGl6VbfhQeb40P	10.0.0.1	37528	10.0.0.2	80	tcp	http	0.002193	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:0TLDFuZ56CfxRA1o7prxQkuxUvo=
1795549661.367091	CFj8KIVoCqEcaZTXgD	10.0.0.1	37536	10.0.0.2	80	tcp	http	0.002181	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:kNdl75353Vj8FXmCYcGx+1nroqQ=
1795549661.406462	Cku78Rf8WwA8Zgg9kL	10.0.0.1	37552	10.0.0.2	80	tcp	http	0.001896	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:sr/oK9FBeTcTEyx+bt1fWPVp7nI=
1795549661.446491	CWCroLn6SEMDUZQTy1	10.0.0.1	37564	10.0.0.2	80	tcp	http	0.004479	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:iNL0S5d1ixWZ4a1eOYhMPe+ksrc=
1795549661.487602	CKRQqEqxtNgNZvP4BB	10.0.0.1	37572	10.0.0.2	80	tcp	http	0.002045	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:f+AFxLTQcCLiY48eLjfMhGI1hKI=
1795549661.537560	CmcABfmZQGUx6J7dBt	10.0.0.1	37586	10.0.0.2	80	tcp	http	0.002681	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:WmCBuS6ALULWcDZuWvyRhVzm6Rk=
1795549661.580626	C9ttph9N0jth5LcUxo	10.0.0.1	37592	10.0.0.2	80	tcp	http	0.004764	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:vxTNtLFvRKu1Eg69/TaAzs02aMc=
1795549661.624358	CAgmGvTp01sRe45HSb	10.0.0.1	37598	10.0.0.2	80	tcp	http	0.002045	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:6YwXJy03pRsSSFelr4GwK+G+mn8=
1795549661.671030	ChlE0XrwTHraU0gsT1	10.0.0.1	37606	10.0.0.2	80	tcp	http	0.003981	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:OZSmIq03RvqZMUbZIluZnjMJVxA=
1795549661.724226	CEZ0fuhhpnqXPoS0pm	10.0.0.1	37618	10.0.0.2	80	tcp	http	0.007145	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:V+60PHNhG2h8rrveXmEsqTmHSMU=
1795549661.778680	CODsX2Pl2C2SbOrrHj	10.0.0.1	37624	10.0.0.2	80	tcp	http	0.002599	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:qkHHkIGZyPW50/IVYl5dhvd9MUc=
1795549661.832963	CboZlBb2Z5Jz1Bx9mt	10.0.0.1	37634	10.0.0.2	80	tcp	http	0.005809	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:k6k7gpFlGSHgsXUjdI+uXIgWwnE=
1795549661.890883	CyEOsLS2us3QJumCGY	10.0.0.1	37640	10.0.0.2	80	tcp	http	0.003752	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:DarEtf+r3JnTSz/B6DnXFGPGwA4=
1795549661.942890	CxUERb0XXRyK0fKm61	10.0.0.1	37652	10.0.0.2	80	tcp	http	0.001824	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:ByMcpHyWB7WWneqzAHHAEzJaPbs=
1795549661.982945	CQb3NZZptRjtXoYZgN	10.0.0.1	37662	10.0.0.2	80	tcp	http	0.001860	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:uIA4VbyTmx2JcLFObKBpt+dwAL4=
1795549662.023193	C8EV4QAid3nf9Bhkxy	10.0.0.1	37676	10.0.0.2	80	tcp	http	0.001999	81	219	SF	-	-	0	ShADadfF	6	401	6	539	(empty)	1:QCFgtqqFBHrhI34uUurr8QS51OE=
1795549662.068604	CfDLGTlXLPodPuLLKw	10.0.0.1	37686	10.0.0.2	80	tcp	http	0.004826	81	219	SF	-	-	0	ShADadFf	7	453	5	487	(empty)	1:TCDRqxU2a22jlLnDN+cqbonhxgs=
#close	2026-11-24-19-47-42
