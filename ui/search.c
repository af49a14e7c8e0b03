/*
 * Searching the list (/, n, N): text in a row's columns or in the packet's bytes, hex bytes
 * (x:), or a regular expression on the row (r:). A search runs in the background in slices over
 * the shown packets, from the selection on, wrapping once; Esc stops it.
 */
#include <inttypes.h>
#include <regex.h>
#include <stdio.h>
#include <string.h>

#include "ui/internal.h"

bool search_compile(struct ui *ui, const char *text)
{
    if (ui->search.re_ok) {
        regfree(&ui->search.re);
        ui->search.re_ok = false;
    }
    ui->search.have = false;
    if (strncmp(text, "x:", 2) == 0) {
        ui->search.kind = SEARCH_HEX;
        ui->search.nbytes = 0;
        int hi = -1;
        for (const char *p = text + 2; *p; p++) {
            if (*p == ' ' || *p == ':')
                continue;
            int v = hex_digit(*p);
            if (v < 0) {
                ui_message(ui, true, "x: wants hex bytes (x:474554 or x:47 45 54), not '%c'", *p);
                return false;
            }
            if (hi < 0) {
                hi = v;
            } else {
                if (ui->search.nbytes == sizeof(ui->search.bytes)) {
                    ui_message(ui, true, "hex search: at most %zu bytes", sizeof(ui->search.bytes));
                    return false;
                }
                ui->search.bytes[ui->search.nbytes++] = (uint8_t)(hi << 4 | v);
                hi = -1;
            }
        }
        if (hi >= 0 || ui->search.nbytes == 0) {
            ui_message(ui, true, "hex search wants whole bytes: two hex digits each");
            return false;
        }
    } else if (strncmp(text, "r:", 2) == 0) {
        ui->search.kind = SEARCH_REGEX;
        int rc = regcomp(&ui->search.re, text + 2, REG_EXTENDED | REG_ICASE | REG_NOSUB);
        if (rc != 0) {
            char eb[128];
            regerror(rc, &ui->search.re, eb, sizeof(eb));
            ui_message(ui, true, "regex: %s", eb);
            return false;
        }
        ui->search.re_ok = true;
    } else {
        ui->search.kind = SEARCH_TEXT;
        if (!text[0]) {
            ui_message(ui, true, "empty search");
            return false;
        }
    }
    snprintf(ui->search.text, sizeof(ui->search.text), "%s", text);
    ui->search.have = true;
    return true;
}

static uint8_t fold_ascii(uint8_t c)
{
    return c >= 'A' && c <= 'Z' ? (uint8_t)(c + 32) : c;
}

/* memmem, optionally ignoring the case of ASCII letters. */
static bool mem_contains(const uint8_t *hay, size_t n, const uint8_t *needle, size_t k, bool fold)
{
    if (k == 0 || k > n)
        return false;
    for (size_t i = 0; i + k <= n; i++) {
        size_t j = 0;
        if (fold)
            while (j < k && fold_ascii(hay[i + j]) == fold_ascii(needle[j]))
                j++;
        else
            while (j < k && hay[i + j] == needle[j])
                j++;
        if (j == k)
            return true;
    }
    return false;
}

static bool search_match(struct ui *ui, size_t idx)
{
    const struct summary *s = ui_summary(ui, idx);
    if (s && ui->search.kind != SEARCH_HEX) {
        char line[sizeof(s->info) + 200];
        snprintf(line, sizeof(line), "%" PRIu64 " %s %s %s %s %s", ui_frame(ui, idx), s->src,
                 s->dst, s->proto, s->phase, s->info);
        if (ui->search.kind == SEARCH_REGEX)
            return regexec(&ui->search.re, line, 0, NULL, 0) == 0;
        if (mem_contains((const uint8_t *)line, strlen(line), (const uint8_t *)ui->search.text,
                         strlen(ui->search.text), true))
            return true;
    }
    if (ui->search.kind == SEARCH_REGEX)
        return false;
    struct packet pkt;
    char err[PS_ERRBUF_SIZE];
    if (ui_read_packet(ui, idx, &pkt, err) != SOURCE_PACKET)
        return false;
    if (ui->search.kind == SEARCH_HEX)
        return mem_contains(pkt.data, pkt.caplen, ui->search.bytes, ui->search.nbytes, false);
    return mem_contains(pkt.data, pkt.caplen, (const uint8_t *)ui->search.text,
                        strlen(ui->search.text), false);
}

void search_start(struct ui *ui, int dir)
{
    if (!ui->search.have) {
        ui_message(ui, true, "no search yet: press / to search");
        return;
    }
    if (ui_visible_count(ui) == 0)
        return;
    ui->search.working = true;
    ui->search.dir = dir;
    ui->search.pos = ui->sel;
    ui->search.steps = 0;
    ui->dirty = true;
}

bool search_work(struct ui *ui, int64_t deadline)
{
    size_t n = ui_visible_count(ui);
    unsigned k = 0;
    while (ui->search.steps < n) {
        ui->search.steps++;
        if (ui->search.dir > 0)
            ui->search.pos = ui->search.pos + 1 < n ? ui->search.pos + 1 : 0;
        else
            ui->search.pos = ui->search.pos > 0 ? ui->search.pos - 1 : n - 1;
        if (search_match(ui, ui_shown_at(ui, ui->search.pos))) {
            ui->search.working = false;
            bool wrapped =
                ui->search.dir > 0 ? ui->search.pos <= ui->sel : ui->search.pos >= ui->sel;
            ui->sel = ui->search.pos;
            ui->follow_new = false;
            ui_load_selection(ui);
            ui_message(ui, false, "Found '%s' in packet %" PRIu64 "%s", ui->search.text,
                       ui_frame(ui, ui_shown_at(ui, ui->search.pos)),
                       wrapped ? " (search wrapped)" : "");
            return false;
        }
        if (++k % 64 == 0 && ui_now_ms() >= deadline)
            return true;
    }
    ui->search.working = false;
    ui_message(ui, true, "Not found: '%s'", ui->search.text);
    return false;
}

void search_cancel(struct ui *ui)
{
    ui->search.working = false;
    ui_message(ui, false, "search cancelled");
}

void search_release(struct ui *ui)
{
    if (ui->search.re_ok)
        regfree(&ui->search.re);
    ui->search.re_ok = false;
    ui->search.working = false;
}
