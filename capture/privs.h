/*
 * privs: giving up privileges once the interface is open (-Z USER).
 *
 * Capturing needs root or cap_net_raw + cap_net_admin, but only to open the interface. Parsing
 * packets that strangers wrote is the risky part, so pktscope drops everything before the first
 * packet is read (tcpdump -Z): supplementary groups (initgroups), then the gid, then the uid,
 * in that order because after setuid() we could no longer change groups. It then checks that the
 * drop held: real, effective and saved ids are the target's, no capability is left, and
 * setuid(0) / setgid(0) fail. Files created afterwards (-w, the spool) belong to that user.
 *
 * Invariants: privs_drop() either returns 0 with the process unprivileged (or already
 * unprivileged and left alone), or returns negative with errbuf explaining what failed; the
 * caller must then exit (status 2) rather than go on with privileges.
 */
#ifndef PKTSCOPE_CAPTURE_PRIVS_H
#define PKTSCOPE_CAPTURE_PRIVS_H

#include <stdbool.h>
#include <sys/types.h>

/* The user pktscope runs as after opening an interface when started as root without -Z. */
#define PRIVS_DEFAULT_USER "nobody"

struct privs_result {
    bool changed_user; /* uid/gid were changed */
    bool dropped_caps; /* capabilities were cleared (non-root with file capabilities) */
    uid_t uid;
    gid_t gid;
    char user[64]; /* the name we now run as ("" when unknown) */
};

/*
 * user: -Z USER, or NULL for the default (PRIVS_DEFAULT_USER when root; when not root, the
 * process stays the same user and only clears its capabilities). -Z naming another user when
 * not root is an error. `res` may be NULL.
 */
int privs_drop(const char *user, struct privs_result *res, char *errbuf);

#endif
