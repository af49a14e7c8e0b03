#include "util/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/util.h"

int outfile_create(const char *path, bool exclusive, char *errbuf)
{
    int flags = O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC | (exclusive ? O_EXCL : 0);
    int fd = open(path, flags, 0644);
    if (fd < 0) {
        int err = errno;
        if (exclusive && err == EEXIST) {
            ps_err(errbuf, "%s already exists", path);
            return -EEXIST;
        }
        if (err == ELOOP) {
            ps_err(errbuf,
                   "refusing to write %s: it is a symbolic link, which pktscope never follows "
                   "when creating a file (one planted in a shared directory could redirect the "
                   "write); remove it or give the real path",
                   path);
            return -ELOOP;
        }
        errno = err; /* the caller words the usual errors (permissions, no such directory) */
        return -err;
    }
    struct stat st;
    if (fstat(fd, &st) < 0) {
        int err = errno;
        close(fd);
        ps_err(errbuf, "cannot create %s: %s", path, strerror(err));
        return -err;
    }
    if (!S_ISREG(st.st_mode))
        return fd; /* a device or FIFO: written as is */
    if (st.st_uid != geteuid()) {
        close(fd);
        ps_err(errbuf,
               "refusing to overwrite %s: it belongs to another user (uid %lu, we run as %lu); "
               "remove it or choose another name",
               path, (unsigned long)st.st_uid, (unsigned long)geteuid());
        return -EPERM;
    }
    if (!exclusive && st.st_size > 0 && ftruncate(fd, 0) < 0) {
        int err = errno;
        close(fd);
        ps_err(errbuf, "cannot truncate %s: %s", path, strerror(err));
        return -err;
    }
    return fd;
}

int outfile_temporary(const char *what, const char *hint, char *errbuf)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    char path[4096];
    snprintf(path, sizeof(path), "%s/pktscope-XXXXXX", dir);
    int fd = mkostemp(path, O_CLOEXEC);
    if (fd < 0)
        return ps_err(errbuf, "cannot create a temporary file in %s to hold %s: %s; %s", dir, what,
                      strerror(errno), hint);
    unlink(path);
    return fd;
}
