/*
 * privs: drop to an unprivileged user after opening the interface, and prove it held.
 */
#include "capture/privs.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifdef __linux__
#include <linux/capability.h>
#endif

#include "util/util.h"

#ifdef __linux__
/* capget/capset without libcap: version 3 carries two 32-bit words per set. */
static int caps_get(struct __user_cap_data_struct data[2])
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    return (int)syscall(SYS_capget, &hdr, data);
}

static bool caps_any(void)
{
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof(d));
    if (caps_get(d) < 0)
        return false;
    return d[0].effective || d[1].effective || d[0].permitted || d[1].permitted;
}

static int caps_clear(void)
{
    struct __user_cap_header_struct hdr = {_LINUX_CAPABILITY_VERSION_3, 0};
    struct __user_cap_data_struct d[2];
    memset(d, 0, sizeof(d));
    return (int)syscall(SYS_capset, &hdr, d);
}
#else
static bool caps_any(void)
{
    return false;
}

static int caps_clear(void)
{
    return 0;
}
#endif

/* After the drop: every id is the target's, no capability is left, and none can be regained. */
static int verify(uid_t uid, gid_t gid, const char *user, char *errbuf)
{
    uid_t ru, eu, su;
    gid_t rg, eg, sg;
    if (getresuid(&ru, &eu, &su) < 0 || getresgid(&rg, &eg, &sg) < 0)
        return ps_err(errbuf, "cannot check the user ids after dropping privileges: %s",
                      strerror(errno));
    if (ru != uid || eu != uid || su != uid || rg != gid || eg != gid || sg != gid)
        return ps_err(errbuf,
                      "dropping privileges to %s did not take effect (uid %lu/%lu/%lu "
                      "gid %lu/%lu/%lu); refusing to capture with privileges",
                      user, (unsigned long)ru, (unsigned long)eu, (unsigned long)su,
                      (unsigned long)rg, (unsigned long)eg, (unsigned long)sg);
    if (uid != 0 && (setuid(0) == 0 || seteuid(0) == 0))
        return ps_err(errbuf,
                      "after dropping privileges to %s the process could become root "
                      "again; refusing to go on",
                      user);
    if (gid != 0 && (setgid(0) == 0 || setegid(0) == 0))
        return ps_err(errbuf,
                      "after dropping privileges to %s the process could regain group "
                      "0; refusing to go on",
                      user);
    if (uid != 0 && caps_any())
        return ps_err(errbuf,
                      "after dropping privileges to %s capabilities remain; refusing "
                      "to go on",
                      user);
    return 0;
}

static void fill_result(struct privs_result *res, bool changed, bool caps, const char *user)
{
    if (!res)
        return;
    res->changed_user = changed;
    res->dropped_caps = caps;
    res->uid = getuid();
    res->gid = getgid();
    snprintf(res->user, sizeof(res->user), "%s", user ? user : "");
}

int privs_drop(const char *user, struct privs_result *res, char *errbuf)
{
    uid_t uid = getuid(), euid = geteuid();
    bool root = uid == 0 || euid == 0;

    if (!root) {
        struct passwd *self = getpwuid(uid);
        const char *self_name = self ? self->pw_name : "";
        if (user && strcmp(user, self_name) != 0)
            return ps_err(errbuf, "-Z %s: only root can switch to another user (running as %s)",
                          user, *self_name ? self_name : "an unnamed user");
        /* A binary given cap_net_raw/cap_net_admin with setcap: give them up now. */
        bool had = caps_any();
        if (had && caps_clear() < 0)
            return ps_err(errbuf, "cannot give up capabilities: %s; refusing to go on",
                          strerror(errno));
        /* The set-uid case: make the real id the effective one for good. */
        if (uid != euid && setresuid(uid, uid, uid) < 0)
            return ps_err(errbuf, "cannot drop the effective user id: %s", strerror(errno));
        if (had || uid != euid) {
            int rc = verify(uid, getgid(), self_name, errbuf);
            if (rc < 0)
                return rc;
        }
        fill_result(res, false, had, self_name);
        return 0;
    }

    const char *name = user ? user : PRIVS_DEFAULT_USER;
    errno = 0;
    struct passwd *pw = getpwnam(name);
    if (!pw)
        return ps_err(errbuf,
                      "cannot drop privileges: no user named \"%s\"%s; name an "
                      "existing unprivileged user with -Z USER",
                      name, user ? "" : " (the default)");
    uid_t tuid = pw->pw_uid;
    gid_t tgid = pw->pw_gid;
    char tname[64];
    snprintf(tname, sizeof(tname), "%s", pw->pw_name);
    if (tuid == 0)
        return ps_err(errbuf, "-Z %s: that user is root; name an unprivileged user", name);

    /* Groups first, then gid, then uid: after setuid() nothing else could be changed. */
    if (initgroups(tname, tgid) < 0 && setgroups(1, &tgid) < 0)
        return ps_err(errbuf, "cannot set the groups of %s: %s", tname, strerror(errno));
    if (setresgid(tgid, tgid, tgid) < 0)
        return ps_err(errbuf, "cannot switch to group %lu of %s: %s", (unsigned long)tgid, tname,
                      strerror(errno));
    if (setresuid(tuid, tuid, tuid) < 0)
        return ps_err(errbuf, "cannot switch to user %s: %s", tname, strerror(errno));
#ifdef PR_SET_DUMPABLE
    /* A process that was root keeps secrets (the capture) others should not ptrace into. */
    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
#endif
    int rc = verify(tuid, tgid, tname, errbuf);
    if (rc < 0)
        return rc;
    /* Supplementary groups must not include root's. */
    gid_t groups[256];
    int ng = getgroups((int)ARRAY_SIZE(groups), groups);
    for (int i = 0; i < ng; i++)
        if (groups[i] == 0)
            return ps_err(errbuf,
                          "after dropping privileges to %s group 0 remains; refusing to "
                          "go on",
                          tname);
    fill_result(res, true, true, tname);
    return 0;
}
