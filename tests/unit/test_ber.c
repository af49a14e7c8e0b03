/* The BER reader (dissect/ber.c): headers, lengths against the parent's end, integers, OID
 * text, and the depth-capped walk. */
#include "check.h"
#include "dissect/ber.h"

#include <string.h>

static void test_tlv_short_and_long(void)
{
    static const uint8_t b[] = {0x30, 0x03, 0x02, 0x01, 0x05, 0x04, 0x81, 0x02, 'h', 'i'};
    struct cursor c;
    struct ber_tlv t;
    cur_init(&c, b, sizeof(b));
    CHECK_EQ(ber_read_tlv(&c, sizeof(b), &t), BER_OK);
    CHECK_EQ(t.cls, BER_UNIVERSAL);
    CHECK(t.constructed);
    CHECK_EQ(t.tag, BER_TAG_SEQUENCE);
    CHECK_EQ(t.off, 2);
    CHECK_EQ(t.len, 3);
    CHECK_EQ(ber_read_tlv(&c, 5, &t), BER_OK);
    CHECK_EQ(t.tag, BER_TAG_INTEGER);
    CHECK(!t.constructed);
    cur_skip(&c, t.len);
    /* long form 0x81 0x02 */
    CHECK_EQ(ber_read_tlv(&c, sizeof(b), &t), BER_OK);
    CHECK_EQ(t.tag, BER_TAG_OCTET_STRING);
    CHECK_EQ(t.off, 8);
    CHECK_EQ(t.len, 2);
}

static void test_tlv_errors(void)
{
    struct cursor c;
    struct ber_tlv t;
    /* contents (5 bytes) past the parent's end (4): malformed, even if captured */
    static const uint8_t past[] = {0x04, 0x05, 1, 2, 3, 4, 5};
    cur_init(&c, past, sizeof(past));
    CHECK_EQ(ber_read_tlv(&c, 4, &t), BER_PAST_PARENT);
    /* the same length inside the parent but past the captured bytes: not an error here */
    cur_init(&c, past, 4);
    CHECK_EQ(ber_read_tlv(&c, 7, &t), BER_OK);
    /* header cut by the capture */
    static const uint8_t cut[] = {0x30, 0x82, 0x01};
    cur_init(&c, cut, sizeof(cut));
    CHECK_EQ(ber_read_tlv(&c, 100, &t), BER_SHORT);
    cur_init(&c, cut, 1);
    CHECK_EQ(ber_read_tlv(&c, 100, &t), BER_SHORT);
    /* indefinite length, and 5 length octets */
    static const uint8_t indef[] = {0x30, 0x80, 0, 0};
    cur_init(&c, indef, sizeof(indef));
    CHECK_EQ(ber_read_tlv(&c, sizeof(indef), &t), BER_BAD_LENGTH);
    static const uint8_t five[] = {0x04, 0x85, 0, 0, 0, 0, 1, 0};
    cur_init(&c, five, sizeof(five));
    CHECK_EQ(ber_read_tlv(&c, sizeof(five), &t), BER_BAD_LENGTH);
    /* a 4-byte length of 0xffffffff never wraps the limit check */
    static const uint8_t huge[] = {0x04, 0x84, 0xff, 0xff, 0xff, 0xff, 0};
    cur_init(&c, huge, sizeof(huge));
    CHECK_EQ(ber_read_tlv(&c, sizeof(huge), &t), BER_PAST_PARENT);
    /* high tag number: 2 octets fine, 5 octets too many */
    static const uint8_t hi[] = {0x5f, 0x81, 0x00, 0x00};
    cur_init(&c, hi, sizeof(hi));
    CHECK_EQ(ber_read_tlv(&c, sizeof(hi), &t), BER_OK);
    CHECK_EQ(t.cls, BER_APPLICATION);
    CHECK_EQ(t.tag, 128);
    static const uint8_t hi5[] = {0x1f, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00};
    cur_init(&c, hi5, sizeof(hi5));
    CHECK_EQ(ber_read_tlv(&c, sizeof(hi5), &t), BER_BAD_TAG);
}

static void test_integers(void)
{
    int64_t v;
    uint64_t u;
    static const uint8_t m1[] = {0xff};
    CHECK_EQ(ber_int64(m1, 1, &v), BER_OK);
    CHECK_EQ(v, -1);
    static const uint8_t p128[] = {0x00, 0x80};
    CHECK_EQ(ber_int64(p128, 2, &v), BER_OK);
    CHECK_EQ(v, 128);
    static const uint8_t min[] = {0x80, 0, 0, 0, 0, 0, 0, 0};
    CHECK_EQ(ber_int64(min, 8, &v), BER_OK);
    CHECK(v == INT64_MIN);
    static const uint8_t nine[] = {0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    CHECK_EQ(ber_int64(nine, 9, &v), BER_BAD_INTEGER);
    CHECK_EQ(ber_int64(nine, 0, &v), BER_BAD_INTEGER);
    CHECK_EQ(ber_uint64(nine, 9, &u), BER_OK);
    CHECK(u == UINT64_MAX);
    static const uint8_t nine1[] = {0x01, 0, 0, 0, 0, 0, 0, 0, 0};
    CHECK_EQ(ber_uint64(nine1, 9, &u), BER_BAD_INTEGER); /* 2^64: too wide */
    CHECK_EQ(ber_uint64(p128 + 1, 1, &u), BER_OK);
    CHECK_EQ(u, 128); /* unsigned types read 0x80 as 128 */
}

static void check_oid(const uint8_t *p, size_t n, enum ber_err want, const char *text)
{
    char out[64];
    size_t len;
    CHECK_EQ(ber_oid_text(p, n, out, sizeof(out), &len), want);
    CHECK_STR(out, text);
    CHECK_EQ(len, strlen(text));
}

static void test_oids(void)
{
    static const uint8_t sysdescr[] = {0x2b, 6, 1, 2, 1, 1, 1, 0};
    check_oid(sysdescr, sizeof(sysdescr), BER_OK, "1.3.6.1.2.1.1.1.0");
    static const uint8_t ent[] = {0x2b, 6, 1, 4, 1, 0xbf, 0x08, 2, 3}; /* 8072 = 0x3f08 */
    check_oid(ent, sizeof(ent), BER_OK, "1.3.6.1.4.1.8072.2.3");
    static const uint8_t first[] = {0x00, 0x28, 0x51};
    check_oid(first, 1, BER_OK, "0.0");
    check_oid(first + 1, 1, BER_OK, "1.0");
    check_oid(first + 2, 1, BER_OK, "2.1");
    /* the first subidentifier above 80 belongs to arc 2: 0x88 0x37 = 1079 -> 2.999 */
    static const uint8_t j999[] = {0x88, 0x37, 3};
    check_oid(j999, sizeof(j999), BER_OK, "2.999.3");
    /* largest 64-bit arc: 0x81 then 8 x 0xff then 0x7f = 2^64 - 1 */
    static const uint8_t max64[] = {0x2b, 0x81, 0xff, 0xff, 0xff, 0xff,
                                    0xff, 0xff, 0xff, 0xff, 0x7f};
    check_oid(max64, sizeof(max64), BER_OK, "1.3.18446744073709551615");
    /* a 10-byte arc of 70 bits: overflow, not a wrapped number; the arcs before it are kept */
    static const uint8_t ovf[] = {0x2b, 6,    0xff, 0xff, 0xff, 0xff,
                                  0xff, 0xff, 0xff, 0xff, 0xff, 0x7f};
    check_oid(ovf, sizeof(ovf), BER_OID_OVERFLOW, "1.3.6");
    /* 2^64 exactly: 0x82 then 8 x 0x80 then 0x00 */
    static const uint8_t two64[] = {0x2b, 0x82, 0x80, 0x80, 0x80, 0x80,
                                    0x80, 0x80, 0x80, 0x80, 0x00};
    check_oid(two64, sizeof(two64), BER_OID_OVERFLOW, "1.3");
    /* cut inside a subidentifier, and empty */
    static const uint8_t cut[] = {0x2b, 6, 0x81};
    check_oid(cut, sizeof(cut), BER_BAD_OID, "1.3.6");
    check_oid(cut, 0, BER_BAD_OID, "");
    /* a small buffer cuts the text, never overruns */
    char small[6];
    size_t len;
    CHECK_EQ(ber_oid_text(sysdescr, sizeof(sysdescr), small, sizeof(small), &len), BER_OK);
    CHECK_STR(small, "1.3.6");
    CHECK_EQ(len, 5);
}

static void test_walk(void)
{
    uint8_t b[64];
    struct cursor c;
    size_t at;
    /* 16 nested SEQUENCEs around a NULL: allowed; 17: too deep */
    for (int depth = 16; depth <= 17; depth++) {
        size_t n = 2 * (size_t)depth + 2;
        for (int i = 0; i < depth; i++) {
            b[2 * i] = 0x30;
            b[2 * i + 1] = (uint8_t)(n - 2 * (size_t)i - 2);
        }
        b[2 * depth] = 0x05;
        b[2 * depth + 1] = 0x00;
        cur_init(&c, b, n);
        CHECK_EQ(ber_walk(&c, n, &at), depth == 16 ? BER_OK : BER_TOO_DEEP);
        if (depth == 16)
            CHECK_EQ(c.off, n);
    }
    /* an inner length past its parent */
    static const uint8_t bad[] = {0x30, 0x03, 0x04, 0x05, 0x00};
    cur_init(&c, bad, sizeof(bad));
    CHECK_EQ(ber_walk(&c, sizeof(bad), &at), BER_PAST_PARENT);
    CHECK_EQ(at, 2);
    /* cut by the capture */
    static const uint8_t cut[] = {0x30, 0x04, 0x04, 0x02, 'a'};
    cur_init(&c, cut, sizeof(cut));
    CHECK_EQ(ber_walk(&c, 6, &at), BER_SHORT);
}

int main(void)
{
    test_tlv_short_and_long();
    test_tlv_errors();
    test_integers();
    test_oids();
    test_walk();
    return check_done();
}
