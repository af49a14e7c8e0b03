/* Names of phases and RFC 9293 states, as DESIGN.md writes them. */
#include "track/track.h"

const char *phase_name(enum phase p)
{
    static const char *const names[] = {"", "handshake", "data", "teardown", "reset"};
    return (unsigned)p < sizeof(names) / sizeof(names[0]) ? names[p] : "";
}

const char *tcp_state_name(enum tcp_state s)
{
    static const char *const names[] = {
        "",           "CLOSED",     "LISTEN",     "SYN-SENT", "SYN-RECEIVED", "ESTABLISHED",
        "FIN-WAIT-1", "FIN-WAIT-2", "CLOSE-WAIT", "CLOSING",  "LAST-ACK",     "TIME-WAIT",
    };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : "";
}
