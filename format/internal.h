/*
 * Internal interface between the files of format/. Not for use outside format/.
 *
 * notes.c holds every teaching annotation (address class, OUI vendor, MAC bits, port range and
 * service) so that the layer tree and the JSON say the same thing in the same words.
 */
#ifndef PKTSCOPE_FORMAT_INTERNAL_H
#define PKTSCOPE_FORMAT_INTERNAL_H

#include <string.h>

#include "format/format.h"
#include "util/strbuf.h"
#include "util/util.h"

/* Appends note lines (ATTR_NOTE, tree depth `depth`) about field `f`; nothing for most fields. */
void notes_field(struct lines *ls, const struct dissection *d, const struct field *f,
                 uint8_t depth);
/* Checksums (checksum.c). True for the *.checksum.status fields. */
bool checksum_is_status(enum field_id id);
/* True when the checksum status `f` is Bad because the sender left the sum to its NIC. */
bool checksum_offloaded(const struct dissection *d, const struct field *f);
/* For a checksum field (not its status): tshark -V's verdict after the value ("[unverified]",
 * "[correct]", "incorrect", "[zero-value ignored]"), or NULL. */
const char *checksum_verdict(const struct dissection *d, const struct field *f);
/* For a checksum status field: why it is what it is (one sentence), or NULL. */
const char *checksum_why(const struct dissection *d, const struct field *f);
/* ,"name": -- written whole when it fits, as every field of every packet starts with one. A
 * field's name comes with its length (field_def), a literal's is the compiler's (key). */
static inline __attribute__((always_inline)) void key_n(struct strbuf *sb, const char *name,
                                                        size_t n)
{
    if (n + 4 < sb->cap - sb->len && n < 64) {
        char *out = sb->buf + sb->len;
        out[0] = ',';
        out[1] = '"';
        copy_short(out + 2, name, n);
        out[n + 2] = '"';
        out[n + 3] = ':';
        sb->len += n + 4;
        sb->buf[sb->len] = '\0';
        return;
    }
    sb_puts(sb, ",\"");
    sb_putn(sb, name, n);
    sb_puts(sb, "\":");
}
/* ,"key":"value" for a value of pktscope's own (a state, phase, rule, class or range name, a
 * Community ID): text JSON writes as it is, so no escaping is looked for (test_format checks
 * every such name). One bounds check and two short copies: these come a dozen a packet, and
 * the escaping string writer cost ten times as much for them. */
static inline void json_key_plain(struct strbuf *sb, const char *key, size_t key_len,
                                  const char *val, size_t val_len)
{
    if (key_len < 64 && val_len < 64 && key_len + val_len + 6 < sb->cap - sb->len) {
        char *out = sb->buf + sb->len;
        out[0] = ',';
        out[1] = '"';
        copy_short(out + 2, key, key_len);
        out += key_len + 2;
        out[0] = '"';
        out[1] = ':';
        out[2] = '"';
        copy_short(out + 3, val, val_len);
        out[val_len + 3] = '"';
        sb->len += key_len + val_len + 6;
        sb->buf[sb->len] = '\0';
        return;
    }
    key_n(sb, key, key_len);
    sb_putc(sb, '"');
    sb_putn(sb, val, val_len);
    sb_putc(sb, '"');
}
/* The same with a literal key and a NUL-terminated value. */
#define JSON_KEY_PLAIN(sb, key, val)                                                               \
    do {                                                                                           \
        const char *val_ = (val);                                                                  \
        json_key_plain((sb), (key), sizeof(key) - 1, val_, strlen(val_));                          \
    } while (0)

/* Appends the pktscope.addr_class.src/dst and pktscope.service keys (each after a ','). */
void format_json_annotations(struct strbuf *sb, const struct dissection *d);

#endif
