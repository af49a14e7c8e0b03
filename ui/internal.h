/*
 * ui internals: the state shared by the TUI's files (the packet index, the views, the key table,
 * the colour table), private to ui/. Only ui/ includes curses.
 *
 * The shape (tig's): keys map to an `enum request` defined once with its help text
 * (requests.def, keys.c); each view implements `struct view_ops` in its own file; one poll()
 * loop (ui.c) serves the keyboard, the packet source and background work (indexing, filtering,
 * searching, building a ladder) in bounded slices, and redraws at most ~30 times a second.
 *
 * Invariants:
 *  - the UI keeps per packet only a fixed index entry (record offset, timestamp, lengths) and the
 *    tracker's small track_info; packet bytes are re-read on demand through the source's
 *    read_at() (or a bounded in-memory store for sources without random access);
 *  - only visible packets are dissected for display (a small direct-mapped summary cache);
 *  - no packet byte reaches the terminal except through the formatters' safe text, and
 *    ui_draw_line() maps anything that is not printable ASCII (or UTF-8 in a UTF-8 locale) to
 *    '?' or '.', so not even a formatter's bug can send a control byte.
 */
#ifndef PKTSCOPE_UI_INTERNAL_H
#define PKTSCOPE_UI_INTERNAL_H

#include <curses.h>
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "capture/source.h"
#include "dissect/dissect.h"
#include "filter/filter.h"
#include "format/format.h"
#include "format/ladder.h"
#include "format/line.h"
#include "pipeline/dstore.h"
#include "pipeline/pipeline.h"
#include "pipeline/later_facts.h"
#include "track/track.h"
#include "ui/ui.h"
#include "util/util.h"

/* Smallest usable terminal; below it the UI says so instead of drawing a mess. */
#define UI_MIN_COLS 60
#define UI_MIN_ROWS 16

/* ---- requests and keys (keys.c) -------------------------------------------------------- */

enum request {
    REQ_NONE = 0,
#define REQ(id, group, help) id,
#include "ui/requests.def"
#undef REQ
    REQ__COUNT
};

/* The request key ch (a curses key code) makes in view v: a binding of v's own first, then one
 * of every view; REQ_NONE if none. */
struct view_ops;
enum request keys_request(int ch, const struct view_ops *v);
const char *keys_help(enum request r);
const char *keys_names(enum request r);
const char *keys_group(enum request r);

/* ---- colours (colors.c) ---------------------------------------------------------------- */

/* Sets up the semantic colour table: colours when the terminal has them and NO_COLOR is unset
 * (https://no-color.org), otherwise monochrome attributes (bold, underline, reverse, dim). */
/* never: --color=never; NO_COLOR in the environment also turns colour off. */
void colors_init(bool never);
/* Before colors_init: the high-contrast scheme (--color-scheme=high-contrast), for a projector
 * in a lit room: bold light colours on black, no dim or dark blue text. */
void colors_set_high_contrast(bool on);
attr_t colors_attr(unsigned attr); /* enum attr -> curses attributes */
bool colors_enabled(void);
attr_t colors_title(void);        /* title and status bars */
attr_t colors_pane(bool focused); /* pane separator bars */
attr_t colors_cursor(void);       /* the selected row */
struct ui;
struct line;
/* A packet list row in its colouring rule's colour (format/colorrules.c): the line takes the
 * attribute whole. Nothing for the cursor row, without colours (NO_COLOR) or for a rule that
 * keeps the usual colours. */
void colors_row(struct ui *ui, size_t idx, bool cursor, struct line *l);

/* ---- the packet index (index.c) -------------------------------------------------------- */

#define IDX_NOT_KEPT UINT64_MAX /* record_off of a packet the memory store had no room for */

struct pkt_entry {
    uint64_t record_off; /* for read_at (or offset in the memory store) */
    int64_t ts_sec;
    uint32_t ts_nsec;
    uint32_t len;
    uint32_t caplen;
    uint32_t linktype;
};

struct mem_store;

/* Every packet's entry and the tracker's track_info, kept in blocks written to an unlinked
 * temporary file once full and read back on demand (index.c); index_entry() and index_ti()
 * copy one out. */
struct spill;
struct conns_store;

struct pkt_index {
    struct spill *recs; /* entry and track_info by absolute packet number (util/spill.h) */
    size_t n;           /* packets analysed: dissected and tracked in order */
    /* The outline of a file: every packet's entry, made ahead of the analysis by a reader that
     * only reads the records' headers (file_source_index), so that the whole file can be listed
     * and any packet shown before the analysis reaches it. outlined >= n while it runs; with no
     * outline (pipes, live capture, --step) it stays 0 and n is the count. */
    struct spill *outline;
    size_t outlined;
    struct mem_store *mem; /* sources without read_at */
    /* Packets let go from the front (a live capture past --max-packets): entry i is frame
     * base + i + 1, and frames up to base are only in the capture file now. */
    uint64_t base;
    int64_t first_ts_sec; /* the first packet ever indexed: relative times count from it */
    uint32_t first_ts_nsec;
};

/* Lets the oldest k entries go (k <= n); the memory store, if any, is not used with this.
 * Never with an outline (only a capture that never ends lets packets go). */
void index_forget_oldest(struct pkt_index *ix, size_t k);

/* Packets that can be listed and shown: the outline's, or the analysed ones when more. */
static inline size_t index_count(const struct pkt_index *ix)
{
    return ix->outlined > ix->n ? ix->outlined : ix->n;
}

/* Appends entries e[0..k) of `src` (a file reader ahead of the analysis) to the outline. */
void index_outline(struct pkt_index *ix, struct source *src, const struct packet_index *e,
                   size_t k);
/* Lists no more packets than were analysed (the analysis ended before the outline's end). */
void index_outline_trim(struct pkt_index *ix);

/* ---- views ------------------------------------------------------------------------------ */

struct ui;
struct view;

struct view_ops {
    const char *name;
    void (*open)(struct ui *ui, struct view *v);
    void (*draw)(struct ui *ui, struct view *v);
    /* true when the view handled the request */
    bool (*request)(struct ui *ui, struct view *v, enum request r);
    void (*select)(struct ui *ui, struct view *v); /* the selected packet changed (may be NULL) */
    void (*close)(struct ui *ui, struct view *v);
    void (*click)(struct ui *ui, struct view *v, int row, int col); /* row/col in the view */
    /* Background work in bounded slices; returns true while more remains (may be NULL). */
    bool (*work)(struct ui *ui, struct view *v);
};

struct view {
    const struct view_ops *ops;
    int y, x, h, w;  /* the rectangle the layout gave it, title bar included */
    size_t top, cur; /* first visible line, cursor line */
    size_t hscroll;
    void *priv;
};

extern const struct view_ops view_list_ops, view_layers_ops, view_bytes_ops, view_help_ops,
    view_conns_ops, view_ladder_ops, view_stats_ops, view_follow_ops, view_picker_ops,
    view_columns_ops;
extern const struct view_ops view_hosts_ops;   /* hosts */
extern const struct view_ops view_compare_ops; /* TCP versus UDP */
extern const struct view_ops view_quiz_ops;    /* predict the next packet */
extern const struct view_ops view_flow_ops;    /* flow */

/* ---- the application ------------------------------------------------------------------- */

enum pane { PANE_LIST, PANE_LAYERS, PANE_BYTES, PANE__COUNT };

/* ---- the parts of the application, each owning its state --------------------------------- */

/* ingest.c: packets coming in from the pipeline into the index, paced by --replay/--step, the
 * oldest let go past --max-packets in a capture that never ends. */
struct ingest {
    bool live;    /* a live capture, or a file that grows (--follow) */
    bool growing; /* --follow */
    bool random_access;
    bool eof, again, damaged; /* the source ended; has nothing now; ended on damage */
    bool ti_error_shown;      /* the index's tracking file failed, and the user was told */
    bool conns_error_shown;   /* the connection store's file failed, and the user was told */
    char error[PS_ERRBUF_SIZE];
    /* Replay (--replay / --step): a packet held until its time comes. */
    double replay_speed;
    bool step_mode;
    bool have_held;
    struct packet held;
    uint8_t *held_data;
    struct replay_clock replay;
    unsigned step_credit;
    /* --pace: one packet every pace_ms whatever the capture's timing; the last one went in at
     * paced_ms. */
    int64_t pace_ms, paced_ms;
    /* A second reader of a plain file, ahead of the analysis (file_source_index: the records'
     * headers, no dissection). Stepping or replaying it counts the packets for the title's
     * "packet 5 of 40"; otherwise it outlines them (index_outline), so that the whole file is
     * listed and any packet shown while the analysis catches up. It stays open for read_at()
     * of packets past the analysis (a pcapng reader knows the interfaces it has passed). */
    struct source *ahead;
    bool outlining;  /* ahead outlines (else it only counts) */
    bool ahead_done; /* ahead reached the end (or damage) */
    uint64_t total;
    bool total_known;
    /* A live capture lists at most max_packets (0: no limit), the newest (see forget_oldest). */
    size_t max_packets;
    size_t max_packets_arg; /* --max-packets, SIZE_MAX for none */
    /* Live: packets per second shown in the title. */
    int64_t rate_ms;
    uint64_t rate_n;
    double rate;
    /* Paced or stepped (a lesson's capture, read a packet at a time): each packet's connection
     * as the tracker had it right after that packet (proto 0: none), so that after a step back
     * the connections view shows exactly what it showed then. At most INGEST_MAX_CONN_AFTER
     * packets (200 bytes each); past them the view counts again from the index instead. */
    struct conn *conn_after;
    size_t conn_after_n, conn_after_cap;
};
#define INGEST_MAX_CONN_AFTER 65536u
/* Packet idx's connection right after it, or NULL when not kept. */
const struct conn *ingest_conn_after(const struct ui *ui, size_t idx);

/* The list's filter: a Wireshark display filter (df), or BPF when the text is not one (bpf),
 * or the fast path for "tcp.stream == N" that needs no re-reading (stream). */
struct display_filter {
    struct bpf_filter *bpf; /* owned */
    struct dfilter *df;     /* owned */
    bool stream;
    uint8_t proto;
    uint32_t stream_id;
    char *text; /* owned; NULL: no filter */
    /* Answers the same on a packet dissected on its own (BPF, or dfilter_frame_local): applied
     * ahead of the analysis, to every listed packet but IP fragments (deferred until analysed). */
    bool ahead;
    /* A display filter applied ahead: how a packet is dissected on its own for it, with only
     * what it reads (dfilter_on_own_options), and the fields it names (owned). */
    struct dissect_options on_own;
    uint8_t *kept_fields;
    uint32_t *deferred; /* ascending packet indices the filter waits for the analysis to decide */
    size_t ndeferred, deferred_cap, deferred_next;
};

/* listfilter.c: what the list shows, the indices of the packets that pass the display filter,
 * and a new filter being applied in the background. */
struct list_filter {
    struct display_filter active;
    /* Ascending packet indices; NULL with no filter: every packet (ui_shown_at,
     * shown_lower_bound). */
    uint32_t *shown;
    size_t nshown, shown_cap;
    bool working;
    struct display_filter pending;
    uint32_t *pending_shown;
    size_t pending_n, pending_cap, pos; /* pos: the next packet index to test */
    /* Packets [0, decided) the active filter has answered for (or deferred) in its pass; the
     * analysis offers it only the rest, and the deferred ones when it reaches them. */
    size_t decided;
};

/* search.c: the last search (/, n, N) and the one running in the background. */
enum search_kind { SEARCH_TEXT, SEARCH_HEX, SEARCH_REGEX };
struct search {
    bool working;
    enum search_kind kind;
    char text[256];
    uint8_t bytes[128];
    size_t nbytes;
    regex_t re;
    bool re_ok;
    bool have; /* a search was given: n and N repeat it */
    int dir;
    size_t pos, steps; /* position in the shown list; positions tried */
};

/* prompt.c: the status line's prompt. PROMPT_SAVE asks for a file name, PROMPT_OVERWRITE for
 * y/n (save.c). */
enum prompt_kind {
    PROMPT_NONE,
    PROMPT_SEARCH,
    PROMPT_FILTER,
    PROMPT_GOTO,
    PROMPT_SAVE,
    PROMPT_OVERWRITE,
    PROMPT_COLUMN, /* columns: a column to add (view_columns.c) */
    PROMPT_QUIZ    /* the quiz: an answer (view_quiz.c) */
};
struct prompt {
    enum prompt_kind kind;
    char buf[256];
    size_t len;
};

/* Writes what is being saved to `fd` (which it then owns: it closes it) and says how it went
 * with ui_message(). */
struct ui;
typedef void (*ui_save_fn)(struct ui *ui, int fd, const char *path, void *ctx);

/* save.c: the save in progress. */
struct save {
    char what[64];
    char path[256];
    ui_save_fn fn;
    void *ctx;
};

/* kept.c: the dissections reassembly made that a frame does not give on its own, by packet
 * index (ascending). store is NULL without reassembly (or when no temporary file could be
 * made: error says why). */
struct kept {
    struct dstore *store;
    uint32_t *idx;
    uint64_t *handle;
    size_t n, cap;
    uint64_t not_kept; /* flagged frames the store could not take (its cap, a full disk) */
    /* Where earlier fragments and segments were reassembled and where requests were answered,
     * learnt from the frames that complete or answer them, told on those frames as Wireshark's
     * window (and tshark -2) does. */
    struct later_facts *later_facts;
    struct dstore_buf selected_buf, scratch_buf; /* the bytes of ui->d and ui->scratch */
    /* A reader of the capture file of its own, for the reassembled bytes the store keeps as
     * the pieces of frames they came from (kept_read_frames); NULL: kept as bytes. */
    struct source *frames;
    bool frames_pcapng;     /* the file is pcapng: its reader indexes its way to a record */
    uint64_t frames_passed; /* pcapng: the reader has indexed the records before this offset */
    char error[PS_ERRBUF_SIZE];
};

#define SUM_CACHE_SIZE 256
struct sum_slot {
    size_t idx;    /* packet index + 1; 0 = empty */
    bool analysed; /* made with the packet's tracking and reassembly (else from its outline) */
    struct summary s;
};

#define UI_MAX_VIEWS 8

struct ui {
    /* The capture session: source, tracker, filters on the way in (pipeline.h); ui_source()
     * and ui_tracker() reach its parts. */
    struct pipeline *pipe;
    /* The pipeline tracker's configuration: a view that counts the capture again as of a
     * packet (the statistics after a step back) tracks with the same one. */
    struct tracker_config tracker_cfg;
    /* The summaries the tracker let go (conns_store.c); NULL for a capture that never ends. */
    struct conns_store *conns;
    struct dissect_options dopt;
    struct stats *stats;
    /* What the packets teach about the network (track/hosts.h), fed as they are indexed: the
     * layer view's subnet test reads it. */
    struct hosts *network;
    struct pkt_index idx;
    struct ingest in;
    struct list_filter lf;
    struct search search;
    struct prompt prompt;
    struct save save;
    struct kept kept;

    /* The connection view's sort (a column of format/conns.h), kept while the program runs. */
    int conns_sort;
    bool conns_reverse;

    /* Selection */
    size_t sel; /* position in lf.shown[] */
    size_t list_top;
    size_t cur_idx;    /* packet index of the loaded selection, SIZE_MAX none */
    uint8_t *pdata;    /* copy of the selected packet's bytes */
    struct packet pkt; /* the selected packet (data -> pdata) */
    char *pcomment;
    struct dissection *d; /* the selected packet's dissection */
    bool pkt_ok;
    size_t byte_cursor;          /* in the bytes pane */
    uint32_t mark_off, mark_len; /* bytes highlighted (the selected field's) */
    int sel_field;               /* field index selected in the layers pane, -1 none */

    struct dissection *scratch; /* for list rows, search */
    struct sum_slot *cache;

    /* Panes of the main screen and the stack of full-screen views above it. */
    struct view panes[PANE__COUNT];
    int focus;
    bool zoom;
    struct view *stack[UI_MAX_VIEWS];
    int depth;

    /* Display */
    enum fmt_time tmode;
    bool tcpip;
    bool follow_new;
    bool paused;
    size_t paused_nshown;
    unsigned step_back_count; /* steps back so far: views forget what later packets made */
    bool list_time_hidden;    /* the list left its time column out (addresses kept whole) */

    /* Marks: one bit per packet index. */
    uint8_t *marks;
    size_t marks_cap;

    /* Target of the ladder / follow views. */
    uint8_t target_proto;
    uint32_t target_stream;
    bool target_set;

    /* Message line. */
    char msg[512];
    bool msg_error;

    /* The interface picker's options (when started without an input). */
    const char *pick_filter;
    const char *pick_user;
    uint32_t pick_snaplen, pick_buffer_kib;
    bool pick_no_promisc;
    const char *pick_write_file;
    uint64_t pick_spool_limit;
    bool pick_spool_limit_given;

    struct ui_settings *settings; /* columns, the settings file (ui/settings.h) */

    int rows, cols;
    bool utf8;
    bool quit;
    bool dirty;
    int exit_status;
};

static inline struct source *ui_source(const struct ui *ui)
{
    return pipeline_source(ui->pipe);
}

static inline struct tracker *ui_tracker(const struct ui *ui)
{
    return pipeline_tracker(ui->pipe);
}

/* ui.c: the application */
int64_t ui_now_ms(void);
void ui_message(struct ui *ui, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* draw.c: drawing helpers shared by the views, the layout and the frame */
/* Draws one formatted line at (y, x) in `w` columns starting at column `hscroll` of its text,
 * with `extra` or'ed into every attribute; pads with blanks to `w`. */
void ui_draw_line(struct ui *ui, int y, int x, int w, const struct line *l, size_t hscroll,
                  attr_t extra);
/* The same, cut at the edge whatever is there: for lines of fixed columns (the hex dump), whose
 * cells the caller may draw over by column. */
void ui_draw_line_at_edge(struct ui *ui, int y, int x, int w, const struct line *l, size_t hscroll,
                          attr_t extra);
/* Draws plain (already safe) text padded to w columns. */
void ui_draw_text(struct ui *ui, int y, int x, int w, attr_t attr, const char *s);
/* The title bar of a view (its first row). */
void ui_draw_bar(struct ui *ui, struct view *v, bool focused, const char *title);
/* Standard cursor movement over `n` lines in a view with `rows` visible rows. Returns true when
 * the request was a movement. */
bool ui_nav(struct view *v, size_t n, size_t rows, enum request r);
/* Draws lines[top..] in the view body with the cursor line highlighted. */
void ui_draw_lines(struct ui *ui, struct view *v, const struct lines *ls, bool show_cursor);
/* The panes' and views' rectangles for the terminal's size. */
void ui_layout(struct ui *ui);
/* Draws the whole screen: title, the panes or the view on top, the status line. */
void ui_draw_screen(struct ui *ui);
/* Opens a full-screen view on top of the stack. */
void ui_push_view(struct ui *ui, const struct view_ops *ops);
void ui_pop_view(struct ui *ui);
/* Makes packet index `idx` the selection (in the list, the layers and the bytes). Returns false
 * when the display filter hides it. */
bool ui_select_packet(struct ui *ui, size_t idx);
/* Frame numbers (as every output shows them) against index entries: they differ once a live
 * capture has let its oldest packets go. ui_index_from_frame gives the first entry at or after
 * the frame (n when none); ui_select_frame says so when the frame was let go. */
uint64_t ui_frame(const struct ui *ui, size_t idx);
size_t ui_index_from_frame(const struct ui *ui, uint64_t frame);
bool ui_select_frame(struct ui *ui, uint64_t frame);
/* Loads the selection's bytes and dissection (after a move in the list). */
void ui_load_selection(struct ui *ui);
/* The summary of packet idx (cached; dissects on a miss); NULL if it cannot be read. */
const struct summary *ui_summary(struct ui *ui, size_t idx);
/* Applies a display filter text; false (message set, old kept) when invalid. */
bool ui_set_filter(struct ui *ui, const char *text);
/* Reads packet idx into *pkt (valid until the next read). SOURCE_PACKET or SOURCE_ERROR. */
int ui_read_packet(struct ui *ui, size_t idx, struct packet *pkt, char *errbuf);
/* The stream of the current packet (proto + stream) into target_*; false if none. */
bool ui_target_from_selection(struct ui *ui);
bool ui_is_marked(const struct ui *ui, size_t idx);
/* The number of packets the list shows (fewer than lf.nshown while the display is paused). */
size_t ui_visible_count(const struct ui *ui);
/* The index of the packet at position pos (< lf.nshown) of the list. Without a display filter
 * the list is every packet and keeps no array (lf.shown NULL, 4 bytes a packet saved). */
static inline size_t ui_shown_at(const struct ui *ui, size_t pos)
{
    return ui->lf.shown ? ui->lf.shown[pos] : pos;
}
/* Stepping (--step, or after a pause): the views show the capture "as of" the last packet the
 * list shows. The index entries [0, ui_asof_count()) are that capture; the list, the ladder and
 * the connections view honour it, so a step back shows again exactly what the step forward
 * showed, without undoing the tracker (which may have seen packets past it). */
size_t ui_asof_count(const struct ui *ui);
/* One step: dir +1 lets the next packet in (or shows one already read), -1 goes back one. */
void ui_step(struct ui *ui, int dir);
/* Whether the UI is stepping or pacing, so that the screen shows how to step. */
bool ui_stepping(const struct ui *ui);
/* Lets the oldest k packets go from the index and every packet index the UI holds (ingest.c
 * calls it past --max-packets). */
void ui_forget_oldest(struct ui *ui, size_t k);
/* Starts reading `src` (a live capture chosen in the picker); the UI owns it from here on. */
void ui_attach_source(struct ui *ui, struct source *src);

/* terminal.c: the terminal, taken for curses by terminal_open() (signal handlers, atexit,
 * standard error held) and given back by terminal_close() on every way out; terminal_release()
 * also frees curses' screen. */
int terminal_open(bool no_color, char *errbuf);
void terminal_close(void);
void terminal_release(void);
int terminal_input_fd(void);
bool terminal_quit_requested(void); /* SIGINT, SIGTERM, SIGHUP */
bool terminal_take_resize(void);    /* SIGWINCH since the last call */
void terminal_resize(void);         /* tells curses the terminal's new size */

/* ingest.c */
void ingest_init(struct ingest *in, const struct ui_args *args);
void ingest_attach(struct ingest *in, struct source *src); /* a source the picker started */
void ingest_release(struct ingest *in);
/* One slice of reading packets into the index, until `deadline`; true while more remains now.
 * *wait_ms: how long until a held packet (--replay) may go in, -1 for none. */
bool ingest_work(struct ui *ui, int64_t deadline, int64_t *wait_ms);
bool ingest_gated(const struct ui *ui); /* --replay, --pace or --step paces the packets */
/* The number of packets in the file when known (counted, or read to the end); false if not. */
bool ingest_total(const struct ui *ui, uint64_t *total);
bool ingest_waiting(const struct ui *ui); /* the source has nothing now, may have later */
int ingest_wait_fd(const struct ui *ui);  /* ... and this descriptor says when; -1 none */
double ingest_rate(struct ui *ui);        /* packets per second, live */
/* The outline is still being read (the title says "indexing"; the analysis waits for it). */
bool ingest_outlining(const struct ui *ui);
/* The reader that can re-read packet idx (read_at). */
struct source *ingest_reader_of(struct ui *ui, size_t idx);

/* listfilter.c */
int listfilter_init(struct ui *ui, const char *text, bool display_filter, char *errbuf,
                    size_t errlen);
/* Tests a packet just indexed against the filter in force and lists it if it passes. */
bool listfilter_offer(struct ui *ui, size_t idx, const struct packet *pkt,
                      const struct dissection *d);
/* The list with no filter lists every outlined packet (a filter lists the analysed ones). */
void listfilter_outlined(struct ui *ui);
/* Drops packets n and after from the lists, the selection kept within them. */
void listfilter_trim(struct ui *ui, size_t n);
/* How many packets (from the first) filter f is applied to now. */
size_t listfilter_scope(const struct ui *ui, const struct display_filter *f);
/* One slice of applying a new filter (ui_set_filter); true while more remains. */
bool listfilter_work(struct ui *ui, int64_t deadline);
void listfilter_cancel(struct ui *ui);
/* Rebases the lists past the oldest k packets; returns how many shown entries were dropped. */
size_t listfilter_forget_oldest(struct ui *ui, size_t k);
void listfilter_release(struct ui *ui);
/* Packet idx (pkt, d) as the display filter sees it: its tracking, frame number, the first and
 * the previous packet's times. */
struct filter_packet;
void ui_filter_packet(struct ui *ui, size_t idx, const struct packet *pkt,
                      const struct dissection *d, struct filter_packet *fp,
                      struct track_info *ti_buf);
/* Reads packet idx, dissects it into ui->scratch (ui_dissect) and fills *fp (its track_info
 * in *ti_buf, which must live as long as fp); false when it cannot be re-read. */
bool ui_read_view(struct ui *ui, size_t idx, struct packet *pkt, struct filter_packet *fp,
                  struct track_info *ti_buf);
/* Position of the first entry >= idx in an ascending list of packet indices. */
size_t shown_lower_bound(const uint32_t *v, size_t n, size_t idx);

/* kept.c */
void kept_init(struct ui *ui, bool reassembly);
/* With the pipeline made: a plain capture file's reassembled bytes are kept as pieces of its
 * frames, read again when shown, not written again. */
void kept_read_frames(struct ui *ui, struct source *src);
/* Keeps packet idx's dissection when reassembly changed it (DIS_REASSEMBLED), and learns what
 * it tells of earlier frames (its tracking ti: a response); idx ascending. */
void kept_add(struct ui *ui, size_t idx, const struct dissection *d, const struct track_info *ti);
void kept_forget_oldest(struct ui *ui, size_t n);
void kept_release(struct ui *ui);
/* Dissects packet idx (its bytes in pkt) into d as the pipeline did: the kept dissection when
 * reassembly changed it, else the frame on its own. d is ui->d or ui->scratch (whose bytes
 * such a dissection points into until the next call for the same one). */
void ui_dissect(struct ui *ui, size_t idx, const struct packet *pkt, struct dissection *d);
/* ui_dissect for matching display filter df alone: a kept dissection's reassembled bytes are
 * read back from the capture only when df reads them (dfilter_reads_bytes_from); without them
 * d's data ends with the frame's own bytes. df NULL: ui_dissect. */
void ui_dissect_to_match(struct ui *ui, size_t idx, const struct packet *pkt, struct dissection *d,
                         const struct dfilter *df);
/* Whether packet idx reads as reassembly made it (its dissection is kept). */
bool ui_is_reassembled(const struct ui *ui, size_t idx);

/* search.c */
bool search_compile(struct ui *ui, const char *text); /* false: message set */
void search_start(struct ui *ui, int dir);            /* +1 next, -1 previous */
bool search_work(struct ui *ui, int64_t deadline);    /* true while more remains */
void search_cancel(struct ui *ui);
void search_release(struct ui *ui);

/* prompt.c */
void prompt_open(struct ui *ui, enum prompt_kind kind, const char *init);
void prompt_close(struct ui *ui);
void prompt_key(struct ui *ui, int ch);
void prompt_draw(struct ui *ui, int y);

/* save.c (ladderfiles): saving to a file the user names. ui_save_prompt() opens a prompt with
 * `def` filled in; Enter creates the file with O_CREAT|O_EXCL|O_NOFOLLOW (util/outfile.h); an
 * existing name asks "overwrite? y/n" first, a symbolic link is refused; then `fn` writes. Esc
 * cancels. `ctx` must live while the prompt is open (the prompt takes every key). */
void ui_save_prompt(struct ui *ui, const char *what, const char *def, ui_save_fn fn, void *ctx);
void ui_save_accept(struct ui *ui);
void ui_save_overwrite_key(struct ui *ui, int ch);
/* The label of a save prompt in the status line. */
void ui_save_label(const struct ui *ui, char *buf, size_t size);
/* Writes packets to `fd` as pcap or pcapng by `path`'s extension (as -w does), re-reading each
 * by its record offset: the displayed (filtered) packets when proto is 0, else the packets of
 * that stream. Owns fd. */
void ui_write_packets(struct ui *ui, int fd, const char *path, uint8_t proto, uint32_t stream);
/* diagram.c (flow): what the ladder and flow views share. `row_frame` gives the frame of the
 * arrow on display row i (0: none), `print` writes the diagram in a format (0, or -1 on a write
 * error); `stem` names the file saved (".svg" and so on are added). */
struct ui_diagram {
    const char *noun; /* "ladder", "flow" */
    char stem[96];
    void *ctx;
    uint64_t (*row_frame)(const void *ctx, size_t row);
    int (*print)(const void *ctx, enum ladder_format f, FILE *out);
    enum ladder_format save_format;
};
/* T, S, M, U save; Enter goes to the packet; moves select the arrow's packet. n rows in all,
 * `rows` on the screen. True when handled. */
bool ui_diagram_request(struct ui *ui, struct view *v, struct ui_diagram *dg, enum request r,
                        size_t n, size_t rows);
void ui_diagram_click(struct ui *ui, struct view *v, struct ui_diagram *dg, size_t i, size_t n);
/* The index of the arrow of `frame` among n arrows of `size` bytes whose first member is their
 * uint64_t frame, in ascending order; SIZE_MAX when none. */
size_t ui_diagram_find(const void *arrows, size_t n, size_t size, uint64_t frame);
/* end flow */

/* A ui_save_fn writing the displayed packets. */
void ui_write_shown(struct ui *ui, int fd, const char *path, void *ctx);

/* conns_store.c: the connection summaries the tracker let go, on disk (NULL: none kept, as
 * for a capture that never ends). */
struct conns_store *conns_store_new(void);
void conns_store_free(struct conns_store *s);
/* tracker_config.conn_forget and conn_recall, with conn_ctx the store */
void conns_store_forget(void *ctx, const struct conn *c);
bool conns_store_recall(void *ctx, uint8_t proto, uint32_t stream, struct conn *out);
/* Why the store keeps summaries in memory (its temporary file failed), or NULL. */
const char *conns_store_error(const struct conns_store *s);
/* Connection `stream` of proto: the tracker's summary if it has it (valid until the next
 * packet), else the stored one copied into *buf, else NULL (never seen, or let go from a
 * capture that never ends). Every view reads summaries through this, never tracker_conn(); a
 * caller comparing two passes two buffers. */
const struct conn *ui_conn(const struct ui *ui, uint8_t proto, uint32_t stream, struct conn *buf);
/* Whether ui_conn() would find it (without reading it back). */
bool ui_conn_known(const struct ui *ui, uint8_t proto, uint32_t stream);
/* Every connection of proto that ui_conn() finds, in stream order: how many, and the next one
 * from *pos (0 to begin; advanced), in *buf if read back, NULL after the last. */
size_t ui_conn_rows(const struct ui *ui, uint8_t proto);
const struct conn *ui_conn_next(const struct ui *ui, uint8_t proto, size_t *pos, struct conn *buf);

/* index.c */
void index_init(struct pkt_index *ix, bool need_memory_store);
void index_release(struct pkt_index *ix);
/* Appends a packet; returns its index. Copies the bytes when there is a memory store. */
size_t index_add(struct pkt_index *ix, const struct packet *pkt, const struct track_info *ti);
int index_read(struct pkt_index *ix, struct source *src, size_t i, struct packet *pkt,
               char *errbuf);
/* Packet i's entry, copied into *buf (returns buf; zeroes past the end or when it cannot be
 * read back). */
const struct pkt_entry *index_entry(struct pkt_index *ix, size_t i, struct pkt_entry *buf);
/* Packet i's track_info, copied into *buf (returns buf). A block that cannot be read back
 * gives an untracked packet (zeroes), and index_ti_error() says why. */
const struct track_info *index_ti(struct pkt_index *ix, size_t i, struct track_info *buf);
/* Why track_info was lost, or NULL. */
const char *index_ti_error(const struct pkt_index *ix);

/* layers pane: rebuild after the selection or the OSI toggle changed */
void view_layers_reload(struct ui *ui);
/* layers pane: select the field owning byte `off` of the selected packet */
void view_layers_select_byte(struct ui *ui, uint32_t off);
/* quiz view: the prompt's label for the part asked, whether it asks the direction (Left and
 * Right answer it), and the answer typed (Enter) */
void view_quiz_label(const struct ui *ui, char *buf, size_t size);
bool view_quiz_asks_direction(const struct ui *ui);
void view_quiz_accept(struct ui *ui);
/* bytes pane: rebuild the dump with the current mark */
void view_bytes_reload(struct ui *ui);

#endif
