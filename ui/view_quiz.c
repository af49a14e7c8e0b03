/*
 * The quiz view (P, "predict"): while stepping, before the next packet is revealed, the class
 * predicts it: which of its two ends sends it, and for TCP its flags and relative sequence and
 * acknowledgement numbers, for ARP, DNS and ICMP echo whether it asks or answers. The answers
 * are typed at the status line's prompt (direction also with Left/Right); then the packet is
 * shown with each part marked right or wrong and why, from the tracker's model
 * (format/quiz_next.c, in the worksheet's words), and the score is kept per kind.
 *
 * How the packet stays hidden: the view covers the screen; opening it pauses the display (at
 * the selected packet, when not stepping yet), and each question takes one step (ui_step) whose
 * packet the view reads from the index but does not show until every part is answered. Closing the
 * view (q, Esc) leaves the list at the last packet revealed; the score lasts as long as the view.
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "format/quiz.h"
#include "ui/internal.h"

enum quiz_state { QS_WAIT, QS_ASK, QS_REVEAL, QS_END };

static const char *const part_name[QUIZ_PART__COUNT] = {"who sends it", "flags", "seq", "ack",
                                                        "asks or answers"};

struct quiz_priv {
    enum quiz_state state;
    size_t vis0; /* the list's packets before the step: the one asked about is shown[vis0] */
    size_t idx;  /* its packet index */
    uint64_t frame;
    struct quiz_next qn;
    struct summary sum, prev;
    bool have_prev;
    char explain[512];
    char error[96]; /* an answer that was not one, said on the view (the prompt takes the
                     * status line) */
    int part;       /* the part being asked */
    char answer[QUIZ_PART__COUNT][64]; /* as typed, canonical */
    bool right[QUIZ_PART__COUNT];
    unsigned score_right[QUIZ_PART__COUNT], score_asked[QUIZ_PART__COUNT];
    struct lines ls;
};

static struct quiz_priv *top_priv(const struct ui *ui)
{
    if (ui->depth == 0 || ui->stack[ui->depth - 1]->ops != &view_quiz_ops)
        return NULL;
    return ui->stack[ui->depth - 1]->priv;
}

static int next_part(const struct quiz_priv *p, int from)
{
    for (int i = from; i < QUIZ_PART__COUNT; i++)
        if (p->qn.asks[i])
            return i;
    return QUIZ_PART__COUNT;
}

/* The next question: one step, whose packet comes now or when the source gives it. */
static void ask_next(struct ui *ui, struct quiz_priv *p)
{
    if (!ui->paused) {
        /* Not stepping yet: the lesson goes on from the selected packet, the list showing the
         * capture as of it (as a step back would). */
        size_t vis = ui_visible_count(ui);
        ui->paused = true;
        ui->paused_nshown = vis && ui->sel + 1 < vis ? ui->sel + 1 : vis;
        if (ui->paused_nshown < vis)
            ui->step_back_count++;
        replay_clock_restart(&ui->in.replay);
    }
    p->vis0 = ui_visible_count(ui);
    if (p->vis0 >= ui->lf.nshown && ui->in.eof) {
        p->state = QS_END;
        return;
    }
    p->have_prev = false;
    if (p->vis0 > 0) {
        const struct summary *s = ui_summary(ui, ui_shown_at(ui, p->vis0 - 1));
        if (s) {
            p->prev = *s;
            p->have_prev = true;
        }
    }
    p->state = QS_WAIT;
    ui_step(ui, +1);
    ui->msg[0] = '\0';
}

/* The packet came: read what there is to ask about it. */
static void packet_came(struct ui *ui, struct quiz_priv *p)
{
    p->idx = ui_shown_at(ui, p->vis0);
    p->frame = ui_frame(ui, p->idx);
    struct packet pkt;
    char err[PS_ERRBUF_SIZE];
    if (ui_read_packet(ui, p->idx, &pkt, err) != SOURCE_PACKET) {
        ui_message(ui, true, "%s", err);
        p->state = QS_END;
        return;
    }
    struct track_info ti_buf;
    const struct track_info *ti = index_ti(&ui->idx, p->idx, &ti_buf);
    ui_dissect(ui, p->idx, &pkt, ui->scratch);
    bool any = quiz_next_of(ui->scratch, ti, &p->qn);
    format_explain(ti, ui->scratch, p->explain, sizeof(p->explain));
    const struct summary *s = ui_summary(ui, p->idx);
    if (s)
        p->sum = *s;
    else
        memset(&p->sum, 0, sizeof(p->sum));
    memset(p->answer, 0, sizeof(p->answer));
    memset(p->right, 0, sizeof(p->right));
    if (!any) {
        /* Nothing to predict (no two ends): shown as it is. */
        p->state = QS_REVEAL;
        return;
    }
    p->part = next_part(p, 0);
    p->state = QS_ASK;
    prompt_open(ui, PROMPT_QUIZ, NULL);
}

static void reveal(struct quiz_priv *p)
{
    for (int i = 0; i < QUIZ_PART__COUNT; i++) {
        if (!p->qn.asks[i])
            continue;
        p->score_asked[i]++;
        if (p->right[i])
            p->score_right[i]++;
    }
    p->state = QS_REVEAL;
}

/* The expected answer of part i as the screen writes it. */
static void expected(const struct quiz_priv *p, int i, char *buf, size_t size)
{
    const struct quiz_next *q = &p->qn;
    switch (i) {
    case QUIZ_PART_DIR:
        snprintf(buf, size, "%u", q->dir);
        break;
    case QUIZ_PART_FLAGS:
        snprintf(buf, size, "%s", q->flags);
        break;
    case QUIZ_PART_SEQ:
        snprintf(buf, size, "%" PRIu32, q->seq);
        break;
    case QUIZ_PART_ACK:
        if (q->has_ack)
            snprintf(buf, size, "%" PRIu32, q->ack);
        else
            snprintf(buf, size, "none");
        break;
    default:
        snprintf(buf, size, "%s", q->kind ? q->kind_name[q->kind - 1] : "");
        break;
    }
}

bool view_quiz_asks_direction(const struct ui *ui)
{
    const struct quiz_priv *p = top_priv(ui);
    return p && p->state == QS_ASK && p->part == QUIZ_PART_DIR;
}

void view_quiz_label(const struct ui *ui, char *buf, size_t size)
{
    const struct quiz_priv *p = top_priv(ui);
    static const char *const ask[QUIZ_PART__COUNT] = {
        "Who sends it? 1 or 2 (Left/Right): ",
        "Its flags (letters of S A F R P): ",
        "Its seq (relative): ",
        "Its ack (relative; empty: no ACK flag): ",
        "Asks or answers? q or a: ",
    };
    snprintf(buf, size, "%s", p && p->part < QUIZ_PART__COUNT ? ask[p->part] : "Answer: ");
}

void view_quiz_accept(struct ui *ui)
{
    struct quiz_priv *p = top_priv(ui);
    if (!p || p->state != QS_ASK)
        return;
    const char *t = ui->prompt.buf;
    while (*t == ' ')
        t++;
    const struct quiz_next *q = &p->qn;
    char *a = p->answer[p->part];
    size_t asz = sizeof(p->answer[0]);
    unsigned long n;
    bool ok = true;
    switch (p->part) {
    case QUIZ_PART_DIR:
        ok = (t[0] == '1' || t[0] == '2') && t[1] == '\0';
        if (ok) {
            snprintf(a, asz, "%c", t[0]);
            p->right[p->part] = (unsigned)(t[0] - '0') == q->dir;
        }
        break;
    case QUIZ_PART_FLAGS: {
        char f[6];
        ok = quiz_flags_parse(t, f);
        if (ok) {
            snprintf(a, asz, "%s", f[0] ? f : "none");
            p->right[p->part] = strcmp(f, q->flags) == 0;
        }
        break;
    }
    case QUIZ_PART_SEQ:
    case QUIZ_PART_ACK:
        if (p->part == QUIZ_PART_ACK && (t[0] == '\0' || t[0] == '-')) {
            snprintf(a, asz, "none");
            p->right[p->part] = !q->has_ack;
            break;
        }
        ok = parse_ulong(t, 0, UINT32_MAX, &n) == 0;
        if (ok) {
            snprintf(a, asz, "%lu", n);
            p->right[p->part] = p->part == QUIZ_PART_SEQ ? n == q->seq : q->has_ack && n == q->ack;
        }
        break;
    default:
        ok = (t[0] == 'q' || t[0] == 'a' || t[0] == 'Q' || t[0] == 'A') && t[1] == '\0';
        if (ok) {
            unsigned k = (t[0] == 'q' || t[0] == 'Q') ? 1 : 2;
            snprintf(a, asz, "%s", q->kind_name[k - 1]);
            p->right[p->part] = k == q->kind;
        }
        break;
    }
    if (!ok) {
        snprintf(p->error, sizeof(p->error), "'%.40s' is not an answer to \"%s\"", t,
                 part_name[p->part]);
        prompt_open(ui, PROMPT_QUIZ, NULL);
        return;
    }
    p->error[0] = '\0';
    p->part = next_part(p, p->part + 1);
    if (p->part < QUIZ_PART__COUNT)
        prompt_open(ui, PROMPT_QUIZ, NULL);
    else
        reveal(p);
    ui->dirty = true;
}

/* A paragraph wrapped at the view's width, its continuation lines indented. */
static void para(struct lines *ls, uint8_t attr, const char *text, size_t width, size_t indent)
{
    size_t n = strlen(text);
    bool first = true;
    while (n > 0) {
        size_t room = width > indent + 10 && !first ? width - indent : width;
        size_t k = lines_fit(text, n, room);
        lines_begin(ls, attr);
        if (!first)
            lines_addf(ls, attr, "%*s", (int)indent, "");
        lines_add(ls, attr, text, k);
        lines_end(ls);
        text += k;
        n -= k;
        while (n && *text == ' ') {
            text++;
            n--;
        }
        first = false;
    }
}

/* The score, per kind asked: the first line, so that it shows at any size. */
static void score_line(struct lines *ls, const struct quiz_priv *p, size_t w)
{
    char buf[256];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    sb_puts(&sb, "Score:");
    unsigned r = 0, a = 0;
    for (int i = 0; i < QUIZ_PART__COUNT; i++) {
        if (!p->score_asked[i])
            continue;
        sb_printf(&sb, " %s %u/%u,",
                  i == QUIZ_PART_DIR    ? "who"
                  : i == QUIZ_PART_KIND ? "asks"
                                        : part_name[i],
                  p->score_right[i], p->score_asked[i]);
        r += p->score_right[i];
        a += p->score_asked[i];
    }
    if (a)
        sb_printf(&sb, " all %u/%u", r, a);
    else
        sb_puts(&sb, " none asked yet");
    para(ls, ATTR_HEADER, buf, w, 2);
}

/* While asking: the packet before, the two ends, the parts answered so far. */
static void asking(struct lines *ls, const struct quiz_priv *p, size_t w)
{
    char buf[1024];
    snprintf(buf, sizeof(buf), "The next packet (%" PRIu64 ") is in %s, between:", p->frame,
             p->qn.what);
    para(ls, ATTR_NORMAL, buf, w, 2);
    for (int e = 0; e < 2; e++) {
        snprintf(buf, sizeof(buf), "  %d: %s%s%s%s", e + 1, p->qn.end[e],
                 p->qn.end_role[e][0] ? " (" : "", p->qn.end_role[e],
                 p->qn.end_role[e][0] ? ")" : "");
        para(ls, ATTR_ADDR, buf, w, 5);
    }
    for (int i = 0; i < QUIZ_PART__COUNT; i++) {
        if (!p->qn.asks[i])
            continue;
        snprintf(buf, sizeof(buf), "  %-16s %s", part_name[i],
                 i < p->part    ? p->answer[i]
                 : i == p->part ? "?"
                                : "");
        para(ls, i == p->part ? ATTR_HEADER : ATTR_NORMAL, buf, w, 2);
    }
    if (p->error[0])
        para(ls, ATTR_ERROR, p->error, w, 2);
    para(ls, ATTR_DIM, "Enter answers; Esc, then Enter: answer again; q: stop", w, 2);
}

/* Revealed: the packet, each part marked with why, the tracker's explanation. */
static void revealed(struct lines *ls, const struct quiz_priv *p, size_t w)
{
    char buf[1024];
    snprintf(buf, sizeof(buf), "Packet %" PRIu64 ": %s -> %s %s %s", p->frame, p->sum.src,
             p->sum.dst, p->sum.proto, p->sum.info);
    para(ls, ATTR_VALUE, buf, w, 2);
    for (int i = 0; i < QUIZ_PART__COUNT; i++) {
        if (!p->qn.asks[i])
            continue;
        char want[64];
        expected(p, i, want, sizeof(want));
        if (p->right[i])
            snprintf(buf, sizeof(buf), "[right] %s: %s. %s", part_name[i], want, p->qn.why[i]);
        else
            snprintf(buf, sizeof(buf), "[wrong] %s: %s, not %s. %s", part_name[i], want,
                     p->answer[i], p->qn.why[i]);
        para(ls, p->right[i] ? ATTR_NORMAL : ATTR_ERROR, buf, w, 8);
    }
    if (p->explain[0]) {
        snprintf(buf, sizeof(buf), "Why: %s", p->explain);
        para(ls, ATTR_NOTE, buf, w, 2);
    }
}

static void build(struct view *v, struct quiz_priv *p)
{
    struct lines *ls = &p->ls;
    size_t w = v->w > 0 ? (size_t)v->w : 80;
    char buf[1024];
    lines_reset(ls);
    score_line(ls, p, w);
    if (p->have_prev && p->state != QS_REVEAL) {
        snprintf(buf, sizeof(buf), "Last shown: %s -> %s %s %s", p->prev.src, p->prev.dst,
                 p->prev.proto, p->prev.info);
        para(ls, ATTR_DIM, buf, w, 2);
    }
    if (p->state == QS_WAIT) {
        para(ls, ATTR_NORMAL, "Waiting for the next packet...", w, 2);
    } else if (p->state == QS_END) {
        para(ls, ATTR_NORMAL, "That was the last packet: no more to predict.", w, 2);
    } else if (!p->qn.asks[QUIZ_PART_DIR]) {
        snprintf(buf, sizeof(buf), "Packet %" PRIu64 " has no two ends to predict: %s %s", p->frame,
                 p->sum.proto, p->sum.info);
        para(ls, ATTR_NORMAL, buf, w, 2);
    } else if (p->state == QS_ASK) {
        asking(ls, p, w);
    } else {
        revealed(ls, p, w);
    }
}

static void quiz_open(struct ui *ui, struct view *v)
{
    struct quiz_priv *p = xcalloc(1, sizeof(*p));
    lines_init(&p->ls);
    v->priv = p;
    ask_next(ui, p);
}

static void quiz_close(struct ui *ui, struct view *v)
{
    struct quiz_priv *p = v->priv;
    if (ui->prompt.kind == PROMPT_QUIZ)
        prompt_close(ui);
    if (p) {
        lines_release(&p->ls);
        free(p);
    }
}

static void quiz_draw(struct ui *ui, struct view *v)
{
    struct quiz_priv *p = v->priv;
    if (p->state == QS_WAIT && ui_visible_count(ui) > p->vis0)
        packet_came(ui, p);
    else if (p->state == QS_WAIT && ui->in.eof && ui_visible_count(ui) <= p->vis0)
        p->state = QS_END;
    build(v, p);
    ui_draw_bar(ui, v, true, " Quiz: predict the next packet");
    ui_draw_lines(ui, v, &p->ls, false);
}

/* While waiting for the packet, the loop must come back to draw when it arrives. */
static bool quiz_work(struct ui *ui, struct view *v)
{
    struct quiz_priv *p = v->priv;
    if (p->state == QS_WAIT && ui_visible_count(ui) > p->vis0)
        ui->dirty = true;
    return false;
}

static bool quiz_request(struct ui *ui, struct view *v, enum request r)
{
    struct quiz_priv *p = v->priv;
    switch (r) {
    case REQ_VIEW_QUIZ:
    case REQ_STEP:
    case REQ_ENTER:
        if (p->state == QS_REVEAL)
            ask_next(ui, p);
        else if (p->state == QS_ASK)
            prompt_open(ui, PROMPT_QUIZ, NULL);
        return true;
    default: {
        size_t rows = v->h > 1 ? (size_t)v->h - 1 : 1;
        return ui_nav(v, p->ls.n, rows, r);
    }
    }
}

const struct view_ops view_quiz_ops = {
    .name = "quiz",
    .open = quiz_open,
    .draw = quiz_draw,
    .request = quiz_request,
    .close = quiz_close,
    .work = quiz_work,
};
