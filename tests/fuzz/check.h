/*
 * What every harness checks besides memory errors (ASan/UBSan): rendered text never carries a
 * control byte, attribute spans stay inside their line, and the dissection model keeps the
 * invariants dissect.h promises. Any violation aborts, so the fuzzer reports it as a crash.
 * Header-only (static functions): each harness is one file plus this one. Kept out of line
 * (FUZZ_CHECK), so that the fuzz build leaves them out of its coverage by name
 * (coverage-ignore.txt): tracing their per-byte loops was a fifth of fuzz_outputs' time.
 */
#ifndef PKTSCOPE_TESTS_FUZZ_CHECK_H
#define PKTSCOPE_TESTS_FUZZ_CHECK_H

#include <stdlib.h>
#include <string.h>

#include "dissect/dissect.h"
#include "format/line.h"

#define FUZZ_CHECK static __attribute__((noinline, unused))

FUZZ_CHECK void fuzz_check_text(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if ((ch < 0x20 && ch != '\t') || ch == 0x7f)
            abort(); /* a packet's control byte reached the text */
    }
}

FUZZ_CHECK void fuzz_check_lines(const struct lines *l)
{
    for (size_t i = 0; i < l->n; i++) {
        const struct line *ln = &l->v[i];
        fuzz_check_text(ln->text, ln->len);
        for (unsigned k = 0; k < ln->nspans && k < LINE_MAX_SPANS; k++)
            if ((size_t)ln->spans[k].start + ln->spans[k].len > ln->len)
                abort();
    }
}

/* DIS_REASSEMBLED's promise (dissect.h), on which the TUI relies: a frame dissected with the
 * reassembler and not flagged reads exactly the same dissected again on its own. */
FUZZ_CHECK void fuzz_check_alone(const struct dissection *d, const uint8_t *data, uint32_t caplen,
                                 uint32_t len, uint32_t linktype, bool verify_checksums)
{
    static struct dissection alone;
    if (d->flags & DIS_REASSEMBLED)
        return;
    struct dissect_options opt = {.verify_checksums = verify_checksums, .reasm = NULL};
    dissect_frame(&alone, data, caplen, len, linktype, &opt);
    if (dis_difference(d, &alone))
        abort();
}

/* The invariants dissect.h promises. Offsets may reach past caplen into the reassembled bytes
 * (data_len), never past data_len. */
FUZZ_CHECK void fuzz_check_model(const struct dissection *d)
{
    if (d->nlayers > DIS_MAX_LAYERS || d->nfields > DIS_MAX_FIELDS ||
        d->nanomalies > DIS_MAX_ANOMALIES || d->text_len > DIS_TEXT_SIZE)
        abort();
    size_t end = d->data_len > d->caplen ? d->data_len : d->caplen;
    unsigned next_field = 0;
    for (unsigned i = 0; i < d->nlayers; i++) {
        const struct layer *l = &d->layers[i];
        if (l->offset > end || l->len > end - l->offset || l->hdr_len > l->len)
            abort();
        if (l->proto >= PROTO__COUNT || l->status > LAYER_UNSUPPORTED)
            abort();
        if (l->nfields && l->first_field != next_field)
            abort(); /* fields of a layer are contiguous, layers in order */
        next_field = (unsigned)l->first_field + l->nfields;
    }
    if (next_field > d->nfields)
        abort();
    for (unsigned i = 0; i < d->nfields; i++) {
        const struct field *f = &d->fields[i];
        if (f->id >= FID__COUNT)
            abort();
        if (f->offset > end || f->len > end - f->offset)
            abort();
        if (field_def(f->id)->type == FT_STRING) {
            size_t n;
            const char *t = dis_field_text(d, f, &n);
            if (t < d->text || t + n > d->text + DIS_TEXT_SIZE)
                abort();
        }
    }
    for (unsigned i = 0; i < d->nanomalies; i++)
        if (d->anomalies[i].id >= ANOM__COUNT || d->anomalies[i].offset > end)
            abort();
    if (strnlen(d->protocols, sizeof(d->protocols)) >= sizeof(d->protocols))
        abort();
}

#endif
