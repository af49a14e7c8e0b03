/* The packet list's columns (ui/columns.h): names and aliases, unknown names, the chooser's
 * edits, and the cells of a row (no packet: the field reader is tested by -T fields' oracle). */
#include <string.h>

#include "check.h"
#include "ui/columns.h"
#include "util/util.h"

static const char *list_of(const struct columns *cs, char *buf, size_t size)
{
    struct strbuf sb;
    sb_init(&sb, buf, size);
    columns_list(cs, &sb);
    return buf;
}

static void test_names(void)
{
    struct columns cs;
    char err[PS_ERRBUF_SIZE], buf[512];
    columns_init(&cs);
    CHECK(columns_is_default(&cs));
    CHECK(!columns_need_fields(&cs));
    CHECK_STR(list_of(&cs, buf, sizeof(buf)), COLUMNS_DEFAULT);
    /* tshark's titles and short forms, in any case, become the built-in names */
    CHECK_EQ(
        columns_parse(&cs, "No., TIME,src,Destination,Proto,Length,phase,Info", err, sizeof(err)),
        0);
    CHECK(columns_is_default(&cs));
    CHECK_EQ(columns_parse(&cs, "no,ip.ttl,tcp.stream,info", err, sizeof(err)), 0);
    CHECK(!columns_is_default(&cs));
    CHECK(columns_need_fields(&cs));
    CHECK_EQ(cs.v[1].kind, COLUMN_FIELD);
    CHECK_STR(column_title(&cs.v[1], FMT_TIME_RELATIVE), "ip.ttl");
    /* an unknown name: an error naming it and the nearest field; the set is kept */
    CHECK_EQ(columns_parse(&cs, "no,ip.tll", err, sizeof(err)), -1);
    CHECK(strstr(err, "unknown column 'ip.tll'") != NULL);
    CHECK(strstr(err, "ip.ttl") != NULL);
    CHECK_STR(list_of(&cs, buf, sizeof(buf)), "no,ip.ttl,tcp.stream,info");
    CHECK_EQ(columns_parse(&cs, "no,,info", err, sizeof(err)), -1);
    CHECK_EQ(columns_parse(&cs, "no,tcp", err, sizeof(err)), -1); /* a protocol */
    CHECK_EQ(columns_parse(&cs, "no,ip.src == 1", err, sizeof(err)), -1);
    columns_release(&cs);
}

static void test_edits(void)
{
    struct columns cs;
    char err[PS_ERRBUF_SIZE], buf[512];
    columns_init(&cs);
    CHECK_EQ(columns_insert(&cs, 4, "ip.ttl", err, sizeof(err)), 0);
    CHECK_STR(list_of(&cs, buf, sizeof(buf)),
              "no,time,source,destination,ip.ttl,protocol,length,phase,info");
    CHECK(columns_move(&cs, 4, +1));
    CHECK(columns_move(&cs, 5, +1));
    CHECK(!columns_move(&cs, 0, -1));
    CHECK(!columns_move(&cs, cs.n - 1, +1));
    columns_remove(&cs, 5); /* length */
    CHECK_STR(list_of(&cs, buf, sizeof(buf)),
              "no,time,source,destination,protocol,ip.ttl,phase,info");
    CHECK_EQ(columns_insert(&cs, 0, "bogus.thing", err, sizeof(err)), -1);
    while (cs.n < COLUMNS_MAX)
        CHECK_EQ(columns_insert(&cs, cs.n, "tcp.len", err, sizeof(err)), 0);
    CHECK_EQ(columns_insert(&cs, 0, "no", err, sizeof(err)), -1);
    columns_release(&cs);
}

static void test_cells(void)
{
    struct columns cs;
    char err[PS_ERRBUF_SIZE];
    columns_init(&cs);
    CHECK_EQ(columns_parse(&cs, "no,time,length,source,info,ip.ttl", err, sizeof(err)), 0);
    struct summary s;
    memset(&s, 0, sizeof(s));
    memcpy(s.src, "10.0.0.1", 9);
    memcpy(s.info, "hello", 6);
    struct column_row row = {"7", "0.5", "60", &s, NULL};
    uint8_t attr;
    CHECK_STR(columns_cell(&cs, 0, &row, &attr), "7");
    CHECK_STR(columns_cell(&cs, 2, &row, &attr), "60");
    CHECK_STR(columns_cell(&cs, 3, &row, &attr), "10.0.0.1");
    CHECK_EQ(attr, ATTR_ADDR);
    CHECK_STR(columns_cell(&cs, 5, &row, &attr), ""); /* no field view: empty */
    struct lines ls;
    lines_init(&ls);
    columns_print_line(&ls, &cs, &row, 7);
    CHECK_EQ(ls.n, 1);
    CHECK(ls.n == 1 && ls.v[0].len == strlen("7\t0.5\t60\t10.0.0.1\thello\t") &&
          memcmp(ls.v[0].text, "7\t0.5\t60\t10.0.0.1\thello\t", ls.v[0].len) == 0);
    lines_release(&ls);
    columns_release(&cs);
}

int main(void)
{
    test_names();
    test_edits();
    test_cells();
    return check_done();
}
