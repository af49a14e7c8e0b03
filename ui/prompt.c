/*
 * The prompt on the status line: search (/), filter (f), go to packet (:) and a file name to save
 * to (save.c). While it is open it takes every key; Enter hands the text to its owner, Esc or
 * Backspace on an empty line closes it.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "ui/internal.h"
#include "ui/settings.h"

void prompt_close(struct ui *ui)
{
    ui->prompt.kind = PROMPT_NONE;
    curs_set(0);
    ui->dirty = true;
}

void prompt_open(struct ui *ui, enum prompt_kind kind, const char *init)
{
    ui->prompt.kind = kind;
    snprintf(ui->prompt.buf, sizeof(ui->prompt.buf), "%s", init ? init : "");
    ui->prompt.len = strlen(ui->prompt.buf);
    ui->msg[0] = '\0';
    curs_set(1);
    ui->dirty = true;
}

static void goto_packet(struct ui *ui, const char *text)
{
    unsigned long n;
    uint64_t total = ui->idx.base + index_count(&ui->idx);
    if (parse_ulong(text, 1, SIZE_MAX, &n) < 0) {
        ui_message(ui, true, "go to packet: a packet number from 1 to %" PRIu64 ", not '%s'", total,
                   text);
        return;
    }
    if (n > total) {
        ui_message(ui, true, "there is no packet %lu yet (%" PRIu64 " so far)", n, total);
        return;
    }
    if (n <= ui->idx.base) {
        ui_select_frame(ui, n); /* says why it cannot */
        return;
    }
    if (ui->depth > 0)
        while (ui->depth > 0)
            ui_pop_view(ui);
    if (!ui_select_frame(ui, n))
        ui_message(ui, true, "packet %lu is hidden by the filter; showing the next one", n);
}

static void prompt_accept(struct ui *ui)
{
    enum prompt_kind kind = ui->prompt.kind;
    prompt_close(ui);
    ui->prompt.buf[ui->prompt.len] = '\0';
    switch (kind) {
    case PROMPT_SEARCH:
        if (search_compile(ui, ui->prompt.buf))
            search_start(ui, +1);
        break;
    case PROMPT_FILTER:
        ui_set_filter(ui, ui->prompt.buf);
        break;
    case PROMPT_GOTO:
        goto_packet(ui, ui->prompt.buf);
        break;
    case PROMPT_SAVE: /* ladderfiles */
        ui_save_accept(ui);
        break;
    case PROMPT_COLUMN:
        view_columns_accept(ui);
        break;
    case PROMPT_QUIZ:
        view_quiz_accept(ui);
        break;
    default:
        break;
    }
    ui->dirty = true;
}

void prompt_key(struct ui *ui, int ch)
{
    if (ui->prompt.kind == PROMPT_OVERWRITE) { /* ladderfiles: y/n */
        ui_save_overwrite_key(ui, ch);
        return;
    }
    if (ui->prompt.kind == PROMPT_QUIZ && (ch == KEY_LEFT || ch == KEY_RIGHT) &&
        view_quiz_asks_direction(ui)) {
        snprintf(ui->prompt.buf, sizeof(ui->prompt.buf), "%c", ch == KEY_LEFT ? '1' : '2');
        ui->prompt.len = 1;
        prompt_accept(ui);
        return;
    }
    if (ch == 27) {
        prompt_close(ui);
    } else if (ch == '\n' || ch == '\r' || ch == KEY_ENTER) {
        prompt_accept(ui);
    } else if (ch == KEY_BACKSPACE || ch == 127 || ch == 8) {
        if (ui->prompt.len > 0)
            ui->prompt.len--;
        else
            prompt_close(ui);
    } else if (ch == 21) { /* Ctrl-U */
        ui->prompt.len = 0;
    } else if (ch >= 0x20 && ch < 0x7f && ui->prompt.len + 1 < sizeof(ui->prompt.buf)) {
        ui->prompt.buf[ui->prompt.len++] = (char)ch;
    }
    ui->prompt.buf[ui->prompt.len] = '\0';
    ui->dirty = true;
}

/* Draws the prompt on row y, with the cursor after its text. */
void prompt_draw(struct ui *ui, int y)
{
    const char *label =
        ui->prompt.kind == PROMPT_SEARCH   ? "Search (text, x:hex, r:regex): "
        : ui->prompt.kind == PROMPT_FILTER ? "Filter (display filter or BPF; empty clears): "
        : ui->prompt.kind == PROMPT_COLUMN ? "Add column (a field, or no, time, ...): "
                                           : "Go to packet: ";
    char buf[700], save_label[400];
    if (ui->prompt.kind == PROMPT_SAVE || ui->prompt.kind == PROMPT_OVERWRITE) {
        ui_save_label(ui, save_label, sizeof(save_label));
        label = save_label;
    } else if (ui->prompt.kind == PROMPT_QUIZ) {
        view_quiz_label(ui, save_label, sizeof(save_label));
        label = save_label;
    }
    snprintf(buf, sizeof(buf), "%s%s", label,
             ui->prompt.kind == PROMPT_OVERWRITE ? "" : ui->prompt.buf);
    /* Too long for the line (a file name at 60 columns): the end shows, where the cursor is,
     * after an ellipsis ("~" without UTF-8); the text typed is ASCII, one column a byte. */
    const char *shown = buf;
    size_t len = strlen(buf);
    if (ui->cols > 2 && len + 1 > (size_t)ui->cols) {
        const char *e = ui->utf8 ? "\xe2\x80\xa6" : "~";
        char tail[sizeof(buf) + 4];
        snprintf(tail, sizeof(tail), "%s%s", e, buf + len - ((size_t)ui->cols - 2));
        ui_draw_text(ui, y, 0, ui->cols, A_BOLD, tail);
        move(y, ui->cols - 1);
        return;
    }
    ui_draw_text(ui, y, 0, ui->cols, A_BOLD, shown);
    int cx = (int)len;
    move(y, cx < ui->cols ? cx : ui->cols - 1);
}
