/*
 * outfile: creating the files pktscope writes (-w, the TUI's ladder saves) so that a planted
 * name cannot redirect the write.
 *
 * In a shared, sticky, world-writable directory (/tmp) another user can plant a symbolic link
 * or a file of their own under the name pktscope is about to write; root following the link
 * overwrote a root-only file (issue 13). Invariants of outfile_create():
 *  - the last component is never followed if it is a symbolic link (O_NOFOLLOW): refused, with
 *    a message naming the file;
 *  - an existing regular file is reused (truncated) only when it belongs to the effective user;
 *    one of another owner is refused;
 *  - a device or FIFO (-w /dev/null, a named pipe) is written as is, never truncated;
 *  - with `exclusive`, an existing name of any kind is refused with -EEXIST (O_EXCL), so a
 *    caller that must not overwrite can choose another name.
 * Returns the descriptor, or a negative value with errbuf set (-EEXIST for an existing name
 * under `exclusive`).
 */
#ifndef PKTSCOPE_UTIL_OUTFILE_H
#define PKTSCOPE_UTIL_OUTFILE_H

#include <stdbool.h>

int outfile_create(const char *path, bool exclusive, char *errbuf);

/* A temporary file for `what` ("the captured packets"), made in $TMPDIR (or /tmp) with a name
 * no one else holds (mkostemp) and unlinked at once, so its space is given back on exit, even
 * after a crash. Returns the descriptor, or -1 with errbuf set, the message ending in `hint`
 * (what the user can do instead). */
int outfile_temporary(const char *what, const char *hint, char *errbuf);

#endif
