/*
 * The display-filter compiler: a hand-written lexer and recursive-descent parser for
 * wireshark-filter(4)'s language, which types every operand from the field registry and parses
 * every literal once, so that evaluation only compares.
 *
 * Grammar (lowest precedence first):
 *   expr    := xorexpr { ("or" | "||") xorexpr }
 *   xorexpr := andexpr { ("xor" | "^^") andexpr }
 *   andexpr := unary { ("and" | "&&") unary }
 *   unary   := ("not" | "!") unary | "(" expr ")" | test
 *   test    := ["any" | "all"] operand [ relop operand | ["not"] "in" set ]
 *   operand := field [slice] ["&" value] | function "(" field [slice] ")" | literal
 *   set     := "{" value [".." value] { "," value [".." value] } "}"
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter/internal.h"
#include "util/util.h"

enum tok_kind {
    T_END,
    T_WORD,   /* field names, keywords, unquoted literals */
    T_STRING, /* "..." or r"..." */
    T_CHAR,   /* 'c' */
    T_LPAREN,
    T_RPAREN,
    T_LBRACE,
    T_RBRACE,
    T_COMMA,
    T_SLICE, /* [...]: off/len cover the text between the brackets */
    T_DOTDOT,
    T_CMP, /* a symbolic comparison operator: op says which */
    T_AND,
    T_OR,
    T_XOR,
    T_NOT,
    T_BITAND,
    T_BAD, /* a character that starts no token */
};

struct token {
    uint8_t kind;
    uint8_t op; /* T_CMP: enum cmpop */
    size_t off, len;
    bool raw; /* T_STRING: r"..." */
};

struct parser {
    const char *s;
    size_t n;
    size_t pos; /* where the next token starts */
    struct token tok;
    struct dfilter *f;
    char *err;
    size_t errlen;
    bool failed;
};

/* ---------------------------------------------------------------------------------------- */
/* Errors: one message, the expression, a caret under the bad token. */

static void perr(struct parser *P, size_t off, size_t len, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void perr(struct parser *P, size_t off, size_t len, const char *fmt, ...)
{
    if (P->failed)
        return;
    P->failed = true;
    if (!P->err || P->errlen == 0)
        return;
    char raw[400], msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(raw, sizeof(raw), fmt, ap);
    va_end(ap);
    /* A message may quote the expression ("unexpected character"): its control and 8-bit bytes
     * are written as \xNN, never raw (the expression line shows them as "."; found by
     * tests/fuzz/fuzz_filter). */
    size_t m = 0;
    for (const char *q = raw; *q && m < sizeof(msg) - 5; q++) {
        unsigned char ch = (unsigned char)*q;
        if (ch < 0x20 || ch >= 0x7f)
            m += (size_t)snprintf(msg + m, sizeof(msg) - m, "\\x%02x", ch);
        else
            msg[m++] = (char)ch;
    }
    msg[m] = '\0';
    if (off > P->n)
        off = P->n;
    if (len == 0)
        len = 1;
    /* The expression is shown as typed, with control characters as '.', so the caret lines up
     * and nothing the user pasted can drive the terminal. Very long expressions are shown
     * around the error. */
    size_t from = off > 60 ? off - 60 : 0;
    size_t to = P->n - from > 120 ? from + 120 : P->n;
    char shown[130];
    size_t k = 0;
    for (size_t i = from; i < to && k < sizeof(shown) - 1; i++) {
        unsigned char c = (unsigned char)P->s[i];
        shown[k++] = c < 0x20 || c >= 0x7f ? '.' : (char)c;
    }
    shown[k] = '\0';
    char caret[140];
    size_t at = off - from, c = 0;
    for (size_t i = 0; i < at && c < sizeof(caret) - 2; i++)
        caret[c++] = ' ';
    caret[c++] = '^';
    for (size_t i = 1; i < len && off + i <= to && c < sizeof(caret) - 1; i++)
        caret[c++] = '~';
    caret[c] = '\0';
    snprintf(P->err, P->errlen, "display filter: %s\n  %s\n  %s", msg, shown, caret);
}

/* ---------------------------------------------------------------------------------------- */
/* Lexer */

static bool word_char(char c)
{
    return isalnum((unsigned char)c) || c == '_' || c == '.' || c == ':' || c == '-' || c == '/';
}

static void lex(struct parser *P)
{
    const char *s = P->s;
    size_t i = P->pos;
    while (i < P->n && isspace((unsigned char)s[i]))
        i++;
    struct token t = {.kind = T_END, .off = i, .len = 0};
    if (i >= P->n) {
        P->tok = t;
        P->pos = i;
        return;
    }
    char c = s[i];
    char c1 = i + 1 < P->n ? s[i + 1] : '\0';
    char c2 = i + 2 < P->n ? s[i + 2] : '\0';
    size_t len = 1;
    switch (c) {
    case '(':
        t.kind = T_LPAREN;
        break;
    case ')':
        t.kind = T_RPAREN;
        break;
    case '{':
        t.kind = T_LBRACE;
        break;
    case '}':
        t.kind = T_RBRACE;
        break;
    case ',':
        t.kind = T_COMMA;
        break;
    case '=':
        if (c1 == '=' && c2 == '=')
            t.kind = T_CMP, t.op = CMP_ALL_EQ, len = 3;
        else if (c1 == '=')
            t.kind = T_CMP, t.op = CMP_EQ, len = 2;
        else
            t.kind = T_BAD;
        break;
    case '!':
        if (c1 == '=' && c2 == '=')
            t.kind = T_CMP, t.op = CMP_ANY_NE, len = 3;
        else if (c1 == '=')
            t.kind = T_CMP, t.op = CMP_NE, len = 2;
        else
            t.kind = T_NOT;
        break;
    case '~':
        if (c1 == '=')
            t.kind = T_CMP, t.op = CMP_ANY_NE, len = 2;
        else
            t.kind = T_CMP, t.op = CMP_MATCHES;
        break;
    case '>':
        t.kind = T_CMP, t.op = c1 == '=' ? CMP_GE : CMP_GT, len = c1 == '=' ? 2 : 1;
        break;
    case '<':
        t.kind = T_CMP, t.op = c1 == '=' ? CMP_LE : CMP_LT, len = c1 == '=' ? 2 : 1;
        break;
    case '&':
        if (c1 == '&')
            t.kind = T_AND, len = 2;
        else
            t.kind = T_BITAND;
        break;
    case '|':
        if (c1 == '|')
            t.kind = T_OR, len = 2;
        else
            t.kind = T_BAD;
        break;
    case '^':
        if (c1 == '^')
            t.kind = T_XOR, len = 2;
        else
            t.kind = T_BAD;
        break;
    case '[': {
        size_t j = i + 1;
        while (j < P->n && s[j] != ']')
            j++;
        if (j >= P->n) {
            t.kind = T_BAD;
            len = P->n - i;
            break;
        }
        t.kind = T_SLICE;
        t.off = i + 1;
        t.len = j - i - 1;
        P->tok = t;
        P->pos = j + 1;
        return;
    }
    case '"':
    case '\'': {
        size_t j = i + 1;
        while (j < P->n && s[j] != c) {
            if (s[j] == '\\' && j + 1 < P->n)
                j++;
            j++;
        }
        if (j >= P->n) {
            t.kind = T_BAD;
            len = P->n - i;
            break;
        }
        t.kind = c == '"' ? T_STRING : T_CHAR;
        t.off = i + 1;
        t.len = j - i - 1;
        P->tok = t;
        P->pos = j + 1;
        return;
    }
    default:
        if (c == 'r' && c1 == '"') {
            P->pos = i + 1;
            lex(P);
            if (P->tok.kind == T_STRING)
                P->tok.raw = true;
            return;
        }
        if (c == '.' && c1 == '.') {
            t.kind = T_DOTDOT;
            len = 2;
            break;
        }
        if (!word_char(c)) {
            t.kind = T_BAD;
            break;
        }
        {
            size_t j = i;
            /* ".." ends a word: {80..90} is 80, .., 90 */
            while (j < P->n && word_char(s[j]) && !(s[j] == '.' && j + 1 < P->n && s[j + 1] == '.'))
                j++;
            t.kind = T_WORD;
            len = j - i;
        }
        break;
    }
    t.len = len;
    P->tok = t;
    P->pos = i + len;
}

static bool tok_is(const struct parser *P, const char *word)
{
    size_t n = strlen(word);
    return P->tok.kind == T_WORD && P->tok.len == n && strncmp(P->s + P->tok.off, word, n) == 0;
}

/* A word that is an English operator: its cmpop, or -1. */
static int word_cmpop(const struct parser *P)
{
    static const struct {
        const char *w;
        int op;
    } words[] = {
        {"eq", CMP_EQ},
        {"any_eq", CMP_EQ},
        {"ne", CMP_NE},
        {"all_ne", CMP_NE},
        {"all_eq", CMP_ALL_EQ},
        {"any_ne", CMP_ANY_NE},
        {"gt", CMP_GT},
        {"ge", CMP_GE},
        {"lt", CMP_LT},
        {"le", CMP_LE},
        {"contains", CMP_CONTAINS},
        {"matches", CMP_MATCHES},
    };
    if (P->tok.kind == T_CMP)
        return P->tok.op;
    for (size_t i = 0; i < ARRAY_SIZE(words); i++)
        if (tok_is(P, words[i].w))
            return words[i].op;
    return -1;
}

static const char *tok_desc(const struct token *t)
{
    switch (t->kind) {
    case T_END:
        return "the end of the expression";
    case T_RPAREN:
        return "\")\"";
    case T_LPAREN:
        return "\"(\"";
    case T_RBRACE:
        return "\"}\"";
    case T_LBRACE:
        return "\"{\"";
    case T_COMMA:
        return "\",\"";
    case T_SLICE:
        return "a slice";
    case T_DOTDOT:
        return "\"..\"";
    case T_CMP:
        return "a comparison operator";
    case T_AND:
        return "\"&&\"";
    case T_OR:
        return "\"||\"";
    case T_XOR:
        return "\"^^\"";
    case T_NOT:
        return "\"!\"";
    case T_BITAND:
        return "\"&\"";
    case T_STRING:
        return "a string";
    case T_CHAR:
        return "a character constant";
    case T_WORD:
        return "a word";
    default:
        return "a character that is not part of the language";
    }
}

/* ---------------------------------------------------------------------------------------- */
/* Fields */

enum vtype filter_vtype_of_field(unsigned fid)
{
    switch (field_def(fid)->type) {
    case FT_UINT:
    case FT_HEX:
        return VT_UINT;
    case FT_INT:
        return VT_INT;
    case FT_BOOL:
        return VT_BOOL;
    case FT_MAC:
        return VT_MAC;
    case FT_IPV4:
        return VT_IPV4;
    case FT_IPV6:
        return VT_IPV6;
    case FT_BYTES:
        return VT_BYTES;
    case FT_STRING:
        return VT_STRING;
    case FT_TIME:
        return VT_TIME;
    case FT_FLOAT:
        return VT_FLOAT;
    case FT_PROTOCOL:
        return VT_PROTO;
    default:
        return VT_NONE;
    }
}

static const char *vtype_name(enum vtype t)
{
    static const char *const names[] = {
        [VT_NONE] = "a label (it has no value)",
        [VT_UINT] = "an unsigned integer",
        [VT_INT] = "a signed integer",
        [VT_BOOL] = "a boolean",
        [VT_IPV4] = "an IPv4 address",
        [VT_IPV6] = "an IPv6 address",
        [VT_MAC] = "a MAC address",
        [VT_BYTES] = "a byte sequence",
        [VT_STRING] = "a character string",
        [VT_TIME] = "a time",
        [VT_FLOAT] = "a number",
        [VT_PROTO] = "a protocol",
    };
    return (unsigned)t < ARRAY_SIZE(names) ? names[t] : "?";
}

/* Either-side fields: one name over two registered fields (Wireshark adds both). */
static const struct {
    uint16_t alias, a, b;
} either_side[] = {
    {FID_IP_ADDR, FID_IP_SRC, FID_IP_DST},
    {FID_IPV6_ADDR, FID_IPV6_SRC, FID_IPV6_DST},
    {FID_ETH_ADDR, FID_ETH_SRC, FID_ETH_DST},
    {FID_TCP_PORT, FID_TCP_SRCPORT, FID_TCP_DSTPORT},
    {FID_UDP_PORT, FID_UDP_SRCPORT, FID_UDP_DSTPORT},
};

/* Fields no dissector emits: the frame's values (fields_link.def) and fields_track.def. */
static bool fid_is_computed(unsigned fid)
{
    switch (fid) {
    case FID_FRAME_NUMBER:
    case FID_FRAME_TIME_EPOCH:
    case FID_FRAME_LEN:
    case FID_FRAME_CAP_LEN:
    case FID_FRAME_PROTOCOLS:
    case FID_FRAME_COMMENT:
        return true;
    default:
        return fid >= FID_FRAME_TIME_RELATIVE;
    }
}

/* Fields whose value comes from the tracker. */
static bool fid_from_tracker(unsigned fid)
{
    return (fid >= FID_TCP_STREAM && fid <= FID_PS_HALF_CLOSED);
}

static bool resolve_field(struct parser *P, size_t off, size_t len, struct fref *r)
{
    char name[128];
    if (len == 0 || len >= sizeof(name))
        return false;
    memcpy(name, P->s + off, len);
    name[len] = '\0';
    memset(r, 0, sizeof(*r));
    r->name_off = (uint16_t)(off < 65535 ? off : 65535);
    r->name_len = (uint16_t)(len < 65535 ? len : 65535);
    if (strcmp(name, "frame") == 0) {
        r->source = FS_PROTO;
        r->frame = true;
        r->vtype = VT_PROTO;
        return true;
    }
    for (unsigned id = 0; id < FID__COUNT && r->nids < FREF_MAX_IDS; id++) {
        const struct field_def *def = field_def(id);
        if (!def->name || strcmp(def->name, name) != 0)
            continue;
        for (size_t k = 0; k < ARRAY_SIZE(either_side); k++) {
            if (either_side[k].alias == id) {
                r->source = FS_FIELD;
                r->ids[0] = either_side[k].a;
                r->ids[1] = either_side[k].b;
                r->nids = 2;
                r->vtype = (uint8_t)filter_vtype_of_field(either_side[k].a);
                if (dis_field_is_detail(either_side[k].a) || dis_field_is_detail(either_side[k].b))
                    P->f->reads_detail = true;
                return true;
            }
        }
        /* Two registrations of one name with different types would be compared as the
         * first one's: the evaluator reads every occurrence with the reference's type. */
        if (r->nids && filter_vtype_of_field(id) != r->vtype)
            continue;
        r->source = fid_is_computed(id) ? FS_VIRTUAL : FS_FIELD;
        r->ids[r->nids++] = (uint16_t)id;
        if (dis_field_is_detail((enum field_id)id))
            P->f->reads_detail = true;
        r->vtype = (uint8_t)filter_vtype_of_field(id);
        if (r->source == FS_VIRTUAL) {
            if (fid_from_tracker(id))
                P->f->uses_tracker = true;
            return true;
        }
    }
    if (r->nids)
        return true;
    for (unsigned p = 1; p < PROTO__COUNT && r->nids < FREF_MAX_IDS; p++) {
        const struct proto_info *pi = proto_info((enum proto_id)p);
        if (pi->short_name[0] && strcmp(pi->short_name, name) == 0)
            r->ids[r->nids++] = (uint16_t)p;
    }
    if (r->nids) {
        r->source = FS_PROTO;
        r->vtype = VT_PROTO;
        return true;
    }
    return false;
}

/* Edit distance, or limit + 1 once it is sure to be past limit: a name farther than that is
 * never suggested, so its exact distance is not needed (names are short; a row of 128 is
 * plenty). The smallest cell of a row never shrinks in the rows below, so the rows stop as soon
 * as one is past the limit: a typo is compared against a thousand names, most of them far. */
static size_t edit_distance_capped(const char *a, size_t na, const char *b, size_t nb, size_t limit)
{
    size_t row[129];
    if (na > 128 || nb > 128)
        return limit + 1;
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        size_t row_min = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (a[i - 1] == b[j - 1] ? 0 : 1);
            if (up + 1 < best)
                best = up + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
            if (best < row_min)
                row_min = best;
        }
        if (row_min > limit)
            return limit + 1;
    }
    return row[nb] > limit ? limit + 1 : row[nb];
}

struct suggestion {
    const char *name;
    size_t dist;
};

/* What was typed, taken apart once for all the names it is compared with. */
struct typed_name {
    const char *word;
    size_t n;
    size_t limit;        /* farther names are not suggested */
    size_t prefix;       /* the length of the word up to its last part ("tcp." of "tcp.retrans") */
    char last[64];       /* that last part, when it has 4 to 63 characters and a prefix, else "" */
    uint8_t counts[256]; /* how many times each byte occurs in the word (at most 255) */
    uint8_t *histogram;  /* a working copy of counts, for bag_distance() */
};

/* A lower bound of the edit distance that costs a pass over the name instead of a table: the
 * characters of the longer string that the other one does not have (as multisets) each need an
 * edit. Most names are ruled out by it before edit_distance_capped(). */
static size_t bag_distance(const struct typed_name *t, const char *name, size_t nname)
{
    uint8_t *left = t->histogram; /* what the typed word has, lent and given back below */
    size_t matched = 0;
    for (size_t i = 0; i < nname; i++) {
        uint8_t c = (uint8_t)name[i];
        if (left[c]) {
            left[c]--;
            matched++;
        }
    }
    for (size_t i = 0; i < nname; i++)
        left[(uint8_t)name[i]] = t->counts[(uint8_t)name[i]];
    return (nname > t->n ? nname : t->n) - matched;
}

static void consider(struct suggestion best[3], const char *name, const struct typed_name *t)
{
    if (!name || !name[0])
        return;
    for (int k = 0; k < 3; k++)
        if (best[k].name && strcmp(best[k].name, name) == 0)
            return;
    /* The length difference is a lower bound of the edit distance: past the limit, the name is
     * not shown unless a rule below makes it a guess, so the distance itself is not needed. */
    size_t nname = strlen(name);
    size_t d = nname > t->n ? nname - t->n : t->n - nname;
    if (d <= t->limit)
        d = bag_distance(t, name, nname);
    if (d <= t->limit)
        d = edit_distance_capped(t->word, t->n, name, nname, t->limit);
    /* A name that starts with what was typed ("tcp.analysis.retrans"), or that holds the
     * typed name's last part ("tcp.retrans" in tcp.analysis.retransmission), is a good guess. */
    if (d > 2 && t->last[0] && strncmp(name, t->word, t->prefix) == 0 && strstr(name, t->last))
        d = 2;
    if (nname > t->n && strncmp(name, t->word, t->n) == 0 && t->n >= 4 && d > 2)
        d = 2;
    for (int k = 0; k < 3; k++) {
        if (!best[k].name || d < best[k].dist) {
            for (int m = 2; m > k; m--)
                best[m] = best[m - 1];
            best[k].name = name;
            best[k].dist = d;
            return;
        }
    }
}

static void unknown_field(struct parser *P, size_t off, size_t len)
{
    struct suggestion best[3];
    memset(best, 0, sizeof(best));
    const char *word = P->s + off;
    struct typed_name t = {.word = word, .n = len, .limit = len / 3 > 2 ? len / 3 : 2};
    uint8_t histogram[256];
    for (size_t i = 0; i < len; i++) {
        if (word[i] == '.')
            t.prefix = i + 1;
        if (t.counts[(uint8_t)word[i]] < UINT8_MAX)
            t.counts[(uint8_t)word[i]]++;
    }
    memcpy(histogram, t.counts, sizeof(histogram));
    t.histogram = histogram;
    size_t nlast = len - t.prefix;
    if (t.prefix && nlast >= 4 && nlast < sizeof(t.last)) {
        memcpy(t.last, word + t.prefix, nlast);
        t.last[nlast] = '\0';
    }
    for (unsigned id = 0; id < FID__COUNT; id++)
        consider(best, field_def(id)->name, &t);
    for (unsigned p = 1; p < PROTO__COUNT; p++)
        consider(best, proto_info((enum proto_id)p)->short_name, &t);
    consider(best, "frame", &t);
    size_t limit = t.limit;
    char hint[256] = "";
    size_t h = 0;
    for (int k = 0; k < 3; k++) {
        if (!best[k].name || best[k].dist > limit)
            break;
        int w = snprintf(hint + h, sizeof(hint) - h, "%s%s", h ? ", " : "; did you mean ",
                         best[k].name);
        if (w < 0 || (size_t)w >= sizeof(hint) - h)
            break;
        h += (size_t)w;
    }
    if (h)
        snprintf(hint + h, sizeof(hint) - h, "?");
    perr(P, off, len, "\"%.*s\" is neither a field nor a protocol%s", (int)(len < 80 ? len : 80),
         word, hint[0] ? hint : " (pktscope --list-fields lists them)");
}

/* ---------------------------------------------------------------------------------------- */
/* Literals */

static void *own(struct dfilter *f, size_t n)
{
    void *p = xmalloc(n ? n : 1);
    if (f->nallocs == f->allocs_cap)
        f->allocs = xgrow(f->allocs, &f->allocs_cap, f->nallocs + 1, sizeof(*f->allocs));
    f->allocs[f->nallocs++] = p;
    return p;
}

static size_t utf8_put(uint8_t *out, uint32_t cp)
{
    if (cp < 0x80) {
        out[0] = (uint8_t)cp;
        return 1;
    }
    if (cp < 0x800) {
        out[0] = (uint8_t)(0xc0 | (cp >> 6));
        out[1] = (uint8_t)(0x80 | (cp & 0x3f));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (uint8_t)(0xe0 | (cp >> 12));
        out[1] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
        out[2] = (uint8_t)(0x80 | (cp & 0x3f));
        return 3;
    }
    out[0] = (uint8_t)(0xf0 | (cp >> 18));
    out[1] = (uint8_t)(0x80 | ((cp >> 12) & 0x3f));
    out[2] = (uint8_t)(0x80 | ((cp >> 6) & 0x3f));
    out[3] = (uint8_t)(0x80 | (cp & 0x3f));
    return 4;
}

/* Unescapes a quoted string's text (wireshark-filter(4)'s escapes) into out, which has room
 * for len * 4 bytes; returns the length, or -1 with an error at the bad escape. */
static long unescape(struct parser *P, size_t off, size_t len, bool raw, uint8_t *out)
{
    const char *s = P->s + off;
    size_t o = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        if (c != '\\' || i + 1 >= len) {
            out[o++] = (uint8_t)c;
            continue;
        }
        if (raw) {
            /* r"...": backslashes stay; \" keeps its backslash too. */
            out[o++] = '\\';
            out[o++] = (uint8_t)s[++i];
            continue;
        }
        char e = s[++i];
        switch (e) {
        case '\'':
            out[o++] = '\'';
            break;
        case '"':
            out[o++] = '"';
            break;
        case '\\':
            out[o++] = '\\';
            break;
        case 'a':
            out[o++] = '\a';
            break;
        case 'b':
            out[o++] = '\b';
            break;
        case 'f':
            out[o++] = '\f';
            break;
        case 'n':
            out[o++] = '\n';
            break;
        case 'r':
            out[o++] = '\r';
            break;
        case 't':
            out[o++] = '\t';
            break;
        case 'v':
            out[o++] = '\v';
            break;
        case 'x': {
            int h1 = i + 1 < len ? hex_digit(s[i + 1]) : -1;
            int h2 = i + 2 < len ? hex_digit(s[i + 2]) : -1;
            if (h1 < 0) {
                perr(P, off + i - 1, 2, "\\x must be followed by one or two hex digits");
                return -1;
            }
            if (h2 < 0) {
                out[o++] = (uint8_t)h1;
                i += 1;
            } else {
                out[o++] = (uint8_t)(h1 * 16 + h2);
                i += 2;
            }
            break;
        }
        case 'u':
        case 'U': {
            size_t digits = e == 'u' ? 4 : 8;
            uint32_t cp = 0;
            if (i + digits >= len) {
                perr(P, off + i - 1, 2, "\\%c must be followed by %zu hex digits", e, digits);
                return -1;
            }
            for (size_t k = 1; k <= digits; k++) {
                int h = hex_digit(s[i + k]);
                if (h < 0) {
                    perr(P, off + i - 1, digits + 2, "\\%c must be followed by %zu hex digits", e,
                         digits);
                    return -1;
                }
                cp = cp * 16 + (uint32_t)h;
            }
            if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
                perr(P, off + i - 1, digits + 2, "not a Unicode code point");
                return -1;
            }
            o += utf8_put(out + o, cp);
            i += digits;
            break;
        }
        default:
            if (e >= '0' && e <= '7') {
                unsigned v = 0;
                size_t k = 0;
                while (k < 3 && i + k < len && s[i + k] >= '0' && s[i + k] <= '7')
                    v = v * 8 + (unsigned)(s[i + k] - '0'), k++;
                if (v > 255) {
                    perr(P, off + i - 1, k + 1, "an octal escape must be at most \\377");
                    return -1;
                }
                out[o++] = (uint8_t)v;
                i += k - 1;
            } else {
                perr(P, off + i - 1, 2, "unknown escape \\%c in a string", e);
                return -1;
            }
        }
    }
    return (long)o;
}

/* Hex bytes with ':', '-' or '.' between them (00:1b:21, 00-1b-21, 0.1.0.d), or one or more
 * whole bytes without separators (001b21); also 0xNN for one byte. */
static long parse_bytes(const char *s, size_t n, uint8_t *out, size_t cap)
{
    if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        if (n > 4)
            return -1;
        int h1 = hex_digit(s[2]), h2 = n == 4 ? hex_digit(s[3]) : 0;
        if (h1 < 0 || h2 < 0)
            return -1;
        out[0] = (uint8_t)(n == 4 ? h1 * 16 + h2 : h1);
        return 1;
    }
    bool seps = memchr(s, ':', n) || memchr(s, '-', n) || memchr(s, '.', n);
    size_t o = 0;
    if (!seps) {
        if (n == 0 || n % 2)
            return -1;
        for (size_t i = 0; i < n; i += 2) {
            int h1 = hex_digit(s[i]), h2 = hex_digit(s[i + 1]);
            if (h1 < 0 || h2 < 0 || o >= cap)
                return -1;
            out[o++] = (uint8_t)(h1 * 16 + h2);
        }
        return (long)o;
    }
    /* Groups of one or two digits are a byte each; a longer even group is several bytes
     * (0242.0a00.0002, Cisco's way of writing a MAC address). */
    char sep = 0;
    size_t i = 0;
    while (i < n) {
        size_t g = i;
        while (g < n && hex_digit(s[g]) >= 0)
            g++;
        size_t digits = g - i;
        if (digits == 0 || (digits > 2 && digits % 2))
            return -1;
        if (digits <= 2) {
            if (o >= cap)
                return -1;
            out[o++] = (uint8_t)(digits == 2 ? hex_digit(s[i]) * 16 + hex_digit(s[i + 1])
                                             : hex_digit(s[i]));
        } else {
            for (size_t k = i; k < g; k += 2) {
                if (o >= cap)
                    return -1;
                out[o++] = (uint8_t)(hex_digit(s[k]) * 16 + hex_digit(s[k + 1]));
            }
        }
        i = g;
        if (i == n)
            break;
        if (s[i] != ':' && s[i] != '-' && s[i] != '.')
            return -1;
        if (sep && s[i] != sep)
            return -1;
        sep = s[i++];
        if (i == n)
            return -1;
    }
    return (long)o;
}

/* C-style character constant: 'a', '\n', '\x0a', '\012'. */
static int parse_char(struct parser *P, size_t off, size_t len, uint64_t *out)
{
    uint8_t buf[16];
    if (len == 0 || len > 4) {
        perr(P, off - 1, len + 2, "a character constant holds one character");
        return -1;
    }
    long n = unescape(P, off, len, false, buf);
    if (n < 0)
        return -1;
    if (n != 1) {
        perr(P, off - 1, len + 2, "a character constant holds one character");
        return -1;
    }
    *out = buf[0];
    return 0;
}

static bool parse_uint_text(const char *s, size_t n, uint64_t *out)
{
    char buf[72];
    if (n == 0 || n >= sizeof(buf) || s[0] == '-' || s[0] == '+')
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    int base = 10;
    const char *digits = buf;
    if (n > 2 && buf[0] == '0' && (buf[1] == 'b' || buf[1] == 'B'))
        base = 2, digits = buf + 2;
    else if (n > 2 && buf[0] == '0' && (buf[1] == 'x' || buf[1] == 'X'))
        base = 16, digits = buf + 2;
    else if (n > 1 && buf[0] == '0')
        base = 8, digits = buf + 1;
    char *end;
    errno = 0;
    unsigned long long v = strtoull(digits, &end, base);
    if (errno || *end || end == digits)
        return false;
    *out = v;
    return true;
}

static bool parse_int_text(const char *s, size_t n, int64_t *out)
{
    bool neg = n > 0 && s[0] == '-';
    uint64_t u;
    if (!parse_uint_text(s + (neg ? 1 : 0), n - (neg ? 1 : 0), &u))
        return false;
    if (neg ? u > (uint64_t)INT64_MAX + 1 : u > (uint64_t)INT64_MAX)
        return false;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return true;
}

/* Seconds with up to 9 decimals, exactly (a double would round nanoseconds away). */
static bool parse_time_text(const char *s, size_t n, int64_t *sec, uint32_t *nsec)
{
    bool neg = n > 0 && s[0] == '-';
    size_t i = neg ? 1 : 0;
    uint64_t whole = 0;
    size_t start = i;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        if (whole > (uint64_t)INT64_MAX / 10 - 1)
            return false;
        whole = whole * 10 + (uint64_t)(s[i++] - '0');
    }
    uint32_t frac = 0;
    size_t fd = 0;
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            if (fd < 9)
                frac = frac * 10 + (uint32_t)(s[i] - '0'), fd++;
            i++;
        }
    }
    if (i != n || (i == start))
        return false;
    while (fd < 9)
        frac *= 10, fd++;
    if (neg) {
        *sec = -(int64_t)whole - (frac ? 1 : 0);
        *nsec = frac ? 1000000000u - frac : 0;
    } else {
        *sec = (int64_t)whole;
        *nsec = frac;
    }
    return true;
}

static bool parse_float_text(const char *s, size_t n, double *out)
{
    char buf[72];
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    char *end;
    errno = 0;
    double v = strtod(buf, &end);
    if (errno || *end)
        return false;
    *out = v;
    return true;
}

static bool parse_ip_text(const char *s, size_t n, bool v6, uint8_t *out, uint8_t *prefix)
{
    char buf[64];
    if (n == 0 || n >= sizeof(buf))
        return false;
    memcpy(buf, s, n);
    buf[n] = '\0';
    unsigned maxp = v6 ? 128 : 32;
    *prefix = (uint8_t)maxp;
    char *slash = strchr(buf, '/');
    if (slash) {
        *slash = '\0';
        unsigned long p;
        if (parse_ulong(slash + 1, 0, maxp, &p) < 0)
            return false;
        *prefix = (uint8_t)p;
    }
    return inet_pton(v6 ? AF_INET6 : AF_INET, buf, out) == 1;
}

/* Types the literal operand `lit` as `want` (the other side's type) for operator op. */
static int type_literal(struct parser *P, struct operand *lit, enum vtype want, int op)
{
    struct fvalue *v = &lit->lit;
    size_t off = lit->tok_off, len = lit->tok_len;
    const char *s = P->s + off;
    size_t shown_off = lit->lit_quoted || lit->lit_char ? off - 1 : off;
    size_t shown_len = lit->lit_quoted || lit->lit_char ? len + 2 : len;
    memset(v, 0, sizeof(*v));

    if (op == CMP_MATCHES) {
        if (!lit->lit_quoted) {
            perr(P, shown_off, shown_len,
                 "the regular expression after \"matches\" must be a "
                 "double-quoted string");
            return -1;
        }
    }
    if (lit->lit_quoted && (want == VT_STRING || want == VT_BYTES || want == VT_PROTO ||
                            op == CMP_CONTAINS || op == CMP_MATCHES)) {
        uint8_t *buf = own(P->f, len * 4 + 1);
        long n = unescape(P, off, len, lit->lit_raw, buf);
        if (n < 0)
            return -1;
        buf[n] = '\0';
        v->type = VT_STRING;
        v->p = buf;
        v->len = (uint32_t)n;
        return 0;
    }
    if (op == CMP_CONTAINS && want != VT_STRING && want != VT_BYTES && want != VT_PROTO &&
        want != VT_MAC) {
        perr(P, shown_off, shown_len,
             "\"contains\" needs a string, bytes or a protocol on its "
             "left, not %s",
             vtype_name(want));
        return -1;
    }
    switch (want) {
    case VT_NONE:
        perr(P, shown_off, shown_len,
             "the field on the left is a label with no value: use it "
             "alone to test that it is present");
        return -1;
    case VT_UINT:
    case VT_BOOL:
        v->type = (uint8_t)want;
        if (lit->lit_char)
            return parse_char(P, off, len, &v->n.u);
        if (want == VT_BOOL && (len == 4 || len == 5)) {
            if (strncmp(s, "True", len) == 0 || strncmp(s, "TRUE", len) == 0 ||
                strncmp(s, "true", len) == 0) {
                v->n.u = 1;
                return 0;
            }
            if (strncmp(s, "False", len) == 0 || strncmp(s, "FALSE", len) == 0 ||
                strncmp(s, "false", len) == 0) {
                v->n.u = 0;
                return 0;
            }
        }
        if (!lit->lit_quoted && parse_uint_text(s, len, &v->n.u)) {
            if (want == VT_BOOL)
                v->n.u = v->n.u != 0;
            return 0;
        }
        perr(P, shown_off, shown_len, "\"%.*s\" is not %s", (int)(len < 60 ? len : 60), s,
             vtype_name(want));
        return -1;
    case VT_INT:
        v->type = VT_INT;
        if (lit->lit_char) {
            uint64_t c;
            if (parse_char(P, off, len, &c) < 0)
                return -1;
            v->n.i = (int64_t)c;
            return 0;
        }
        if (!lit->lit_quoted && parse_int_text(s, len, &v->n.i))
            return 0;
        perr(P, shown_off, shown_len, "\"%.*s\" is not a signed integer",
             (int)(len < 60 ? len : 60), s);
        return -1;
    case VT_TIME:
        v->type = VT_TIME;
        if (!lit->lit_quoted && parse_time_text(s, len, &v->n.t.sec, &v->n.t.nsec))
            return 0;
        perr(P, shown_off, shown_len, "\"%.*s\" is not a time in seconds (such as 1.5)",
             (int)(len < 60 ? len : 60), s);
        return -1;
    case VT_FLOAT:
        v->type = VT_FLOAT;
        if (!lit->lit_quoted && parse_float_text(s, len, &v->n.f))
            return 0;
        perr(P, shown_off, shown_len, "\"%.*s\" is not a number", (int)(len < 60 ? len : 60), s);
        return -1;
    case VT_IPV4:
    case VT_IPV6: {
        uint8_t *buf = own(P->f, 16);
        bool v6 = want == VT_IPV6;
        if (!lit->lit_quoted && parse_ip_text(s, len, v6, buf, &v->prefix)) {
            v->type = (uint8_t)want;
            v->p = buf;
            v->len = v6 ? 16 : 4;
            return 0;
        }
        perr(P, shown_off, shown_len, "\"%.*s\" is not %s%s (host names are not looked up)",
             (int)(len < 60 ? len : 60), s, vtype_name(want),
             v6 ? " such as 2001:db8::1 or "
                  "2001:db8::/32"
                : " such as 192.0.2.1 or 192.0.2.0/24");
        return -1;
    }
    case VT_MAC:
    case VT_BYTES:
    case VT_PROTO: {
        uint8_t *buf = own(P->f, len / 2 + 2);
        long n = lit->lit_quoted || lit->lit_char ? -1 : parse_bytes(s, len, buf, len / 2 + 2);
        if (n > 0 && (want != VT_MAC || n == 6 || op == CMP_CONTAINS)) {
            v->type = VT_BYTES;
            v->p = buf;
            v->len = (uint32_t)n;
            return 0;
        }
        if (want == VT_MAC)
            perr(P, shown_off, shown_len,
                 "\"%.*s\" is not a MAC address such as "
                 "00:1b:21:0a:00:01",
                 (int)(len < 60 ? len : 60), s);
        else
            perr(P, shown_off, shown_len,
                 "\"%.*s\" is neither bytes (such as 00:1b:21) nor a "
                 "quoted string",
                 (int)(len < 60 ? len : 60), s);
        return -1;
    }
    case VT_STRING:
        /* Unquoted text compared with a string field is taken as a string (Wireshark allows it). */
        if (lit->lit_char) {
            perr(P, shown_off, shown_len, "compare a string field with a double-quoted string");
            return -1;
        }
        v->type = VT_STRING;
        v->p = (const uint8_t *)s;
        v->len = (uint32_t)len;
        return 0;
    }
    return -1;
}

/* ---------------------------------------------------------------------------------------- */
/* Parser */

static int new_node(struct dfilter *f, enum nkind kind)
{
    if (f->nnodes == f->cap)
        f->nodes = xgrow(f->nodes, &f->cap, f->nnodes + 1, sizeof(*f->nodes));
    struct node *n = &f->nodes[f->nnodes];
    memset(n, 0, sizeof(*n));
    n->kind = (uint8_t)kind;
    n->left = n->right = -1;
    return (int)f->nnodes++;
}

static int parse_or(struct parser *P, int depth);

static bool parse_slice(struct parser *P, struct operand *o)
{
    const char *s = P->s + P->tok.off;
    size_t n = P->tok.len, i = 0;
    size_t at = P->tok.off;
    o->nranges = 0;
    for (;;) {
        while (i < n && s[i] == ' ')
            i++;
        if (o->nranges == SLICE_MAX_RANGES) {
            perr(P, at, n, "at most %d ranges in one slice", SLICE_MAX_RANGES);
            return false;
        }
        struct slice_range *r = &o->ranges[o->nranges++];
        memset(r, 0, sizeof(*r));
        long a = 0, b = 0;
        bool have_a = false;
        char *end;
        char buf[24];
        size_t k = 0;
        while (i < n && k < sizeof(buf) - 1 && (s[i] == '-' || isdigit((unsigned char)s[i])) &&
               !(k > 0 && s[i] == '-'))
            buf[k++] = s[i++];
        buf[k] = '\0';
        if (k) {
            a = strtol(buf, &end, 10);
            if (*end || a < -SLICE_MAX_OFFSET || a > SLICE_MAX_OFFSET) {
                perr(P, at, n, "bad slice offset \"%s\"", buf);
                return false;
            }
            have_a = true;
        }
        while (i < n && s[i] == ' ')
            i++;
        char kind = i < n ? s[i] : ',';
        if (kind == ':' || kind == '-') {
            i++;
            while (i < n && s[i] == ' ')
                i++;
            k = 0;
            while (i < n && k < sizeof(buf) - 1 &&
                   ((s[i] == '-' && k == 0) || isdigit((unsigned char)s[i])))
                buf[k++] = s[i++];
            buf[k] = '\0';
            if (!have_a && kind == '-') {
                perr(P, at, n, "a slice range needs a start: [i-j]");
                return false;
            }
            r->start = (int32_t)a;
            if (k == 0) {
                if (kind == '-') {
                    perr(P, at, n, "a slice range needs an end: [i-j]");
                    return false;
                }
                r->to_end = true;
            } else {
                b = strtol(buf, &end, 10);
                if (*end || b < -SLICE_MAX_OFFSET || b > SLICE_MAX_OFFSET) {
                    perr(P, at, n, "bad slice length \"%s\"", buf);
                    return false;
                }
                if (kind == ':') {
                    if (b < 0) {
                        perr(P, at, n, "a slice length cannot be negative");
                        return false;
                    }
                    r->arg = (int32_t)b;
                } else {
                    r->arg = (int32_t)b;
                    r->arg_is_end = true;
                }
            }
        } else if (have_a) {
            r->start = (int32_t)a;
            r->arg = 1;
        } else {
            perr(P, at, n, "a slice is [i:j], [i-j], [i], [:j] or [i:]");
            return false;
        }
        while (i < n && s[i] == ' ')
            i++;
        if (i >= n)
            break;
        if (s[i] != ',') {
            perr(P, at + i, 1, "expected \",\" or \"]\" in the slice");
            return false;
        }
        i++;
    }
    return true;
}

static bool sliceable(enum vtype t)
{
    return t == VT_BYTES || t == VT_STRING || t == VT_PROTO || t == VT_MAC || t == VT_IPV4 ||
           t == VT_IPV6;
}

static int func_kind(const struct parser *P)
{
    if (tok_is(P, "len"))
        return OPK_LEN;
    if (tok_is(P, "count"))
        return OPK_COUNT;
    if (tok_is(P, "upper"))
        return OPK_UPPER;
    if (tok_is(P, "lower"))
        return OPK_LOWER;
    return -1;
}

static bool next_is_lparen(const struct parser *P)
{
    size_t i = P->pos;
    while (i < P->n && isspace((unsigned char)P->s[i]))
        i++;
    return i < P->n && P->s[i] == '(';
}

/* A field with an optional slice (the token after the field is read). */
static bool parse_field_ref(struct parser *P, struct operand *o)
{
    if (P->tok.kind != T_WORD) {
        perr(P, P->tok.off, P->tok.len, "expected a field or a protocol, found %s",
             tok_desc(&P->tok));
        return false;
    }
    if (!resolve_field(P, P->tok.off, P->tok.len, &o->ref)) {
        unknown_field(P, P->tok.off, P->tok.len);
        return false;
    }
    o->kind = OPK_FIELD;
    o->vtype = o->ref.vtype;
    size_t name_off = P->tok.off, name_len = P->tok.len;
    lex(P);
    if (P->tok.kind == T_SLICE) {
        if (!sliceable((enum vtype)o->vtype)) {
            perr(P, name_off, name_len, "%.*s is %s and cannot be sliced", (int)name_len,
                 P->s + name_off, vtype_name((enum vtype)o->vtype));
            return false;
        }
        if (!parse_slice(P, o))
            return false;
        o->vtype = VT_BYTES;
        lex(P);
    }
    return true;
}

static bool parse_operand(struct parser *P, struct operand *o)
{
    memset(o, 0, sizeof(*o));
    struct token t = P->tok;
    switch (t.kind) {
    case T_WORD: {
        int fk = func_kind(P);
        if (fk >= 0 && next_is_lparen(P)) {
            size_t fn_off = t.off, fn_len = t.len;
            lex(P); /* ( */
            lex(P);
            struct operand arg;
            memset(&arg, 0, sizeof(arg));
            if (!parse_field_ref(P, &arg))
                return false;
            if (P->tok.kind != T_RPAREN) {
                perr(P, P->tok.off, P->tok.len, "expected \")\" after the field, found %s",
                     tok_desc(&P->tok));
                return false;
            }
            lex(P);
            *o = arg;
            o->kind = (uint8_t)fk;
            if (fk == OPK_LEN || fk == OPK_COUNT) {
                if (fk == OPK_LEN && !sliceable((enum vtype)arg.vtype)) {
                    perr(P, fn_off, fn_len,
                         "len() takes a string, bytes, an address or a "
                         "protocol, not %s",
                         vtype_name((enum vtype)arg.vtype));
                    return false;
                }
                o->vtype = VT_UINT;
            } else {
                if (arg.vtype != VT_STRING) {
                    perr(P, fn_off, fn_len, "%.*s() takes a string field, not %s", (int)fn_len,
                         P->s + fn_off, vtype_name((enum vtype)arg.vtype));
                    return false;
                }
                o->vtype = VT_STRING;
            }
            return true;
        }
        static const char *const unsupported[] = {"string", "min", "max", "abs"};
        for (size_t i = 0; i < ARRAY_SIZE(unsupported); i++) {
            if (tok_is(P, unsupported[i]) && next_is_lparen(P)) {
                perr(P, t.off, t.len,
                     "the function %s() is not supported by pktscope "
                     "(len, count, upper and lower are)",
                     unsupported[i]);
                return false;
            }
        }
        struct fref r;
        if (resolve_field(P, t.off, t.len, &r)) {
            if (!parse_field_ref(P, o))
                return false;
            if (P->tok.kind == T_BITAND) {
                if (o->vtype != VT_UINT && o->vtype != VT_INT && o->vtype != VT_BOOL) {
                    perr(P, P->tok.off, 1, "\"&\" masks integer fields; %.*s is %s",
                         (int)r.name_len, P->s + r.name_off, vtype_name((enum vtype)o->vtype));
                    return false;
                }
                lex(P);
                if (P->tok.kind != T_WORD ||
                    !parse_uint_text(P->s + P->tok.off, P->tok.len, &o->mask)) {
                    perr(P, P->tok.off, P->tok.len, "expected an integer mask after \"&\"");
                    return false;
                }
                o->has_mask = true;
                lex(P);
            }
            return true;
        }
        o->kind = OPK_LITERAL;
        o->tok_off = (uint16_t)t.off;
        o->tok_len = (uint16_t)t.len;
        lex(P);
        return true;
    }
    case T_STRING:
    case T_CHAR:
        o->kind = OPK_LITERAL;
        o->tok_off = (uint16_t)t.off;
        o->tok_len = (uint16_t)t.len;
        o->lit_quoted = t.kind == T_STRING;
        o->lit_raw = t.raw;
        o->lit_char = t.kind == T_CHAR;
        lex(P);
        return true;
    case T_BAD:
        perr(P, t.off, t.len, "unexpected character \"%c\"", P->s[t.off]);
        return false;
    default:
        perr(P, t.off, t.len, "expected a field, a protocol, a value or \"(\", found %s",
             tok_desc(&t));
        return false;
    }
}

static bool operand_is_field(const struct operand *o)
{
    return o->kind != OPK_LITERAL;
}

static int mirror(int op)
{
    switch (op) {
    case CMP_GT:
        return CMP_LT;
    case CMP_GE:
        return CMP_LE;
    case CMP_LT:
        return CMP_GT;
    case CMP_LE:
        return CMP_GE;
    default:
        return op;
    }
}

static bool types_comparable(enum vtype a, enum vtype b)
{
    if (a == b)
        return true;
    bool na = a == VT_UINT || a == VT_INT || a == VT_BOOL || a == VT_FLOAT;
    bool nb = b == VT_UINT || b == VT_INT || b == VT_BOOL || b == VT_FLOAT;
    if (na && nb)
        return true;
    bool ba = a == VT_BYTES || a == VT_PROTO || a == VT_MAC || a == VT_STRING;
    bool bb = b == VT_BYTES || b == VT_PROTO || b == VT_MAC || b == VT_STRING;
    return ba && bb;
}

static bool compile_regex(struct parser *P, struct node *n, const struct operand *lit)
{
    int code;
    PCRE2_SIZE eoff;
    n->re = pcre2_compile((PCRE2_SPTR)lit->lit.p, lit->lit.len, PCRE2_CASELESS, &code, &eoff, NULL);
    if (!n->re) {
        PCRE2_UCHAR msg[160];
        pcre2_get_error_message(code, msg, sizeof(msg));
        perr(P, lit->tok_off - 1, lit->tok_len + 2u, "bad regular expression: %s (at offset %zu)",
             (const char *)msg, (size_t)eoff);
        return false;
    }
    /* JIT, where the library has it: faster, and its stack is set up once here. */
    pcre2_jit_compile(n->re, PCRE2_JIT_COMPLETE);
    n->md = pcre2_match_data_create_from_pattern(n->re, NULL);
    return true;
}

static int parse_set(struct parser *P, int node)
{
    /* P->tok is '{' */
    struct node *n = &P->f->nodes[node];
    enum vtype want = (enum vtype)n->a.vtype;
    size_t cap = 0;
    lex(P);
    for (;;) {
        struct operand lo, hi;
        if (!parse_operand(P, &lo))
            return -1;
        if (lo.kind != OPK_LITERAL) {
            perr(P, lo.ref.name_off, lo.ref.name_len, "a set holds values, not fields");
            return -1;
        }
        if (type_literal(P, &lo, want, CMP_EQ) < 0)
            return -1;
        n = &P->f->nodes[node];
        if (n->nset == cap)
            n->set = xgrow(n->set, &cap, n->nset + 1, sizeof(*n->set));
        struct set_elem *e = &n->set[n->nset++];
        memset(e, 0, sizeof(*e));
        e->lo = lo.lit;
        if (P->tok.kind == T_DOTDOT) {
            if (want != VT_UINT && want != VT_INT && want != VT_IPV4 && want != VT_IPV6 &&
                want != VT_FLOAT && want != VT_TIME) {
                perr(P, P->tok.off, P->tok.len,
                     "a range needs numbers or addresses, and the "
                     "field is %s",
                     vtype_name(want));
                return -1;
            }
            lex(P);
            if (!parse_operand(P, &hi))
                return -1;
            if (hi.kind != OPK_LITERAL) {
                perr(P, hi.ref.name_off, hi.ref.name_len, "a set holds values, not fields");
                return -1;
            }
            if (type_literal(P, &hi, want, CMP_EQ) < 0)
                return -1;
            e = &P->f->nodes[node].set[P->f->nodes[node].nset - 1];
            e->hi = hi.lit;
            e->is_range = true;
        }
        if (P->tok.kind == T_COMMA) {
            lex(P);
            continue;
        }
        if (P->tok.kind == T_RBRACE) {
            lex(P);
            return node;
        }
        perr(P, P->tok.off, P->tok.len, "expected \",\", \"..\" or \"}\" in the set, found %s",
             tok_desc(&P->tok));
        return -1;
    }
}

/* An unquoted word on the left that reads like a field name ("ip.adr"), not like a value
 * (a number, an address, bytes): reported as an unknown field, with suggestions. */
static bool looks_like_name(const struct parser *P, const struct operand *o)
{
    const char *s = P->s + o->tok_off;
    size_t n = o->tok_len;
    if (n == 0 || !isalpha((unsigned char)s[0]))
        return false;
    bool dot = false;
    for (size_t i = 0; i < n; i++) {
        if (!isalnum((unsigned char)s[i]) && s[i] != '_' && s[i] != '.' && s[i] != '-')
            return false;
        dot = dot || s[i] == '.';
    }
    uint8_t tmp[64];
    if (parse_bytes(s, n, tmp, sizeof(tmp)) > 0)
        return false;
    return dot || n > 2;
}

static int parse_test(struct parser *P)
{
    uint8_t quant = Q_DEFAULT;
    if ((tok_is(P, "any") || tok_is(P, "all")) && !next_is_lparen(P)) {
        quant = tok_is(P, "any") ? Q_ANY : Q_ALL;
        lex(P);
    }
    size_t start = P->tok.off;
    struct operand a;
    if (!parse_operand(P, &a))
        return -1;
    if (a.kind == OPK_LITERAL && !a.lit_quoted && !a.lit_char && looks_like_name(P, &a)) {
        unknown_field(P, a.tok_off, a.tok_len);
        return -1;
    }

    int op = word_cmpop(P);
    bool in = tok_is(P, "in");
    bool not_in = false;
    if (tok_is(P, "not")) {
        /* "not in" after an operand; a plain "not" here is a syntax error reported below. */
        size_t save = P->pos;
        struct token save_tok = P->tok;
        lex(P);
        if (tok_is(P, "in")) {
            in = not_in = true;
        } else {
            P->pos = save;
            P->tok = save_tok;
        }
    }

    if (op < 0 && !in) {
        if (a.kind == OPK_LITERAL) {
            if (P->tok.kind == T_END || P->tok.kind == T_RPAREN || P->tok.kind == T_AND ||
                P->tok.kind == T_OR)
                resolve_field(P, a.tok_off, a.tok_len, &a.ref)
                    ? (void)0
                    : unknown_field(P, a.tok_off, a.tok_len);
            else
                perr(P, a.tok_off, a.tok_len, "\"%.*s\" is neither a field nor a protocol",
                     (int)(a.tok_len < 80 ? a.tok_len : 80), P->s + a.tok_off);
            return -1;
        }
        int node = new_node(
            P->f, a.has_mask || a.kind == OPK_LEN || a.kind == OPK_COUNT ? NK_TRUTH : NK_EXISTS);
        P->f->nodes[node].a = a;
        P->f->nodes[node].quant = quant;
        return node;
    }

    if (in) {
        if (a.kind == OPK_LITERAL) {
            perr(P, a.tok_off, a.tok_len, "the left of \"in\" must be a field");
            return -1;
        }
        if (a.vtype == VT_NONE || a.vtype == VT_PROTO) {
            perr(P, a.ref.name_off, a.ref.name_len, "\"in\" compares values, and this is %s",
                 vtype_name((enum vtype)a.vtype));
            return -1;
        }
        lex(P);
        if (P->tok.kind != T_LBRACE) {
            perr(P, P->tok.off, P->tok.len, "expected \"{\" after \"in\", found %s",
                 tok_desc(&P->tok));
            return -1;
        }
        int node = new_node(P->f, NK_IN);
        P->f->nodes[node].a = a;
        P->f->nodes[node].quant = quant;
        P->f->nodes[node].negate_set = not_in;
        return parse_set(P, node);
    }

    size_t op_off = P->tok.off, op_len = P->tok.len;
    lex(P);
    if (P->tok.kind == T_END || P->tok.kind == T_RPAREN || P->tok.kind == T_AND ||
        P->tok.kind == T_OR) {
        perr(P, P->tok.off, P->tok.len, "expected a value or a field after \"%.*s\", found %s",
             (int)op_len, P->s + op_off, tok_desc(&P->tok));
        return -1;
    }
    struct operand b;
    if (!parse_operand(P, &b))
        return -1;
    if (!operand_is_field(&a) && !operand_is_field(&b)) {
        perr(P, start, P->tok.off > start ? P->tok.off - start : 1,
             "a comparison needs a field on one side; \"%.*s\" is neither a field nor a protocol",
             (int)(a.tok_len < 80 ? a.tok_len : 80), P->s + a.tok_off);
        return -1;
    }
    if (!operand_is_field(&a)) {
        if (op == CMP_CONTAINS || op == CMP_MATCHES) {
            perr(P, op_off, op_len, "the left of \"%.*s\" must be a field", (int)op_len,
                 P->s + op_off);
            return -1;
        }
        struct operand t = a;
        a = b;
        b = t;
        op = mirror(op);
    }
    if (a.vtype == VT_NONE && b.kind == OPK_LITERAL) {
        perr(P, a.ref.name_off, a.ref.name_len,
             "%.*s is a label with no value: use it alone to "
             "test that it is present",
             (int)a.ref.name_len, P->s + a.ref.name_off);
        return -1;
    }
    if ((op == CMP_MATCHES || op == CMP_CONTAINS) && a.vtype != VT_STRING && a.vtype != VT_BYTES &&
        a.vtype != VT_PROTO && !(op == CMP_CONTAINS && a.vtype == VT_MAC)) {
        perr(P, op_off, op_len,
             "\"%.*s\" needs a string, bytes or a protocol on its left, and "
             "%.*s is %s",
             (int)op_len, P->s + op_off, (int)a.ref.name_len, P->s + a.ref.name_off,
             vtype_name((enum vtype)a.vtype));
        return -1;
    }
    if ((op == CMP_GT || op == CMP_GE || op == CMP_LT || op == CMP_LE) && a.vtype == VT_BOOL) {
        perr(P, op_off, op_len, "booleans have no order: use == or !=");
        return -1;
    }
    int node = new_node(P->f, NK_CMP);
    struct node *n = &P->f->nodes[node];
    n->op = (uint8_t)op;
    n->quant = quant;
    if (b.kind == OPK_LITERAL) {
        if (type_literal(P, &b, (enum vtype)a.vtype, op) < 0)
            return -1;
        b.vtype = b.lit.type;
        n = &P->f->nodes[node];
    } else if (op == CMP_MATCHES) {
        perr(P, b.ref.name_off, b.ref.name_len,
             "the regular expression after \"matches\" must "
             "be a double-quoted string");
        return -1;
    } else if (!types_comparable((enum vtype)a.vtype, (enum vtype)b.vtype)) {
        perr(P, op_off, op_len, "cannot compare %s with %s", vtype_name((enum vtype)a.vtype),
             vtype_name((enum vtype)b.vtype));
        return -1;
    }
    n->a = a;
    n->b = b;
    if (op == CMP_MATCHES && !compile_regex(P, n, &b))
        return -1;
    return node;
}

static int parse_unary(struct parser *P, int depth)
{
    if (depth > 200) {
        perr(P, P->tok.off, P->tok.len, "the expression nests too deeply");
        return -1;
    }
    if (P->tok.kind == T_NOT || tok_is(P, "not")) {
        lex(P);
        int child = parse_unary(P, depth + 1);
        if (child < 0)
            return -1;
        int node = new_node(P->f, NK_NOT);
        P->f->nodes[node].left = child;
        return node;
    }
    if (P->tok.kind == T_LPAREN) {
        size_t open = P->tok.off;
        lex(P);
        int inner = parse_or(P, depth + 1);
        if (inner < 0)
            return -1;
        if (P->tok.kind != T_RPAREN) {
            if (P->tok.kind == T_END)
                perr(P, open, 1, "this \"(\" is never closed");
            else
                perr(P, P->tok.off, P->tok.len, "expected \")\", \"and\" or \"or\", found %s",
                     tok_desc(&P->tok));
            return -1;
        }
        lex(P);
        return inner;
    }
    return parse_test(P);
}

static int parse_binary(struct parser *P, int depth, int level);

/* level 0: or, 1: xor, 2: and */
static bool is_logic(const struct parser *P, int level)
{
    switch (level) {
    case 0:
        return P->tok.kind == T_OR || tok_is(P, "or");
    case 1:
        return P->tok.kind == T_XOR || tok_is(P, "xor");
    default:
        return P->tok.kind == T_AND || tok_is(P, "and");
    }
}

static int parse_binary(struct parser *P, int depth, int level)
{
    int left = level == 2 ? parse_unary(P, depth) : parse_binary(P, depth, level + 1);
    if (left < 0)
        return -1;
    while (is_logic(P, level)) {
        lex(P);
        int right = level == 2 ? parse_unary(P, depth) : parse_binary(P, depth, level + 1);
        if (right < 0)
            return -1;
        int node = new_node(P->f, level == 0 ? NK_OR : level == 1 ? NK_XOR : NK_AND);
        P->f->nodes[node].left = left;
        P->f->nodes[node].right = right;
        left = node;
    }
    return left;
}

static int parse_or(struct parser *P, int depth)
{
    return parse_binary(P, depth, 0);
}

int dfilter_compile(const char *expr, struct dfilter **out, char *errbuf, size_t errlen)
{
    struct parser P;
    memset(&P, 0, sizeof(P));
    *out = NULL;
    P.s = expr;
    P.n = strlen(expr);
    P.err = errbuf;
    P.errlen = errlen;
    if (errbuf && errlen)
        errbuf[0] = '\0';
    if (P.n > 60000) {
        snprintf(errbuf, errlen, "display filter: the expression is longer than 60,000 bytes");
        return -1;
    }
    P.f = xcalloc(1, sizeof(*P.f));
    P.f->root = -1;
    lex(&P);
    if (P.tok.kind == T_END) {
        perr(&P, 0, 1, "the expression is empty");
    } else {
        int root = parse_or(&P, 0);
        if (root >= 0 && P.tok.kind != T_END) {
            int op = word_cmpop(&P);
            if (op >= 0 || tok_is(&P, "in"))
                perr(&P, P.tok.off, P.tok.len,
                     "a comparison's result cannot be compared again; "
                     "join tests with \"and\" or \"or\"");
            else if (P.tok.kind == T_BAD && P.s[P.tok.off] == '=')
                perr(&P, P.tok.off, P.tok.len,
                     "\"=\" is not an operator: equality is \"==\" "
                     "(or \"eq\")");
            else if (P.tok.kind == T_BAD)
                perr(&P, P.tok.off, 1, "unexpected character \"%c\"%s", P.s[P.tok.off],
                     P.s[P.tok.off] == '|' ? ": \"or\" is \"||\"" : "");
            else
                perr(&P, P.tok.off, P.tok.len,
                     "expected \"and\", \"or\" or the end of the "
                     "expression, found %s",
                     tok_desc(&P.tok));
        }
        P.f->root = root;
    }
    if (P.failed) {
        dfilter_free(P.f);
        return -1;
    }
    *out = P.f;
    return 0;
}

bool dfilter_uses_tracker(const struct dfilter *f)
{
    return f && f->uses_tracker;
}

/* Protocols whose headers read the same in a frame dissected on its own as in the analysed one
 * (not a fragment, see dfilter_frame_local): the link, network and transport headers. */
static bool proto_frame_local(unsigned proto)
{
    switch (proto) {
    case PROTO_FRAME:
    case PROTO_ETH:
    case PROTO_ETHERTYPE:
    case PROTO_VLAN:
    case PROTO_IEEE8021AD:
    case PROTO_SLL:
    case PROTO_SLL2:
    case PROTO_NULL:
    case PROTO_RAW:
    case PROTO_ARP:
    case PROTO_IPV4:
    case PROTO_IPV6:
    case PROTO_ICMP:
    case PROTO_ICMPV6:
    case PROTO_TCP:
    case PROTO_UDP:
        return true;
    default:
        return false;
    }
}

/* A field of such a protocol that reassembly or the frames around it fill in: the fragment and
 * segment lists and the reassembled data (ip.fragment, tcp.segment, ip.reassembled_in, ...),
 * the ping a request or reply is paired with (icmp.resp_in, resp_to, resptime) and the
 * protocols the frame ends up carrying (frame.protocols). Each word below names at least one
 * such field of the protocols above and no header field. frame.time_relative and time_delta
 * read the first and the previous packet's times, which the outline has. */
static bool field_frame_local(unsigned id)
{
    const char *name = field_def(id)->name;
    if (!name || !proto_frame_local(field_proto(id)))
        return false;
    static const char *const filled_later[] = {"fragment", "reassembled", "segment", "protocols",
                                               "resp_in",  "resp_to",     "resptime"};
    for (size_t i = 0; i < ARRAY_SIZE(filled_later); i++)
        if (strstr(name, filled_later[i]))
            return false;
    return true;
}

bool dfilter_frame_local(const struct dfilter *f)
{
    if (!f || f->uses_tracker)
        return false;
    for (size_t i = 0; i < f->nnodes; i++) {
        const struct node *n = &f->nodes[i];
        const struct operand *op[2] = {&n->a, &n->b};
        for (int k = 0; k < 2; k++) {
            const struct fref *r = &op[k]->ref;
            if (op[k]->kind == OPK_LITERAL || (r->source == FS_PROTO && r->frame))
                continue;
            for (unsigned j = 0; j < r->nids; j++)
                if (r->source == FS_PROTO ? !proto_frame_local(r->ids[j])
                                          : !field_frame_local(r->ids[j]))
                    return false;
        }
    }
    return true;
}

bool dfilter_reads_detail(const struct dfilter *f)
{
    return f && f->reads_detail;
}

/* Whether r names field or protocol id. */
static bool ref_names(const struct fref *r, uint16_t id)
{
    for (unsigned k = 0; k < r->nids; k++)
        if (r->ids[k] == id)
            return true;
    return false;
}

bool dfilter_names_field(const struct dfilter *f, uint16_t id)
{
    for (size_t i = 0; f && i < f->nnodes; i++) {
        const struct node *n = &f->nodes[i];
        const struct fref *r[2] = {&n->a.ref, &n->b.ref};
        bool operand[2] = {n->a.kind != OPK_LITERAL, n->b.kind != OPK_LITERAL};
        for (int k = 0; k < 2; k++)
            if (operand[k] && r[k]->source != FS_PROTO && ref_names(r[k], id))
                return true;
    }
    return false;
}

uint8_t *dfilter_kept_fields(const struct dfilter *f)
{
    uint8_t *kept = xcalloc(DIS_KEPT_FIELDS_BYTES, 1);
    for (unsigned id = 0; id < FID__COUNT; id++)
        if (dfilter_names_field(f, (uint16_t)id))
            kept[id / 8] |= (uint8_t)(1u << (id % 8));
    return kept;
}

struct dissect_options dfilter_on_own_options(const struct dfilter *f, const uint8_t *kept_fields,
                                              bool verify_checksums)
{
    return (struct dissect_options){
        .verify_checksums = verify_checksums,
        .lean = !dfilter_reads_detail(f),
        .headerless = true,
        .kept_fields = kept_fields,
        .transport_only = true,
    };
}

/* Whether the values of r in d may come from bytes at `from` or later. Matching reads bytes
 * only through these: a field's (dis_field_bytes) or a layer's; "frame" is the frame's own
 * bytes, and the virtual fields come from the summary and the tracker. */
static bool ref_reads_bytes_from(const struct fref *r, const struct dissection *d, uint32_t from)
{
    if (r->source == FS_FIELD) {
        for (unsigned i = 0; i < d->nfields; i++)
            if ((uint64_t)d->fields[i].offset + d->fields[i].len > from &&
                ref_names(r, d->fields[i].id))
                return true;
    } else if (r->source == FS_PROTO && !r->frame) {
        for (unsigned i = 0; i < d->nlayers; i++)
            if ((uint64_t)d->layers[i].offset + d->layers[i].len > from &&
                ref_names(r, d->layers[i].proto))
                return true;
    }
    return false;
}

bool dfilter_reads_bytes_from(const struct dfilter *f, const struct dissection *d, uint32_t from)
{
    /* Every node's operands: a logic node's are zeroed (no ids), a literal names nothing. */
    for (size_t i = 0; f && i < f->nnodes; i++) {
        const struct node *n = &f->nodes[i];
        if ((n->a.kind != OPK_LITERAL && ref_reads_bytes_from(&n->a.ref, d, from)) ||
            (n->b.kind != OPK_LITERAL && ref_reads_bytes_from(&n->b.ref, d, from)))
            return true;
    }
    return false;
}

void dfilter_free(struct dfilter *f)
{
    if (!f)
        return;
    for (size_t i = 0; i < f->nnodes; i++) {
        free(f->nodes[i].set);
        if (f->nodes[i].md)
            pcre2_match_data_free(f->nodes[i].md);
        if (f->nodes[i].re)
            pcre2_code_free(f->nodes[i].re);
    }
    for (size_t i = 0; i < f->nallocs; i++)
        free(f->allocs[i]);
    free(f->allocs);
    free(f->nodes);
    free(f);
}

void dfilter_protocols(void (*fn)(void *ctx, const char *name, const char *long_name), void *ctx)
{
    fn(ctx, "frame", "Frame");
    for (unsigned p = 1; p < PROTO__COUNT; p++) {
        const struct proto_info *pi = proto_info((enum proto_id)p);
        bool dup = false;
        for (unsigned q = 1; q < p; q++)
            dup = dup || strcmp(proto_info((enum proto_id)q)->short_name, pi->short_name) == 0;
        if (pi->short_name[0] && !dup)
            fn(ctx, pi->short_name, pi->long_name);
    }
}
