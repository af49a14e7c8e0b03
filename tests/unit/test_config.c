/* The settings file (util/config.h): parsing, bad lines reported once and skipped, and what
 * config_format() writes parses back to the same settings. No files: text in memory. */
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "util/config.h"
#include "util/strbuf.h"

static void parse_text(struct config *c, const char *text)
{
    config_init(c);
    config_parse(c, text, strlen(text), "test.conf");
}

static void test_parse(void)
{
    struct config c;
    parse_text(&c, "# settings\n"
                   "\n"
                   "  columns = no, time ,ip.ttl,tcp.stream,info  \n"
                   "time=delta\r\n"
                   "conns-sort = Bytes desc\n"
                   "color = never\n");
    CHECK_STR(c.columns, "no,time,ip.ttl,tcp.stream,info");
    CHECK_EQ(c.columns_line, 3);
    CHECK_STR(c.time, "delta");
    CHECK_EQ(c.time_line, 4);
    CHECK_STR(c.conns_sort, "bytes");
    CHECK(c.conns_desc);
    CHECK_STR(c.color, "never");
    CHECK_EQ(c.nproblems, 0);
    CHECK_STR(c.warning, "");

    parse_text(&c, "time = absolute\nconns-sort = id\n");
    CHECK_STR(c.time, "abs");
    CHECK_STR(c.conns_sort, "id");
    CHECK(!c.conns_desc);
    CHECK_STR(c.columns, "");
    CHECK_EQ(c.columns_line, 0);

    parse_text(&c, "");
    CHECK_EQ(c.nproblems, 0);
}

static void test_bad_lines(void)
{
    struct config c;
    /* The first problem is told with its line, the others counted; good lines are kept. */
    parse_text(&c, "columns = no,,info\n"
                   "time = tomorrow\n"
                   "colour = always\n"
                   "just words\n"
                   "sort = id\n"
                   "conns-sort = id sideways\n"
                   "color = \x1b[31m\n");
    CHECK_EQ(c.nproblems, 6);
    CHECK_STR(c.color, "always");
    CHECK_STR(c.columns, "");
    CHECK_STR(c.time, "");
    CHECK(strncmp(c.warning, "test.conf:1: columns wants names", 32) == 0);
    CHECK(strstr(c.warning, "(and 5 more problems)") != NULL);
    CHECK(strchr(c.warning, '\x1b') == NULL);

    /* A control byte in a value never reaches the warning raw. */
    parse_text(&c, "time = \x1b]0;owned\x07\n");
    CHECK_EQ(c.nproblems, 1);
    CHECK(strchr(c.warning, '\x1b') == NULL && strchr(c.warning, '\x07') == NULL);

    /* A NUL or an endless line is a problem, not a crash. */
    static const char nul[] = "time = rel\0x\ncolor = auto\n";
    config_init(&c);
    config_parse(&c, nul, sizeof(nul) - 1, "nul.conf");
    CHECK_EQ(c.nproblems, 1);
    CHECK_STR(c.color, "auto");
    size_t n = 5000;
    char *longline = malloc(n);
    memset(longline, 'a', n);
    config_init(&c);
    config_parse(&c, longline, n, "long.conf");
    CHECK_EQ(c.nproblems, 1);
    CHECK(strncmp(c.warning, "long.conf:1: ", 13) == 0);
    free(longline);

    /* The caller's own finding counts as one more. */
    parse_text(&c, "columns = no,bogus.field\n");
    config_warn_line(&c, c.columns_line, "unknown column '%s'", "bogus.field");
    CHECK_STR(c.warning, "test.conf:1: unknown column 'bogus.field'");
}

static void test_round_trip(void)
{
    struct config c, back;
    parse_text(&c, "columns=no,source,http.host\ntime=epoch\nconns-sort=duration desc\n"
                   "color=auto\n");
    char buf[4096];
    struct strbuf sb;
    sb_init(&sb, buf, sizeof(buf));
    config_format(&c, &sb);
    CHECK(!sb.overflow);
    parse_text(&back, buf);
    CHECK_EQ(back.nproblems, 0);
    CHECK_STR(back.columns, c.columns);
    CHECK_STR(back.time, c.time);
    CHECK_STR(back.conns_sort, c.conns_sort);
    CHECK_EQ(back.conns_desc, c.conns_desc);
    CHECK_STR(back.color, c.color);

    /* Unset values are not written. */
    config_init(&c);
    snprintf(c.time, sizeof(c.time), "abs");
    sb_init(&sb, buf, sizeof(buf));
    config_format(&c, &sb);
    CHECK(strstr(buf, "time = abs\n") != NULL);
    CHECK(strstr(buf, "columns") == NULL);
}

int main(void)
{
    test_parse();
    test_bad_lines();
    test_round_trip();
    return check_done();
}
