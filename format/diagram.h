/*
 * diagram: what the sequence diagrams (format/ladder.c: one connection; format/flow.c: several
 * hosts) share when they write their files: the escaping that keeps a label inside one Mermaid,
 * PlantUML or SVG statement, and the small line helpers of their text renderings.
 *
 * Invariant: text written through diagram_put_text() cannot end a Mermaid or PlantUML statement,
 * and text written through diagram_put_xml() is well-formed XML character data made of printable
 * ASCII only (any other byte becomes '.').
 */
#ifndef PKTSCOPE_FORMAT_DIAGRAM_H
#define PKTSCOPE_FORMAT_DIAGRAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "format/line.h"
#include "util/strbuf.h"

/* Appends s[0..n) with the characters that end a Mermaid/PlantUML statement replaced. */
void diagram_put_text(struct strbuf *sb, const char *s, size_t n);

/* Appends s[0..n) as XML character data (attribute-safe too). */
void diagram_put_xml(struct strbuf *sb, const char *s, size_t n);

/* Adds one whole line of `n` bytes in attribute `attr`, its line.ref set to `ref`. */
void diagram_line(struct lines *out, uint8_t attr, const char *s, size_t n, int32_t ref);

/* Pads `sb` with spaces up to column `col`. */
void diagram_pad(struct strbuf *sb, size_t col);

/* The first lines of a Mermaid sequence diagram or a PlantUML one, and the last. */
void diagram_seq_begin(struct lines *out, bool mermaid);
void diagram_seq_end(struct lines *out, bool mermaid);

/* A standalone SVG document's start: the XML declaration, the <svg> root of width x height in a
 * 12-point monospace font, its <title> (escaped), the arrow head marker "head" and a white
 * background. The caller adds the drawing and "</svg>". */
void diagram_svg_begin(struct lines *out, unsigned width, unsigned height, const char *title);

/* A frame number as a line.ref (clamped to INT32_MAX). */
int32_t diagram_ref(uint64_t frame);

#endif
