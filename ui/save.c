/*
 * Saving to a file the user names (issue 12): the ladder's S/M/U and the packets' w open a
 * prompt with a default name; Enter creates the file without following a symbolic link and
 * without replacing an existing file unless the user says y at "overwrite? y/n"; Esc cancels.
 * Packets are re-read by their record offset (ui_read_packet) and written as -w writes them,
 * pcap or pcapng by the name's extension (capture/writer.h).
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/writer.h"
#include "ui/internal.h"
#include "util/outfile.h"

void ui_save_prompt(struct ui *ui, const char *what, const char *def, ui_save_fn fn, void *ctx)
{
    snprintf(ui->save.what, sizeof(ui->save.what), "%s", what);
    ui->save.fn = fn;
    ui->save.ctx = ctx;
    prompt_open(ui, PROMPT_SAVE, def);
}

void ui_save_label(const struct ui *ui, char *buf, size_t size)
{
    if (ui->prompt.kind == PROMPT_OVERWRITE)
        snprintf(buf, size, "%s exists; overwrite? y/n ", ui->save.path);
    else
        snprintf(buf, size, "Save %s as (Esc cancels): ", ui->save.what);
}

/* Creates the file (replacing an existing one of ours only with `overwrite`) and writes. */
static void save_to(struct ui *ui, bool overwrite)
{
    char err[PS_ERRBUF_SIZE];
    err[0] = '\0';
    int fd = outfile_create(ui->save.path, !overwrite, err);
    if (fd == -EEXIST) {
        ui->prompt.kind = PROMPT_OVERWRITE;
        ui->dirty = true;
        return;
    }
    if (fd < 0) {
        ui_message(ui, true, "not saved: %s", err[0] ? err : strerror(-fd));
        return;
    }
    ui->save.fn(ui, fd, ui->save.path, ui->save.ctx);
}

void ui_save_accept(struct ui *ui)
{
    snprintf(ui->save.path, sizeof(ui->save.path), "%s", ui->prompt.buf);
    if (!ui->save.path[0]) {
        ui_message(ui, true, "not saved: no file name given");
        return;
    }
    /* A symbolic link is refused before asking to overwrite it (O_NOFOLLOW would refuse it
     * anyway); saying so at once is clearer than a y/n about a file that is not there. */
    struct stat st;
    if (lstat(ui->save.path, &st) == 0 && S_ISLNK(st.st_mode)) {
        ui_message(ui, true,
                   "not saved: %s is a symbolic link, which pktscope never follows when creating "
                   "a file; remove it or choose another name",
                   ui->save.path);
        return;
    }
    save_to(ui, false);
}

void ui_save_overwrite_key(struct ui *ui, int ch)
{
    prompt_close(ui);
    if (ch == 'y' || ch == 'Y')
        save_to(ui, true);
    else
        ui_message(ui, false, "not saved: %s exists and was kept", ui->save.path);
}

void ui_write_packets(struct ui *ui, int fd, const char *path, uint8_t proto, uint32_t stream)
{
    char err[PS_ERRBUF_SIZE];
    struct writer *w = NULL;
    uint64_t written = 0, skipped = 0;
    /* The displayed packets: while paused, those on the screen. */
    size_t shown =
        ui->paused && ui->paused_nshown <= ui->lf.nshown ? ui->paused_nshown : ui->lf.nshown;
    size_t n = proto ? ui->idx.n : shown;
    bool failed = false;
    for (size_t k = 0; k < n && !failed; k++) {
        size_t i = proto ? k : ui_shown_at(ui, k);
        if (proto) {
            struct track_info ti_buf;
            const struct track_info *ti = index_ti(&ui->idx, i, &ti_buf);
            if (!(ti->flags & TI_HAS_STREAM) || ti->proto != proto || ti->stream != stream)
                continue;
        }
        struct packet pkt;
        if (ui_read_packet(ui, i, &pkt, err) != SOURCE_PACKET) {
            ui_message(ui, true, "writing %s stopped: %s", path, err);
            failed = true;
            break;
        }
        if (!w) {
            struct writer_info info;
            memset(&info, 0, sizeof(info));
            info.linktype = pkt.linktype;
            info.nanosecond = true;
            w = writer_open_fd(fd, path, writer_format_for(path), &info, err);
            fd = -1; /* the writer's now, even when it failed */
            if (!w) {
                ui_message(ui, true, "not saved: %s", err);
                return;
            }
        }
        int r = writer_write(w, &pkt, err);
        if (r == WRITER_SKIPPED)
            skipped++;
        else if (r < 0) {
            ui_message(ui, true, "writing %s failed: %s", path, err);
            failed = true;
        } else
            written++;
    }
    if (fd >= 0) { /* no packet at all: no file either */
        close(fd);
        unlink(path);
        if (!failed)
            ui_message(ui, true, "not saved: no packet to write");
        return;
    }
    if (w && writer_close(w, err) < 0 && !failed) {
        ui_message(ui, true, "writing %s failed: %s", path, err);
        failed = true;
    }
    if (failed)
        return;
    if (skipped)
        ui_message(ui, true,
                   "wrote %" PRIu64 " packet%s to %s; %" PRIu64
                   " of another link type did not fit a pcap file (name it .pcapng)",
                   written, written == 1 ? "" : "s", path, skipped);
    else
        ui_message(ui, false, "wrote %" PRIu64 " packet%s to %s", written, written == 1 ? "" : "s",
                   path);
}

void ui_write_shown(struct ui *ui, int fd, const char *path, void *ctx)
{
    (void)ctx;
    ui_write_packets(ui, fd, path, 0, 0);
}
