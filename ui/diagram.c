/*
 * What the two diagram views (view_ladder.c: one connection; view_flow.c: every host) share:
 * saving in the four formats through the save prompt, the moves that select an arrow's packet,
 * Enter, a click, and finding an arrow by its frame.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "ui/internal.h"

/* ui_save_fn: the diagram in the format asked for. */
static void save_write(struct ui *ui, int fd, const char *path, void *ctx)
{
    struct ui_diagram *dg = ctx;
    FILE *out = fdopen(fd, "w");
    if (!out) {
        close(fd);
        ui_message(ui, true, "cannot write %s: %s", path, strerror(errno));
        return;
    }
    int r = dg->print(dg->ctx, dg->save_format, out);
    if (fclose(out) != 0 || r < 0) {
        ui_message(ui, true, "writing %s failed: %s", path, strerror(errno));
        return;
    }
    ui_message(ui, false, "saved the %s as %s", dg->noun, path);
}

/* Asks for the file name, STEM.EXT by default (ui_save_prompt: an existing file is replaced
 * only when the user says so, a symbolic link never). */
static void save(struct ui *ui, struct ui_diagram *dg, enum ladder_format f)
{
    static const char *const ext[] = {"txt", "mmd", "puml", "svg"};
    static const char *const fmt[] = {"text", "Mermaid", "PlantUML", "SVG"};
    char path[128], what[64];
    snprintf(path, sizeof(path), "%s.%s", dg->stem, ext[f]);
    snprintf(what, sizeof(what), "the %s (%s)", dg->noun, fmt[f]);
    dg->save_format = f;
    ui_save_prompt(ui, what, path, save_write, dg);
}

bool ui_diagram_request(struct ui *ui, struct view *v, struct ui_diagram *dg, enum request r,
                        size_t n, size_t rows)
{
    switch (r) {
    case REQ_SAVE_TEXT:
        save(ui, dg, LADDER_TEXT);
        return true;
    case REQ_SAVE_SVG:
        save(ui, dg, LADDER_SVG);
        return true;
    case REQ_SAVE_MERMAID:
        save(ui, dg, LADDER_MERMAID);
        return true;
    case REQ_SAVE_PLANTUML:
        save(ui, dg, LADDER_PLANTUML);
        return true;
    case REQ_ENTER: {
        uint64_t frame = dg->row_frame(dg->ctx, v->cur);
        if (frame) {
            while (ui->depth > 0)
                ui_pop_view(ui);
            ui_select_frame(ui, frame);
        }
        return true;
    }
    default:
        if (!ui_nav(v, n, rows, r))
            return false;
        if (r != REQ_LEFT && r != REQ_RIGHT) {
            uint64_t frame = dg->row_frame(dg->ctx, v->cur);
            if (frame)
                ui_select_frame(ui, frame);
        }
        return true;
    }
}

void ui_diagram_click(struct ui *ui, struct view *v, struct ui_diagram *dg, size_t i, size_t n)
{
    if (i >= n)
        return;
    v->cur = i;
    uint64_t frame = dg->row_frame(dg->ctx, i);
    if (frame)
        ui_select_frame(ui, frame);
}

size_t ui_diagram_find(const void *arrows, size_t n, size_t size, uint64_t frame)
{
    const unsigned char *base = arrows;
    uint64_t f;
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        memcpy(&f, base + mid * size, sizeof(f));
        if (f < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo >= n)
        return SIZE_MAX;
    memcpy(&f, base + lo * size, sizeof(f));
    return f == frame ? lo : SIZE_MAX;
}
