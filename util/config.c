/*
 * The settings file (config.h): a bounded line parser, a formatter and an atomic writer.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util/config.h"
#include "util/outfile.h"
#include "util/util.h"

void config_init(struct config *c)
{
    memset(c, 0, sizeof(*c));
}

int config_default_path(char *buf, size_t size)
{
    const char *xdg = getenv("XDG_CONFIG_HOME");
    int n;
    if (xdg && xdg[0] == '/') {
        n = snprintf(buf, size, "%s/pktscope/config", xdg);
    } else {
        const char *home = getenv("HOME");
        if (!home || !*home)
            return -1;
        n = snprintf(buf, size, "%s/.config/pktscope/config", home);
    }
    return n < 0 || (size_t)n >= size ? -1 : 0;
}

static void vwarn(struct config *c, unsigned line, const char *fmt, va_list ap)
{
    c->nproblems++;
    if (c->nproblems > 1) {
        /* Only the first problem is told in full; the count says the rest. */
        char *more = strstr(c->warning, " (and ");
        if (more)
            *more = '\0';
        size_t n = strlen(c->warning);
        snprintf(c->warning + n, sizeof(c->warning) - n, " (and %u more problem%s)",
                 c->nproblems - 1, c->nproblems > 2 ? "s" : "");
        return;
    }
    struct strbuf sb;
    sb_init(&sb, c->warning, sizeof(c->warning));
    const char *name = c->path[0] ? c->path : "config";
    if (line)
        sb_printf(&sb, "%s:%u: ", name, line);
    else
        sb_printf(&sb, "%s: ", name);
    char text[CONFIG_WARN_SIZE];
    vsnprintf(text, sizeof(text), fmt, ap);
    sb_put_safe(&sb, (const uint8_t *)text, strlen(text));
}

void config_warn_line(struct config *c, unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vwarn(c, line, fmt, ap);
    va_end(ap);
}

static bool is_blank(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\r';
}

/* The value's characters: a column list holds names such as "No." or "tcp.stream". */
static bool word_char(char ch)
{
    return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
           ch == '.' || ch == '_' || ch == '-';
}

static bool one_of(const char *v, const char *const *names)
{
    for (; *names; names++)
        if (strcmp(v, *names) == 0)
            return true;
    return false;
}

/* "no, time ,ip.ttl" -> "no,time,ip.ttl"; false when a name is empty or has other bytes. */
static bool parse_columns(const char *v, char *out, size_t size)
{
    struct strbuf sb;
    sb_init(&sb, out, size);
    bool empty_name = true;
    for (; *v; v++) {
        if (is_blank(*v))
            continue;
        if (*v == ',') {
            if (empty_name)
                return false;
            sb_putc(&sb, ',');
            empty_name = true;
        } else if (word_char(*v)) {
            sb_putc(&sb, *v);
            empty_name = false;
        } else {
            return false;
        }
    }
    return !empty_name && !sb.overflow;
}

/* "bytes desc" (or "bytes", "bytes asc"). */
static bool parse_sort(struct config *c, const char *v)
{
    char name[sizeof(c->conns_sort)];
    size_t n = 0;
    for (; *v && !is_blank(*v); v++) {
        char ch = *v >= 'A' && *v <= 'Z' ? (char)(*v - 'A' + 'a') : *v;
        if (!word_char(ch) || n + 1 >= sizeof(name))
            return false;
        name[n++] = ch;
    }
    name[n] = '\0';
    while (is_blank(*v))
        v++;
    bool desc = false;
    if (strcmp(v, "desc") == 0)
        desc = true;
    else if (*v && strcmp(v, "asc") != 0)
        return false;
    if (n == 0)
        return false;
    memcpy(c->conns_sort, name, n + 1);
    c->conns_desc = desc;
    return true;
}

static void parse_line(struct config *c, char *s, unsigned line)
{
    while (is_blank(*s))
        s++;
    size_t n = strlen(s);
    while (n > 0 && is_blank(s[n - 1]))
        s[--n] = '\0';
    if (*s == '\0' || *s == '#')
        return;
    char *eq = strchr(s, '=');
    if (!eq) {
        config_warn_line(c, line, "not 'key = value': %.40s", s);
        return;
    }
    char *v = eq + 1;
    while (is_blank(*v))
        v++;
    while (eq > s && is_blank(eq[-1]))
        eq--;
    *eq = '\0';
    static const char *const times[] = {"rel", "abs", "date", "delta", "epoch", NULL};
    static const char *const colors[] = {"auto", "always", "never", NULL};
    if (strcmp(s, "columns") == 0) {
        char cols[sizeof(c->columns)];
        if (parse_columns(v, cols, sizeof(cols))) {
            memcpy(c->columns, cols, sizeof(cols));
            c->columns_line = line;
        } else {
            config_warn_line(c, line, "columns wants names separated by commas, not '%.40s'", v);
        }
    } else if (strcmp(s, "time") == 0) {
        const char *t = strcmp(v, "relative") == 0 ? "rel" : strcmp(v, "absolute") == 0 ? "abs" : v;
        if (one_of(t, times)) {
            snprintf(c->time, sizeof(c->time), "%s", t);
            c->time_line = line;
        } else {
            config_warn_line(c, line, "time wants rel, abs, date, delta or epoch, not '%.40s'", v);
        }
    } else if (strcmp(s, "conns-sort") == 0) {
        if (parse_sort(c, v))
            c->conns_sort_line = line;
        else
            config_warn_line(c, line, "conns-sort wants a column and asc or desc, not '%.40s'", v);
    } else if (strcmp(s, "color") == 0 || strcmp(s, "colour") == 0) {
        if (one_of(v, colors)) {
            snprintf(c->color, sizeof(c->color), "%s", v);
            c->color_line = line;
        } else {
            config_warn_line(c, line, "color wants auto, always or never, not '%.40s'", v);
        }
    } else if (strcmp(s, "color-scheme") == 0 || strcmp(s, "colour-scheme") == 0) {
        static const char *const schemes[] = {"default", "high-contrast", NULL};
        if (one_of(v, schemes)) {
            snprintf(c->color_scheme, sizeof(c->color_scheme), "%s", v);
            c->color_scheme_line = line;
        } else {
            config_warn_line(c, line, "color-scheme wants default or high-contrast, not '%.40s'",
                             v);
        }
    } else {
        config_warn_line(c, line,
                         "unknown key '%.40s' (known: columns, time, conns-sort, color, "
                         "color-scheme)",
                         s);
    }
}

void config_parse(struct config *c, const char *text, size_t len, const char *name)
{
    if (name && name != c->path)
        snprintf(c->path, sizeof(c->path), "%s", name);
    char buf[2048];
    unsigned line = 0;
    size_t at = 0;
    while (at < len) {
        line++;
        const char *nl = memchr(text + at, '\n', len - at);
        size_t end = nl ? (size_t)(nl - text) : len;
        size_t n = end - at;
        if (n >= sizeof(buf) || memchr(text + at, '\0', n)) {
            config_warn_line(c, line, "a line too long or holding a NUL byte");
        } else {
            memcpy(buf, text + at, n);
            buf[n] = '\0';
            parse_line(c, buf, line);
        }
        at = end + 1;
    }
}

void config_load(struct config *c, const char *path)
{
    snprintf(c->path, sizeof(c->path), "%s", path);
    int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    if (fd < 0) {
        if (errno != ENOENT)
            config_warn_line(c, 0, "cannot read it (%s); the defaults are used", strerror(errno));
        return;
    }
    struct stat st;
    if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
        config_warn_line(c, 0, "not a regular file; the defaults are used");
        close(fd);
        return;
    }
    char *text = xmalloc(CONFIG_MAX_BYTES + 1);
    size_t len = 0;
    for (;;) {
        ssize_t r = read(fd, text + len, CONFIG_MAX_BYTES + 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0) {
            config_warn_line(c, 0, "cannot read it (%s); the defaults are used", strerror(errno));
            len = 0;
            break;
        }
        if (r == 0 || (len += (size_t)r) > CONFIG_MAX_BYTES)
            break;
    }
    close(fd);
    if (len > CONFIG_MAX_BYTES) {
        config_warn_line(c, 0, "larger than %d bytes; the defaults are used", CONFIG_MAX_BYTES);
        len = 0;
    }
    config_parse(c, text, len, path);
    free(text);
}

void config_format(const struct config *c, struct strbuf *sb)
{
    sb_puts(sb, "# pktscope settings (pktscope(1), FILES). Written by the TUI when a setting\n"
                "# changes; the command line wins over this file.\n");
    if (c->columns[0])
        sb_printf(sb, "columns = %s\n", c->columns);
    if (c->time[0])
        sb_printf(sb, "time = %s\n", c->time);
    if (c->conns_sort[0])
        sb_printf(sb, "conns-sort = %s %s\n", c->conns_sort, c->conns_desc ? "desc" : "asc");
    if (c->color[0])
        sb_printf(sb, "color = %s\n", c->color);
    if (c->color_scheme[0])
        sb_printf(sb, "color-scheme = %s\n", c->color_scheme);
}

/* Creates the directories leading to path that are missing, 0700 (the XDG Base Directory
 * rule for $XDG_CONFIG_HOME and below). */
static int make_dirs(const char *path, char *errbuf)
{
    char dir[sizeof(((struct config *)0)->path)];
    snprintf(dir, sizeof(dir), "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    struct stat st;
    if (stat(dir, &st) == 0)
        return 0;
    for (char *p = dir + 1;; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char was = *p;
        *p = '\0';
        if (mkdir(dir, 0700) < 0 && errno != EEXIST)
            return ps_err(errbuf, "cannot create %s: %s", dir, strerror(errno));
        *p = was;
        if (was == '\0')
            return 0;
    }
}

int config_save(const struct config *c, const char *path, char *errbuf)
{
    char text[4096];
    struct strbuf sb;
    sb_init(&sb, text, sizeof(text));
    config_format(c, &sb);
    if (sb.overflow)
        return ps_err(errbuf, "the settings do not fit in %zu bytes", sizeof(text));
    char tmp[1100];
    int n = snprintf(tmp, sizeof(tmp), "%s.tmp%ld", path, (long)getpid());
    if (n < 0 || (size_t)n >= sizeof(tmp))
        return ps_err(errbuf, "%s: the name is too long", path);
    if (make_dirs(path, errbuf) < 0)
        return -1;
    /* A leftover of a crash under our pid is ours to replace; anything planted is refused. */
    struct stat st;
    if (lstat(tmp, &st) == 0 && S_ISREG(st.st_mode) && st.st_uid == geteuid())
        unlink(tmp);
    int fd = outfile_create(tmp, true, errbuf);
    if (fd < 0)
        return -1;
    size_t at = 0;
    while (at < sb.len) {
        ssize_t w = write(fd, text + at, sb.len - at);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            int e = w < 0 ? errno : EIO;
            close(fd);
            unlink(tmp);
            return ps_err(errbuf, "cannot write %s: %s", tmp, strerror(e));
        }
        at += (size_t)w;
    }
    int synced = fsync(fd);
    int e = errno;
    if (close(fd) < 0 && synced == 0) {
        synced = -1;
        e = errno;
    }
    if (synced < 0) {
        unlink(tmp);
        return ps_err(errbuf, "cannot write %s: %s", tmp, strerror(e));
    }
    if (rename(tmp, path) < 0) {
        e = errno;
        unlink(tmp);
        return ps_err(errbuf, "cannot replace %s: %s", path, strerror(e));
    }
    return 0;
}
