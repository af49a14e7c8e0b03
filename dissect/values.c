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

/* FTP, SMTP, Telnet, SSH (textproto): Wireshark 4.0's value names (tshark -G values) */
static const struct tok ftp_response_code_names[] = {
    {110, "Restart marker reply"},
    {120, "Service ready in nnn minutes"},
    {125, "Data connection already open; transfer starting"},
    {150, "File status okay; about to open data connection"},
    {200, "Command okay"},
    {202, "Command not implemented, superfluous at this site"},
    {211, "System status, or system help reply"},
    {212, "Directory status"},
    {213, "File status"},
    {214, "Help message"},
    {215, "NAME system type"},
    {220, "Service ready for new user"},
    {221, "Service closing control connection"},
    {225, "Data connection open; no transfer in progress"},
    {226, "Closing data connection"},
    {227, "Entering Passive Mode"},
    {229, "Entering Extended Passive Mode"},
    {230, "User logged in, proceed"},
    {232, "User logged in, authorized by security data exchange"},
    {234, "Security data exchange complete"},
    {235, "Security data exchange completed successfully"},
    {250, "Requested file action okay, completed"},
    {257, "PATHNAME created"},
    {331, "User name okay, need password"},
    {332, "Need account for login"},
    {334, "Requested security mechanism is ok"},
    {335, "Security data is acceptable, more is required"},
    {336, "Username okay, need password. Challenge is ..."},
    {350, "Requested file action pending further information"},
    {421, "Service not available, closing control connection"},
    {425, "Can't open data connection"},
    {426, "Connection closed; transfer aborted"},
    {431, "Need some unavailable resource to process security"},
    {450, "Requested file action not taken"},
    {451, "Requested action aborted: local error in processing"},
    {452, "Requested action not taken. Insufficient storage space in system"},
    {500, "Syntax error, command unrecognized"},
    {501, "Syntax error in parameters or arguments"},
    {502, "Command not implemented"},
    {503, "Bad sequence of commands"},
    {504, "Command not implemented for that parameter"},
    {522, "Network protocol not supported"},
    {530, "Not logged in"},
    {532, "Need account for storing files"},
    {533, "Command protection level denied for policy reasons"},
    {534, "Request denied for policy reasons"},
    {535, "Failed security check (hash, sequence, etc)"},
    {536, "Requested PROT level not supported by mechanism"},
    {537, "Command protection level not supported by security mechanism"},
    {550, "Requested action not taken: File unavailable"},
    {551, "Requested action aborted: page type unknown"},
    {552, "Requested file action aborted: Exceeded storage allocation"},
    {553, "Requested action not taken: File name not allowed"},
    {631, "Integrity protected reply"},
    {632, "Confidentiality and integrity protected reply"},
    {633, "Confidentiality protected reply"},
    {0, NULL},
};
static const struct tok smtp_response_code_names[] = {
    {211, "System status, or system help reply"},
    {214, "Help message"},
    {220, "<domain> Service ready"},
    {221, "<domain> Service closing transmission channel"},
    {235, "Authentication successful"},
    {250, "Requested mail action okay, completed"},
    {251, "User not local; will forward to <forward-path>"},
    {252, "Cannot VRFY user, but will accept message and attempt delivery"},
    {334, "AUTH input"},
    {354, "Start mail input; end with <CRLF>.<CRLF>"},
    {421, "<domain> Service not available, closing transmission channel"},
    {432, "A password transition is needed"},
    {450, "Requested mail action not taken: mailbox unavailable"},
    {451, "Requested action aborted: local error in processing"},
    {452, "Requested action not taken: insufficient system storage"},
    {454, "Temporary authentication failed"},
    {500, "Syntax error, command unrecognized"},
    {501, "Syntax error in parameters or arguments"},
    {502, "Command not implemented"},
    {503, "Bad sequence of commands"},
    {504, "Command parameter not implemented"},
    {530, "Authentication required"},
    {534, "Authentication mechanism is too weak"},
    {535, "Authentication credentials invalid"},
    {538, "Encryption required for requested authentication mechanism"},
    {550, "Requested action not taken: mailbox unavailable"},
    {551, "User not local; please try <forward-path>"},
    {552, "Requested mail action aborted: exceeded storage allocation"},
    {553, "Requested action not taken: mailbox name not allowed"},
    {554, "Transaction failed"},
    {0, NULL},
};
static const struct tok telnet_cmd_names[] = {
    {236, "End of File"},
    {237, "Suspend Current Process"},
    {238, "Abort Process"},
    {239, "End of Record"},
    {240, "Suboption End"},
    {241, "No Operation"},
    {242, "Data Mark"},
    {243, "Break"},
    {244, "Interrupt Process"},
    {245, "Abort Output"},
    {246, "Are You There?"},
    {247, "Escape Character"},
    {248, "Erase Line"},
    {249, "Go Ahead"},
    {254, "Don't"},
    {253, "Do"},
    {252, "Won't"},
    {251, "Will"},
    {250, "Suboption"},
    {0, NULL},
};
/* Telnet options (IANA telnet-options registry), as Wireshark's packet-telnet.c names them */
static const struct tok telnet_option_names[] = {
    {0, "Binary Transmission"},
    {1, "Echo"},
    {2, "Reconnection"},
    {3, "Suppress Go Ahead"},
    {4, "Approx Message Size Negotiation"},
    {5, "Status"},
    {6, "Timing Mark"},
    {7, "Remote Controlled Trans and Echo"},
    {8, "Output Line Width"},
    {9, "Output Page Size"},
    {10, "Output Carriage-Return Disposition"},
    {11, "Output Horizontal Tab Stops"},
    {12, "Output Horizontal Tab Disposition"},
    {13, "Output Formfeed Disposition"},
    {14, "Output Vertical Tabstops"},
    {15, "Output Vertical Tab Disposition"},
    {16, "Output Linefeed Disposition"},
    {17, "Extended ASCII"},
    {18, "Logout"},
    {19, "Byte Macro"},
    {20, "Data Entry Terminal"},
    {21, "SUPDUP"},
    {22, "SUPDUP Output"},
    {23, "Send Location"},
    {24, "Terminal Type"},
    {25, "End of Record"},
    {26, "TACACS User Identification"},
    {27, "Output Marking"},
    {28, "Terminal Location Number"},
    {29, "Telnet 3270 Regime"},
    {30, "X.3 PAD"},
    {31, "Negotiate About Window Size"},
    {32, "Terminal Speed"},
    {33, "Remote Flow Control"},
    {34, "Linemode"},
    {35, "X Display Location"},
    {36, "Environment Option"},
    {37, "Authentication Option"},
    {38, "Encryption Option"},
    {39, "New Environment Option"},
    {40, "TN3270E"},
    {41, "XAUTH"},
    {42, "CHARSET"},
    {43, "Remote Serial Port"},
    {44, "COM Port Control"},
    {45, "Suppress Local Echo"},
    {46, "Start TLS"},
    {47, "KERMIT"},
    {48, "SEND-URL"},
    {49, "FORWARD_X"},
    {255, "Extended-Options-List"},
    {0, NULL},
};
/* SSHv2 message codes (RFC 4250 4.1). Wireshark names 30 and 31 by the key exchange method,
 * which a packet alone does not tell; the ECDH names are used (curve25519, the common one). */
static const struct tok ssh_message_code_names[] = {
    {1, "Disconnect"},
    {2, "Ignore"},
    {3, "Unimplemented"},
    {4, "Debug"},
    {5, "Service Request"},
    {6, "Service Accept"},
    {20, "Key Exchange Init"},
    {21, "New Keys"},
    {30, "Elliptic Curve Diffie-Hellman Key Exchange Init"},
    {31, "Elliptic Curve Diffie-Hellman Key Exchange Reply"},
    {32, "Diffie-Hellman Group Exchange Init"},
    {33, "Diffie-Hellman Group Exchange Reply"},
    {34, "Diffie-Hellman Group Exchange Request"},
    {50, "User Authentication Request"},
    {51, "User Authentication Failure"},
    {52, "User Authentication Success"},
    {53, "User Authentication Banner"},
    {60, "Public Key algorithm accepted"},
    {80, "Global Request"},
    {81, "Request Success"},
    {82, "Request Failure"},
    {90, "Channel Open"},
    {91, "Channel Open Confirmation"},
    {92, "Channel Open Failure"},
    {93, "Window Adjust"},
    {94, "Channel Data"},
    {95, "Channel Extended Data"},
    {96, "Channel EOF"},
    {97, "Channel Close"},
    {98, "Channel Request"},
    {99, "Channel Success"},
    {100, "Channel Failure"},
    {0, NULL},
};
/* RFC 1091 Terminal Type subnegotiation, in Wireshark's words */
static const struct tok telnet_ttype_cmd_names[] = {
    {0, "Here's my Terminal Type"},
    {1, "Send your Terminal Type"},
    {0, NULL},
};
/* end textproto */

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

    /* textproto: FTP, SMTP, Telnet, SSH */
    [FID_FTP_RESPONSE_CODE] = NAMES(ftp_response_code_names),
    [FID_SMTP_RESPONSE_CODE] = NAMES(smtp_response_code_names),
    [FID_TELNET_CMD] = NAMES(telnet_cmd_names),
    [FID_TELNET_SUBCMD] = NAMES(telnet_option_names),
    [FID_TELNET_TTYPE_CMD] = NAMES(telnet_ttype_cmd_names),
    [FID_SSH_MESSAGE_CODE] = NAMES(ssh_message_code_names),
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
