/*
 * The value names of fields (Wireshark's value_string tables, registered with the field in
 * hf_register_info): one table per field id, built with designated initialisers so that the
 * FIELD(...) lines in fields_*.def keep their five arguments and a field without names needs no
 * entry. Every renderer (layer tree, info column, ladder, filters) asks field_value_name() and
 * friends, so a value is named the same way everywhere.
 *
 * Wording: Wireshark's where pktscope showed it already (ICMP and ICMPv6 types, DNS types and
 * rcodes, SLL packet types); elsewhere the RFC's or IANA's names. Tables are `struct tok`
 * arrays ending in {0, NULL}.
 */
#include "dissect/dissect.h"

#include <stddef.h>

/* EtherTypes (IEEE registry) */
static const struct tok ethertype_names[] = {
    {0x0800, "IPv4"},
    {0x0806, "ARP"},
    {0x86dd, "IPv6"},
    {0x8100, "802.1Q VLAN"},
    {0x88a8, "802.1ad QinQ"},
    {0x9100, "QinQ (old)"},
    {0x8035, "RARP"},
    {0x888e, "802.1X"},
    {0x88cc, "LLDP"},
    {0x8847, "MPLS"},
    {0x8863, "PPPoE discovery"},
    {0x8864, "PPPoE session"},
    {0x0842, "Wake-on-LAN"},
    {0x22f0, "AVTP"},
    {0x88e5, "MACsec"},
    {0x8906, "FCoE"},
    {0, NULL},
};

/* IP protocol numbers (IANA), also IPv6 next headers */
static const struct tok ipproto_names[] = {
    {0, "IPv6 Hop-by-Hop"},
    {1, "ICMP"},
    {2, "IGMP"},
    {4, "IPv4-in-IP"},
    {6, "TCP"},
    {17, "UDP"},
    {41, "IPv6"},
    {43, "IPv6 Routing"},
    {44, "IPv6 Fragment"},
    {47, "GRE"},
    {50, "ESP"},
    {51, "AH"},
    {58, "ICMPv6"},
    {59, "No Next Header"},
    {60, "IPv6 Destination Options"},
    {89, "OSPF"},
    {103, "PIM"},
    {112, "VRRP"},
    {132, "SCTP"},
    {0, NULL},
};

/* ARP opcodes (RFC 826, RFC 903) */
static const struct tok arp_op_names[] = {
    {1, "request"}, {2, "reply"}, {3, "RARP request"}, {4, "RARP reply"}, {0, NULL},
};

/* ICMP types (RFC 792, RFC 950, RFC 1256), in Wireshark's words */
static const struct tok icmp_type_names[] = {
    {0, "Echo (ping) reply"},    {3, "Destination unreachable"},
    {4, "Source quench"},        {5, "Redirect"},
    {8, "Echo (ping) request"},  {9, "Router advertisement"},
    {10, "Router solicitation"}, {11, "Time-to-live exceeded"},
    {12, "Parameter problem"},   {13, "Timestamp request"},
    {14, "Timestamp reply"},     {17, "Address mask request"},
    {18, "Address mask reply"},  {0, NULL},
};

/* ICMP Destination Unreachable codes (RFC 792, RFC 1812) */
static const struct tok icmp_unreach_codes[] = {
    {0, "Network unreachable"},
    {1, "Host unreachable"},
    {2, "Protocol unreachable"},
    {3, "Port unreachable"},
    {4, "Fragmentation needed"},
    {5, "Source route failed"},
    {6, "Destination network unknown"},
    {7, "Destination host unknown"},
    {9, "Network administratively prohibited"},
    {10, "Host administratively prohibited"},
    {13, "Communication administratively filtered"},
    {0, NULL},
};

static const struct tok icmp_redirect_codes[] = {
    {0, "Redirect for network"},
    {1, "Redirect for host"},
    {2, "Redirect for TOS and network"},
    {3, "Redirect for TOS and host"},
    {0, NULL},
};

static const struct tok icmp_time_codes[] = {
    {0, "Time to live exceeded in transit"},
    {1, "Fragment reassembly time exceeded"},
    {0, NULL},
};

static const struct tok_by icmp_codes[] = {
    {3, icmp_unreach_codes},
    {5, icmp_redirect_codes},
    {11, icmp_time_codes},
    {0, NULL},
};

/* ICMPv6 types (RFC 4443, RFC 4861, RFC 2710, RFC 3810), in Wireshark's words */
static const struct tok icmpv6_type_names[] = {
    {1, "Destination Unreachable"},
    {2, "Packet Too Big"},
    {3, "Time Exceeded"},
    {4, "Parameter Problem"},
    {128, "Echo (ping) request"},
    {129, "Echo (ping) reply"},
    {130, "Multicast Listener Query"},
    {131, "Multicast Listener Report"},
    {132, "Multicast Listener Done"},
    {133, "Router Solicitation"},
    {134, "Router Advertisement"},
    {135, "Neighbor Solicitation"},
    {136, "Neighbor Advertisement"},
    {137, "Redirect"},
    {138, "Router Renumbering"},
    {143, "Multicast Listener Report Message v2"},
    {0, NULL},
};

static const struct tok icmpv6_unreach_codes[] = {
    {0, "No route to destination"},
    {1, "Administratively prohibited"},
    {2, "Beyond scope of source address"},
    {3, "Address unreachable"},
    {4, "Port unreachable"},
    {5, "Source address failed ingress/egress policy"},
    {6, "Reject route to destination"},
    {0, NULL},
};

static const struct tok icmpv6_time_codes[] = {
    {0, "Hop limit exceeded in transit"},
    {1, "Fragment reassembly time exceeded"},
    {0, NULL},
};

static const struct tok_by icmpv6_codes[] = {
    {1, icmpv6_unreach_codes},
    {3, icmpv6_time_codes},
    {0, NULL},
};

/* Checksum status, as Wireshark's PROTO_CHECKSUM_E_* */
static const struct tok checksum_status_names[] = {
    {0, "bad"},
    {1, "good"},
    {2, "not verified"},
    {0, NULL},
};

/* TCP flags, as bits in the order they are listed ("SYN, ACK") */
static const struct tok tcp_flag_names[] = {
    {TCP_FIN, "FIN"}, {TCP_SYN, "SYN"}, {TCP_RST, "RST"}, {TCP_PSH, "PSH"}, {TCP_ACK, "ACK"},
    {TCP_URG, "URG"}, {TCP_ECE, "ECE"}, {TCP_CWR, "CWR"}, {TCP_AE, "AE"},   {0, NULL},
};

/* TCP option kinds (IANA) */
static const struct tok tcp_option_names[] = {
    {0, "End of option list"}, {1, "No-Operation"},   {2, "Maximum segment size"},
    {3, "Window scale"},       {4, "SACK permitted"}, {5, "SACK"},
    {8, "Timestamps"},         {28, "User timeout"},  {29, "TCP-AO"},
    {30, "Multipath TCP"},     {34, "TCP Fast Open"}, {0, NULL},
};

/* DNS RR types (IANA DNS parameters) */
static const struct tok dns_type_names[] = {
    {1, "A"},    {2, "NS"},     {5, "CNAME"},  {6, "SOA"},     {12, "PTR"},   {13, "HINFO"},
    {15, "MX"},  {16, "TXT"},   {28, "AAAA"},  {33, "SRV"},    {35, "NAPTR"}, {41, "OPT"},
    {43, "DS"},  {46, "RRSIG"}, {47, "NSEC"},  {48, "DNSKEY"}, {64, "SVCB"},  {65, "HTTPS"},
    {99, "SPF"}, {251, "IXFR"}, {252, "AXFR"}, {255, "ANY"},   {257, "CAA"},  {0, NULL},
};

/* DNS RCODE (RFC 1035 4.1.1) */
static const struct tok dns_rcode_names[] = {
    {0, "No error"},     {1, "Format error"},    {2, "Server failure"},
    {3, "No such name"}, {4, "Not implemented"}, {5, "Refused"},
    {0, NULL},
};

static const struct tok dns_opcode_names[] = {
    {0, "Standard query"},           {1, "Inverse query"},  {2, "Server status request"},
    {4, "Zone change notification"}, {5, "Dynamic update"}, {0, NULL},
};

static const struct tok dns_class_names[] = {
    {1, "IN"}, {3, "CH"}, {4, "HS"}, {254, "NONE"}, {255, "ANY"}, {0, NULL},
};

/* IPv4 option types (RFC 791 and the IANA registry), by the whole type octet. */
static const struct tok ip_option_names[] = {
    {0, "End of Options List"}, {1, "No-Operation"}, {7, "Record Route"},
    {68, "Timestamp"},          {130, "Security"},   {131, "Loose Source Route"},
    {133, "Extended Security"}, {136, "Stream ID"},  {137, "Strict Source Route"},
    {148, "Router Alert"},      {0, NULL},
};

/* Linux packet types (linux/if_packet.h) and ARPHRD_* address types, as SLL records them. */
static const struct tok sll_pkttype_names[] = {
    {0, "Unicast to us"},           {1, "Broadcast"},  {2, "Multicast"},
    {3, "Unicast to another host"}, {4, "Sent by us"}, {0, NULL},
};

static const struct tok sll_hatype_names[] = {
    {1, "Ethernet"},      {24, "IEEE 1394"},        {512, "PPP"},
    {772, "Loopback"},    {776, "IPv6-in-IPv4"},    {778, "GRE"},
    {801, "IEEE 802.11"}, {65534, "None (tunnel)"}, {0, NULL},
};

/* IPv6 hop-by-hop and destination option types (RFC 8200 and the IANA registry). */
static const struct tok ipv6_option_names[] = {
    {0x00, "Pad1"},
    {0x01, "PadN"},
    {0x04, "Tunnel Encapsulation Limit"},
    {0x05, "Router Alert"},
    {0x26, "Quick-Start"},
    {0x31, "IOAM"},
    {0x63, "RPL Option"},
    {0xc2, "Jumbo Payload"},
    {0xc9, "Home Address"},
    {0, NULL},
};

/* MLDv2 multicast address record types (RFC 3810 5.2.12). */
static const struct tok mldv2_record_names[] = {
    {1, "Mode is include"},
    {2, "Mode is exclude"},
    {3, "Change to include mode"},
    {4, "Change to exclude mode"},
    {5, "Allow new sources"},
    {6, "Block old sources"},
    {0, NULL},
};

/* NTP leap indicator and mode (RFC 5905 7.3), in Wireshark's words */
static const struct tok ntp_li_names[] = {
    {0, "no warning"},
    {1, "last minute of the day has 61 seconds"},
    {2, "last minute of the day has 59 seconds"},
    {3, "unknown (clock unsynchronized)"},
    {0, NULL},
};

static const struct tok ntp_mode_names[] = {
    {0, "reserved"},
    {1, "symmetric active"},
    {2, "symmetric passive"},
    {3, "client"},
    {4, "server"},
    {5, "broadcast"},
    {6, "reserved for NTP control message"},
    {7, "reserved for private use"},
    {0, NULL},
};

/* SNMP, in Wireshark's words (packet-snmp.c) */
static const struct tok snmp_version_names[] = {
    {0, "version-1"}, {1, "v2c"}, {2, "v2u"}, {3, "snmpv3"}, {0, NULL},
};

static const struct tok snmp_pdu_names[] = {
    {0, "get-request"},   {1, "get-next-request"},
    {2, "get-response"},  {3, "set-request"},
    {4, "trap"},          {5, "getBulkRequest"},
    {6, "informRequest"}, {7, "snmpV2-trap"},
    {8, "report"},        {0, NULL},
};

/* RFC 1157 4.1.1 (0-5) and RFC 3416 3 (6-18) */
static const struct tok snmp_error_status_names[] = {
    {0, "noError"},
    {1, "tooBig"},
    {2, "noSuchName"},
    {3, "badValue"},
    {4, "readOnly"},
    {5, "genErr"},
    {6, "noAccess"},
    {7, "wrongType"},
    {8, "wrongLength"},
    {9, "wrongEncoding"},
    {10, "wrongValue"},
    {11, "noCreation"},
    {12, "inconsistentValue"},
    {13, "resourceUnavailable"},
    {14, "commitFailed"},
    {15, "undoFailed"},
    {16, "authorizationError"},
    {17, "notWritable"},
    {18, "inconsistentName"},
    {0, NULL},
};

static const struct tok snmp_generic_trap_names[] = {
    {0, "coldStart"},
    {1, "warmStart"},
    {2, "linkDown"},
    {3, "linkUp"},
    {4, "authenticationFailure"},
    {5, "egpNeighborLoss"},
    {6, "enterpriseSpecific"},
    {0, NULL},
};

static const struct tok snmp_security_model_names[] = {
    {0, "Any"}, {1, "V1"}, {2, "V2C"}, {3, "USM"}, {0, NULL},
};

static const struct tok snmp_msgdata_names[] = {
    {0, "plaintext"},
    {1, "encryptedPDU"},
    {0, NULL},
};

#define NAMES(t)                                                                                   \
    {                                                                                              \
        .kind = FV_NAMES, .names = (t)                                                             \
    }
#define BITS(t)                                                                                    \
    {                                                                                              \
        .kind = FV_BITS, .names = (t)                                                              \
    }
#define BY(parent_id, t)                                                                           \
    {                                                                                              \
        .kind = FV_BY_PARENT, .parent = (parent_id), .by = (t)                                     \
    }

/* TLS (tls.c): value names as tshark 4.0's -G values prints them */
static const struct tok tls_content_type_names[] = {
    {20, "Change Cipher Spec"}, {21, "Alert"},         {22, "Handshake"}, {23, "Application Data"},
    {24, "Heartbeat"},          {25, "Connection ID"}, {0, NULL},
};
static const struct tok tls_handshake_type_names[] = {
    {0, "Hello Request"},
    {1, "Client Hello"},
    {2, "Server Hello"},
    {3, "Hello Verify Request"},
    {4, "New Session Ticket"},
    {5, "End of Early Data"},
    {6, "Hello Retry Request"},
    {8, "Encrypted Extensions"},
    {11, "Certificate"},
    {12, "Server Key Exchange"},
    {13, "Certificate Request"},
    {14, "Server Hello Done"},
    {15, "Certificate Verify"},
    {16, "Client Key Exchange"},
    {20, "Finished"},
    {21, "Client Certificate URL"},
    {22, "Certificate Status"},
    {23, "Supplemental Data"},
    {24, "Key Update"},
    {25, "Compressed Certificate"},
    {67, "Encrypted Extensions"},
    {0, NULL},
};
static const struct tok tls_version_names[] = {
    {0x2, "SSL 2.0"},
    {0x300, "SSL 3.0"},
    {0x301, "TLS 1.0"},
    {0x101, "GMTLS"},
    {0x302, "TLS 1.1"},
    {0x303, "TLS 1.2"},
    {0x304, "TLS 1.3"},
    {0x7f0e, "TLS 1.3 (draft 14)"},
    {0x7f0f, "TLS 1.3 (draft 15)"},
    {0x7f10, "TLS 1.3 (draft 16)"},
    {0x7f11, "TLS 1.3 (draft 17)"},
    {0x7f12, "TLS 1.3 (draft 18)"},
    {0x7f13, "TLS 1.3 (draft 19)"},
    {0x7f14, "TLS 1.3 (draft 20)"},
    {0x7f15, "TLS 1.3 (draft 21)"},
    {0x7f16, "TLS 1.3 (draft 22)"},
    {0x7f17, "TLS 1.3 (draft 23)"},
    {0x7f18, "TLS 1.3 (draft 24)"},
    {0x7f19, "TLS 1.3 (draft 25)"},
    {0x7f1a, "TLS 1.3 (draft 26)"},
    {0x7f1b, "TLS 1.3 (draft 27)"},
    {0x7f1c, "TLS 1.3 (draft 28)"},
    {0xfb17, "TLS 1.3 (Facebook draft 23)"},
    {0xfb1a, "TLS 1.3 (Facebook draft 26)"},
    {0x100, "DTLS 1.0 (OpenSSL pre 0.9.8f)"},
    {0xfeff, "DTLS 1.0"},
    {0xfefd, "DTLS 1.2"},
    {0xa0a, "Reserved (GREASE)"},
    {0x1a1a, "Reserved (GREASE)"},
    {0x2a2a, "Reserved (GREASE)"},
    {0x3a3a, "Reserved (GREASE)"},
    {0x4a4a, "Reserved (GREASE)"},
    {0x5a5a, "Reserved (GREASE)"},
    {0x6a6a, "Reserved (GREASE)"},
    {0x7a7a, "Reserved (GREASE)"},
    {0x8a8a, "Reserved (GREASE)"},
    {0x9a9a, "Reserved (GREASE)"},
    {0xaaaa, "Reserved (GREASE)"},
    {0xbaba, "Reserved (GREASE)"},
    {0xcaca, "Reserved (GREASE)"},
    {0xdada, "Reserved (GREASE)"},
    {0xeaea, "Reserved (GREASE)"},
    {0xfafa, "Reserved (GREASE)"},
    {0, NULL},
};
static const struct tok tls_alert_level_names[] = {
    {1, "Warning"},
    {2, "Fatal"},
    {0, NULL},
};
static const struct tok tls_alert_desc_names[] = {
    {0, "Close Notify"},
    {1, "End of Early Data"},
    {10, "Unexpected Message"},
    {20, "Bad Record MAC"},
    {21, "Decryption Failed"},
    {22, "Record Overflow"},
    {30, "Decompression Failure"},
    {40, "Handshake Failure"},
    {41, "No Certificate"},
    {42, "Bad Certificate"},
    {43, "Unsupported Certificate"},
    {44, "Certificate Revoked"},
    {45, "Certificate Expired"},
    {46, "Certificate Unknown"},
    {47, "Illegal Parameter"},
    {48, "Unknown CA"},
    {49, "Access Denied"},
    {50, "Decode Error"},
    {51, "Decrypt Error"},
    {60, "Export Restriction"},
    {70, "Protocol Version"},
    {71, "Insufficient Security"},
    {80, "Internal Error"},
    {86, "Inappropriate Fallback"},
    {90, "User Canceled"},
    {100, "No Renegotiation"},
    {109, "Missing Extension"},
    {110, "Unsupported Extension"},
    {111, "Certificate Unobtainable"},
    {112, "Unrecognized Name"},
    {113, "Bad Certificate Status Response"},
    {114, "Bad Certificate Hash Value"},
    {115, "Unknown PSK Identity"},
    {116, "Certificate Required"},
    {120, "No application Protocol"},
    {121, "ECH Required"},
    {0, NULL},
};
static const struct tok tls_comp_method_names[] = {
    {0, "null"},
    {1, "DEFLATE"},
    {64, "LZS"},
    {0, NULL},
};
static const struct tok tls_sni_type_names[] = {
    {0, "host_name"},
    {0, NULL},
};
static const struct tok tls_extension_type_names[] = {
    {0, "server_name"},
    {1, "max_fragment_length"},
    {2, "client_certificate_url"},
    {3, "trusted_ca_keys"},
    {4, "truncated_hmac"},
    {5, "status_request"},
    {6, "user_mapping"},
    {7, "client_authz"},
    {8, "server_authz"},
    {9, "cert_type"},
    {10, "supported_groups"},
    {11, "ec_point_formats"},
    {12, "srp"},
    {13, "signature_algorithms"},
    {14, "use_srtp"},
    {15, "heartbeat"},
    {16, "application_layer_protocol_negotiation"},
    {17, "status_request_v2"},
    {18, "signed_certificate_timestamp"},
    {19, "client_certificate_type"},
    {20, "server_certificate_type"},
    {21, "padding"},
    {22, "encrypt_then_mac"},
    {23, "extended_master_secret"},
    {24, "token_binding"},
    {25, "cached_info"},
    {27, "compress_certificate"},
    {28, "record_size_limit"},
    {34, "delegated_credentials"},
    {35, "session_ticket"},
    {40, "Reserved (key_share)"},
    {41, "pre_shared_key"},
    {42, "early_data"},
    {43, "supported_versions"},
    {44, "cookie"},
    {45, "psk_key_exchange_modes"},
    {46, "Reserved (ticket_early_data_info)"},
    {47, "certificate_authorities"},
    {48, "oid_filters"},
    {49, "post_handshake_auth"},
    {50, "signature_algorithms_cert"},
    {51, "key_share"},
    {52, "transparency_info"},
    {53, "connection_id (deprecated)"},
    {54, "connection_id"},
    {55, "external_id_hash"},
    {56, "external_session_id"},
    {57, "quic_transport_parameters"},
    {58, "ticket_request"},
    {59, "dnssec_chain"},
    {2570, "Reserved (GREASE)"},
    {6682, "Reserved (GREASE)"},
    {10794, "Reserved (GREASE)"},
    {13172, "next_protocol_negotiation"},
    {14906, "Reserved (GREASE)"},
    {17513, "application_settings"},
    {19018, "Reserved (GREASE)"},
    {23130, "Reserved (GREASE)"},
    {27242, "Reserved (GREASE)"},
    {30031, "channel_id_old"},
    {30032, "channel_id"},
    {65281, "renegotiation_info"},
    {31354, "Reserved (GREASE)"},
    {35466, "Reserved (GREASE)"},
    {39578, "Reserved (GREASE)"},
    {43690, "Reserved (GREASE)"},
    {47802, "Reserved (GREASE)"},
    {51914, "Reserved (GREASE)"},
    {56026, "Reserved (GREASE)"},
    {60138, "Reserved (GREASE)"},
    {64250, "Reserved (GREASE)"},
    {65445, "quic_transport_parameters (drafts version)"},
    {65486, "encrypted_server_name"},
    {0, NULL},
};
static const struct tok tls_ciphersuite_names[] = {
    {0, "TLS_NULL_WITH_NULL_NULL"},
    {10, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"},
    {47, "TLS_RSA_WITH_AES_128_CBC_SHA"},
    {51, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"},
    {53, "TLS_RSA_WITH_AES_256_CBC_SHA"},
    {57, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"},
    {60, "TLS_RSA_WITH_AES_128_CBC_SHA256"},
    {61, "TLS_RSA_WITH_AES_256_CBC_SHA256"},
    {103, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"},
    {107, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"},
    {156, "TLS_RSA_WITH_AES_128_GCM_SHA256"},
    {157, "TLS_RSA_WITH_AES_256_GCM_SHA384"},
    {158, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"},
    {159, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"},
    {255, "TLS_EMPTY_RENEGOTIATION_INFO_SCSV"},
    {4865, "TLS_AES_128_GCM_SHA256"},
    {4866, "TLS_AES_256_GCM_SHA384"},
    {4867, "TLS_CHACHA20_POLY1305_SHA256"},
    {4868, "TLS_AES_128_CCM_SHA256"},
    {4869, "TLS_AES_128_CCM_8_SHA256"},
    {22016, "TLS_FALLBACK_SCSV"},
    {49161, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"},
    {49162, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"},
    {49171, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"},
    {49172, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"},
    {49187, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"},
    {49188, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"},
    {49191, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"},
    {49192, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"},
    {49195, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"},
    {49196, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"},
    {49199, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"},
    {49200, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"},
    {52243, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {52244, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {52245, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {52392, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {52393, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"},
    {52394, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"},
    {0, NULL},
};
static const struct tok x509_name_choice_names[] = {
    {0, "rdnSequence"},
    {0, NULL},
};
/* end of TLS */
/* DHCP (dissect/dhcp.c): value names as Wireshark 4.0 gives them (tshark -G values; the
 * option names as its Parameter Request List items show them) */
/* BOOTP op (RFC 951) */
static const struct tok dhcp_op_names[] = {
    {1, "Boot Request"},
    {2, "Boot Reply"},
    {0, NULL},
};
/* hardware types (ARP hardware numbers) */
static const struct tok dhcp_hw_type_names[] = {
    {0, "NET/ROM pseudo"},
    {1, "Ethernet"},
    {2, "Experimental Ethernet"},
    {3, "AX.25"},
    {4, "ProNET"},
    {5, "Chaos"},
    {6, "IEEE 802"},
    {7, "ARCNET"},
    {8, "Hyperchannel"},
    {9, "Lanstar"},
    {10, "Autonet Short Address"},
    {11, "Localtalk"},
    {12, "LocalNet"},
    {13, "Ultra link"},
    {14, "SMDS"},
    {15, "Frame Relay DLCI"},
    {16, "ATM"},
    {17, "HDLC"},
    {18, "Fibre Channel"},
    {19, "ATM (RFC 2225)"},
    {20, "Serial Line"},
    {21, "ATM"},
    {22, "MIL-STD-188-220"},
    {23, "Metricom STRIP"},
    {24, "IEEE 1394.1995"},
    {25, "MAPOS"},
    {26, "Twinaxial"},
    {27, "EUI-64"},
    {28, "HIPARP"},
    {29, "IP and ARP over ISO 7816-3"},
    {30, "ARPSec"},
    {31, "IPsec tunnel"},
    {32, "InfiniBand"},
    {33, "TIA-102 Project 25 CAI"},
    {34, "Wiegand Interface"},
    {35, "Pure IP"},
    {36, "Experimental 1"},
    {37, "HFI"},
    {256, "Experimental 2"},
    {257, "AEthernet"},
    {260, "Notional KISS type"},
    {264, "ADAPT"},
    {270, "ROSE"},
    {271, "CCITT X.25"},
    {272, "Boards with X.25 in firmware"},
    {280, "Controller Area Network"},
    {512, "PPP"},
    {513, "Cisco HDLC"},
    {516, "LAPB"},
    {517, "Digital's DDCMP protocol"},
    {518, "Raw HDLC"},
    {519, "Raw IP"},
    {768, "IPIP tunnel"},
    {769, "IP6IP6 tunnel"},
    {770, "Frame Relay Access Device"},
    {771, "SKIP vif"},
    {772, "Loopback"},
    {774, "Fiber Distributed Data Interface"},
    {775, "AP1000 BIF"},
    {776, "sit0 device - IPv6-in-IPv4"},
    {777, "IP over DDP tunneller"},
    {778, "GRE over IP"},
    {779, "PIMSM register interface"},
    {780, "High Performance Parallel Interface"},
    {781, "Nexus 64Mbps Ash"},
    {782, "Acorn Econet"},
    {783, "Linux-IrDA"},
    {784, "Point to point fibrechannel"},
    {785, "Fibrechannel arbitrated loop"},
    {786, "Fibrechannel public loop"},
    {787, "Fibrechannel fabric"},
    {800, "Magic type ident for TR"},
    {801, "IEEE 802.11"},
    {802, "IEEE 802.11 + Prism2 header"},
    {803, "IEEE 802.11 + radiotap header"},
    {804, "IEEE 802.15.4"},
    {805, "IEEE 802.15.4 network monitor"},
    {820, "PhoNet media type"},
    {821, "PhoNet pipe header"},
    {822, "CAIF media type"},
    {823, "GRE over IPv6"},
    {824, "Netlink"},
    {825, "IPv6 over LoWPAN"},
    {826, "Vsock monitor header"},
    {65535, "Void type, nothing is known"},
    {65534, "zero header length"},
    {0, NULL},
};
/* DHCP message type, option 53 (RFC 2132 9.6 and later RFCs) */
static const struct tok dhcp_msg_type_names[] = {
    {1, "Discover"},
    {2, "Offer"},
    {3, "Request"},
    {4, "Decline"},
    {5, "ACK"},
    {6, "NAK"},
    {7, "Release"},
    {8, "Inform"},
    {9, "Force Renew"},
    {10, "Lease query"},
    {11, "Lease Unassigned"},
    {12, "Lease Unknown"},
    {13, "Lease Active"},
    {14, "Bulk Lease Query"},
    {15, "Lease Query Done"},
    {16, "Active LeaseQuery"},
    {17, "Lease Query Status"},
    {18, "TLS"},
    {0, NULL},
};
/* DHCP/BOOTP option codes (RFC 2132 and the IANA registry) */
static const struct tok dhcp_option_names[] = {
    {0, "Padding"},
    {1, "Subnet Mask"},
    {2, "Time Offset"},
    {3, "Router"},
    {4, "Time Server"},
    {5, "Name Server"},
    {6, "Domain Name Server"},
    {7, "Log Server"},
    {8, "Quotes Server"},
    {9, "LPR Server"},
    {10, "Impress Server"},
    {11, "Resource Location Server"},
    {12, "Host Name"},
    {13, "Boot File Size"},
    {14, "Merit Dump File"},
    {15, "Domain Name"},
    {16, "Swap Server"},
    {17, "Root Path"},
    {18, "Extensions Path"},
    {19, "IP Forwarding"},
    {20, "Non-Local Source Routing"},
    {21, "Policy Filter"},
    {22, "Maximum Datagram Reassembly Size"},
    {23, "Default IP Time-to-Live"},
    {24, "Path MTU Aging Timeout"},
    {25, "Path MTU Plateau Table"},
    {26, "Interface MTU"},
    {27, "All Subnets are Local"},
    {28, "Broadcast Address"},
    {29, "Perform Mask Discovery"},
    {30, "Mask Supplier"},
    {31, "Perform Router Discover"},
    {32, "Router Solicitation Address"},
    {33, "Static Route"},
    {34, "Trailer Encapsulation"},
    {35, "ARP Cache Timeout"},
    {36, "Ethernet Encapsulation"},
    {37, "TCP Default TTL"},
    {38, "TCP Keepalive Interval"},
    {39, "TCP Keepalive Garbage"},
    {40, "Network Information Service Domain"},
    {41, "Network Information Service Servers"},
    {42, "Network Time Protocol Servers"},
    {43, "Vendor-Specific Information"},
    {44, "NetBIOS over TCP/IP Name Server"},
    {45, "NetBIOS over TCP/IP Datagram Distribution Name Server"},
    {46, "NetBIOS over TCP/IP Node Type"},
    {47, "NetBIOS over TCP/IP Scope"},
    {48, "X Window System Font Server"},
    {49, "X Window System Display Manager"},
    {50, "Requested IP Address"},
    {51, "IP Address Lease Time"},
    {52, "Option Overload"},
    {53, "DHCP Message Type"},
    {54, "DHCP Server Identifier"},
    {55, "Parameter Request List"},
    {56, "Message"},
    {57, "Maximum DHCP Message Size"},
    {58, "Renewal Time Value"},
    {59, "Rebinding Time Value"},
    {60, "Vendor class identifier"},
    {61, "Client identifier"},
    {62, "Novell/Netware IP domain"},
    {63, "Novell Options"},
    {64, "Network Information Service+ Domain"},
    {65, "Network Information Service+ Servers"},
    {66, "TFTP Server Name"},
    {67, "Bootfile name"},
    {68, "Mobile IP Home Agent"},
    {69, "SMTP Server"},
    {70, "POP3 Server"},
    {71, "NNTP Server"},
    {72, "Default WWW Server"},
    {73, "Default Finger Server"},
    {74, "Default IRC Server"},
    {75, "StreetTalk Server"},
    {76, "StreetTalk Directory Assistance Server"},
    {77, "User Class Information"},
    {78, "Directory Agent Information"},
    {79, "Service Location Agent Scope"},
    {80, "Rapid commit"},
    {81, "Client Fully Qualified Domain Name"},
    {82, "Agent Information Option"},
    {83, "iSNS"},
    {84, "Removed/Unassigned"},
    {85, "Novell Directory Services Servers"},
    {86, "Novell Directory Services Tree Name"},
    {87, "Novell Directory Services Context"},
    {88, "BCMCS Controller Domain Name [TODO:RFC4280]"},
    {89, "BCMCS Controller IPv4 address [TODO:RFC4280]"},
    {90, "Authentication"},
    {91, "Client last transaction time"},
    {92, "Associated IP option"},
    {93, "Client System Architecture"},
    {94, "Client Network Device Interface"},
    {95, "LDAP [TODO:RFC3679]"},
    {96, "Removed/Unassigned"},
    {97, "UUID/GUID-based Client Identifier"},
    {98, "Open Group's User Authentication [TODO:RFC2485]"},
    {99, "Civic Addresses Configuration"},
    {100, "PCode"},
    {101, "TCode"},
    {102, "Removed/unassigned"},
    {103, "Removed/unassigned"},
    {104, "Removed/unassigned"},
    {105, "Removed/unassigned"},
    {106, "Removed/unassigned"},
    {107, "Removed/unassigned"},
    {108, "IPv6-Only Preferred"},
    {109, "Unassigned"},
    {110, "Removed/Unassigned"},
    {111, "Unassigned"},
    {112, "NetInfo Parent Server Address"},
    {113, "NetInfo Parent Server Tag"},
    {114, "DHCP Captive-Portal"},
    {115, "Removed/Unassigned"},
    {116, "DHCP Auto-Configuration"},
    {117, "Name Service Search"},
    {118, "Subnet Selection Option"},
    {119, "Domain Search"},
    {120, "SIP Servers"},
    {121, "Classless Static Route"},
    {122, "CableLabs Client Configuration [TODO:RFC3495]"},
    {123, "Coordinate-based Location Configuration"},
    {124, "V-I Vendor Class"},
    {125, "V-I Vendor-specific Information"},
    {126, "Removed/Unassigned"},
    {127, "Removed/Unassigned"},
    {128, "DOCSIS full security server IP [TODO]"},
    {129, "PXE - undefined (vendor specific)"},
    {130, "PXE - undefined (vendor specific)"},
    {131, "PXE - undefined (vendor specific)"},
    {132, "PXE - undefined (vendor specific)"},
    {133, "PXE - undefined (vendor specific)"},
    {134, "PXE - undefined (vendor specific)"},
    {135, "PXE - undefined (vendor specific)"},
    {136, "PANA Authentication Agent"},
    {137, "LoST Server Domain Name"},
    {138, "CAPWAP Access Controllers"},
    {139, "IPv4 Address-MoS"},
    {140, "IPv4 FQDN-MoS"},
    {141, "SIP UA Configuration Domains"},
    {142, "IPv4 Address ANDSF"},
    {143, "Zerotouch Redirect [TODO: draft-ietf-netconf-zerotouch]"},
    {144, "Geospatial Location [TODO:RFC6225]"},
    {145, "Forcerenew Nonce Capable"},
    {146, "RDNSS Selection"},
    {147, "Unassigned"},
    {148, "Unassigned"},
    {149, "Unassigned"},
    {150, "TFTP Server Address"},
    {151, "Leasequery Status code"},
    {152, "Leasequery Base Time"},
    {153, "Leasequery Start Time of State"},
    {154, "Leasequery Query Start Time"},
    {155, "Leasequery Query End Time"},
    {156, "Leasequery Dhcp State"},
    {157, "Leasequery Data Source"},
    {158, "PCP Server"},
    {159, "Portparams"},
    {160, "Unassigned (ex DHCP Captive-Portal)"},
    {161, "Manufacturer Usage Description"},
    {162, "Unassigned"},
    {163, "Unassigned"},
    {164, "Unassigned"},
    {165, "Unassigned"},
    {166, "Unassigned"},
    {167, "Unassigned"},
    {168, "Unassigned"},
    {169, "Unassigned"},
    {170, "Unassigned"},
    {171, "Unassigned"},
    {172, "Unassigned"},
    {173, "Unassigned"},
    {174, "Unassigned"},
    {175, "Etherboot"},
    {176, "IP Telephone"},
    {177, "Etherboot"},
    {178, "Unassigned"},
    {179, "Unassigned"},
    {180, "Unassigned"},
    {181, "Unassigned"},
    {182, "Unassigned"},
    {183, "Unassigned"},
    {184, "Unassigned"},
    {185, "Unassigned"},
    {186, "Unassigned"},
    {187, "Unassigned"},
    {188, "Unassigned"},
    {189, "Unassigned"},
    {190, "Unassigned"},
    {191, "Unassigned"},
    {192, "Unassigned"},
    {193, "Unassigned"},
    {194, "Unassigned"},
    {195, "Unassigned"},
    {196, "Unassigned"},
    {197, "Unassigned"},
    {198, "Unassigned"},
    {199, "Unassigned"},
    {200, "Unassigned"},
    {201, "Unassigned"},
    {202, "Unassigned"},
    {203, "Unassigned"},
    {204, "Unassigned"},
    {205, "Unassigned"},
    {206, "Unassigned"},
    {207, "Unassigned"},
    {208, "PXELINUX Magic"},
    {209, "PXE Configuration file"},
    {210, "PXE Path Prefix"},
    {211, "Reboot Time"},
    {212, "6RD"},
    {213, "V4 Access Domain"},
    {214, "Unassigned"},
    {215, "Unassigned"},
    {216, "Unassigned"},
    {217, "Unassigned"},
    {218, "Unassigned"},
    {219, "Unassigned"},
    {220, "Subnet Allocation"},
    {221, "Virtual Subnet Selection"},
    {222, "Unassigned"},
    {223, "Unassigned"},
    {224, "Private"},
    {225, "Private"},
    {226, "Private"},
    {227, "Private"},
    {228, "Private"},
    {229, "Private"},
    {230, "Private"},
    {231, "Private"},
    {232, "Private"},
    {233, "Private"},
    {234, "Private"},
    {235, "Private"},
    {236, "Private"},
    {237, "Private"},
    {238, "Private"},
    {239, "Private"},
    {240, "Private"},
    {241, "Private"},
    {242, "Private/Avaya IP Telephone"},
    {243, "Private"},
    {244, "Private"},
    {245, "Private"},
    {246, "Private"},
    {247, "Private"},
    {248, "Private"},
    {249, "Private/Classless Static Route (Microsoft)"},
    {250, "Private"},
    {251, "Private"},
    {252, "Private/Proxy autodiscovery"},
    {253, "Private"},
    {254, "Private"},
    {255, "End"},
    {0, NULL},
};
/* end of DHCP */

static const struct field_values value_table[FID__COUNT] = {
    [FID_ETH_TYPE] = NAMES(ethertype_names),
    [FID_VLAN_ETYPE] = NAMES(ethertype_names),
    [FID_IEEE8021AH_ETYPE] = NAMES(ethertype_names),
    [FID_SLL_ETYPE] = NAMES(ethertype_names),
    [FID_ARP_PROTO_TYPE] = NAMES(ethertype_names),
    [FID_SLL_PKTTYPE] = NAMES(sll_pkttype_names),
    [FID_SLL_HATYPE] = NAMES(sll_hatype_names),
    [FID_ARP_OPCODE] = NAMES(arp_op_names),

    [FID_IP_PROTO] = NAMES(ipproto_names),
    [FID_IPV6_NXT] = NAMES(ipproto_names),
    [FID_IPV6_EXT_NXT] = NAMES(ipproto_names),
    [FID_IPV6_HOPOPTS_NXT] = NAMES(ipproto_names),
    [FID_IPV6_DSTOPTS_NXT] = NAMES(ipproto_names),
    [FID_IPV6_ROUTING_NXT] = NAMES(ipproto_names),
    [FID_IPV6_FRAGHDR_NXT] = NAMES(ipproto_names),
    [FID_IP_OPT_TYPE] = NAMES(ip_option_names),
    [FID_IPV6_OPT_TYPE] = NAMES(ipv6_option_names),
    [FID_IP_CHECKSUM_STATUS] = NAMES(checksum_status_names),

    [FID_ICMP_TYPE] = NAMES(icmp_type_names),
    [FID_ICMP_CODE] = BY(FID_ICMP_TYPE, icmp_codes),
    [FID_ICMP_CHECKSUM_STATUS] = NAMES(checksum_status_names),
    [FID_ICMPV6_TYPE] = NAMES(icmpv6_type_names),
    [FID_ICMPV6_CODE] = BY(FID_ICMPV6_TYPE, icmpv6_codes),
    [FID_ICMPV6_CHECKSUM_STATUS] = NAMES(checksum_status_names),
    [FID_ICMPV6_MLDR_MAR_RECORD_TYPE] = NAMES(mldv2_record_names),

    [FID_TCP_FLAGS] = BITS(tcp_flag_names),
    [FID_TCP_OPTION_KIND] = NAMES(tcp_option_names),
    [FID_TCP_CHECKSUM_STATUS] = NAMES(checksum_status_names),
    [FID_UDP_CHECKSUM_STATUS] = NAMES(checksum_status_names),

    [FID_DNS_FLAGS_OPCODE] = NAMES(dns_opcode_names),
    [FID_DNS_FLAGS_RCODE] = NAMES(dns_rcode_names),
    [FID_DNS_QRY_TYPE] = NAMES(dns_type_names),
    [FID_DNS_RESP_TYPE] = NAMES(dns_type_names),
    /* mDNS puts its QU / cache-flush bit in the class's top bit */
    [FID_DNS_QRY_CLASS] = {.kind = FV_NAMES, .names = dns_class_names, .mask = 0x7fff},
    [FID_DNS_RESP_CLASS] = {.kind = FV_NAMES, .names = dns_class_names, .mask = 0x7fff},

    [FID_NTP_FLAGS_LI] = NAMES(ntp_li_names),
    [FID_NTP_FLAGS_MODE] = NAMES(ntp_mode_names),
    /* TLS */
    [FID_TLS_RECORD_CONTENT_TYPE] = NAMES(tls_content_type_names),
    [FID_TLS_RECORD_OPAQUE_TYPE] = NAMES(tls_content_type_names),
    [FID_TLS_RECORD_VERSION] = NAMES(tls_version_names),
    [FID_TLS_ALERT_MESSAGE_LEVEL] = NAMES(tls_alert_level_names),
    [FID_TLS_ALERT_MESSAGE_DESC] = NAMES(tls_alert_desc_names),
    [FID_TLS_HANDSHAKE_TYPE] = NAMES(tls_handshake_type_names),
    [FID_TLS_HANDSHAKE_VERSION] = NAMES(tls_version_names),
    [FID_TLS_HANDSHAKE_CIPHERSUITE] = NAMES(tls_ciphersuite_names),
    [FID_TLS_HANDSHAKE_COMP_METHOD] = NAMES(tls_comp_method_names),
    [FID_TLS_HANDSHAKE_EXTENSION_TYPE] = NAMES(tls_extension_type_names),
    [FID_TLS_HANDSHAKE_EXTENSIONS_SERVER_NAME_TYPE] = NAMES(tls_sni_type_names),
    [FID_TLS_HANDSHAKE_EXTENSIONS_SUPPORTED_VERSION] = NAMES(tls_version_names),
    [FID_X509AF_ISSUER] = NAMES(x509_name_choice_names),
    [FID_X509AF_SUBJECT] = NAMES(x509_name_choice_names),

    /* SNMP */
    [FID_SNMP_VERSION] = NAMES(snmp_version_names),
    [FID_SNMP_MSGVERSION] = NAMES(snmp_version_names),
    [FID_SNMP_DATA] = NAMES(snmp_pdu_names),
    [FID_SNMP_ERROR_STATUS] = NAMES(snmp_error_status_names),
    [FID_SNMP_GENERIC_TRAP] = NAMES(snmp_generic_trap_names),
    [FID_SNMP_MSGSECURITYMODEL] = NAMES(snmp_security_model_names),
    [FID_SNMP_MSGDATA] = NAMES(snmp_msgdata_names),

    /* DHCP */
    [FID_DHCP_TYPE] = NAMES(dhcp_op_names),
    [FID_DHCP_HW_TYPE] = NAMES(dhcp_hw_type_names),
    [FID_DHCP_OPTION_DHCP] = NAMES(dhcp_msg_type_names),
    [FID_DHCP_OPTION_TYPE] = NAMES(dhcp_option_names),
    [FID_DHCP_OPTION_REQUEST_LIST_ITEM] = NAMES(dhcp_option_names),
};

const struct field_values *field_values(unsigned id)
{
    if (id >= FID__COUNT || value_table[id].kind == FV_NONE)
        return NULL;
    return &value_table[id];
}

static const char *lookup(const struct tok *names, uint64_t mask, uint64_t value)
{
    if (mask)
        value &= mask;
    if (!names || value > UINT32_MAX)
        return NULL;
    return tok_name(names, (uint32_t)value);
}

const char *field_value_name(unsigned id, uint64_t value)
{
    const struct field_values *fv = field_values(id);
    if (!fv || fv->kind != FV_NAMES)
        return NULL;
    return lookup(fv->names, fv->mask, value);
}

const char *field_value_name_in(unsigned id, uint64_t parent_value, uint64_t value)
{
    const struct field_values *fv = field_values(id);
    if (!fv)
        return NULL;
    if (fv->kind != FV_BY_PARENT)
        return field_value_name(id, value);
    for (const struct tok_by *b = fv->by; b->names; b++)
        if (b->key == parent_value)
            return lookup(b->names, fv->mask, value);
    return NULL;
}
