/*
 * libFuzzer harness: the command-line parser (main/main.c parse_args) and the -F filter file
 * reader behind it, the only configuration pktscope reads (it has no configuration file).
 *
 * main.c is compiled into this harness with its main() renamed, so its static parse_args() is
 * called in-process: it never exits, it returns a status. The input is split at NUL bytes into
 * argv[1..]; if it holds the byte sequence "\n--F--\n", what follows is the content of the
 * file "f" in the harness's own empty directory, which `-F f` reads. An argument containing a
 * '/' ends the input unused, so nothing outside that directory is named. Standard output and
 * error go to /dev/null while the parser runs (--help, --list-fields, usage errors).
 * getopt's state is reset before each call (optind = 0).
 *
 * When the arguments parse, the display filter (-Y) is compiled as batch_run() would.
 *
 * Build and run: doc/fuzzing.md.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#include "filter/filter.h"

int pktscope_main(int argc, char **argv);

#define main pktscope_main
#include "main/main.c"
#undef main

#define FUZZ_MAX_ARGS 64

static FILE *devnull;
static bool ready;
static char workdir[] = "/tmp/pktscope-fuzz-args-XXXXXX";

static void cleanup(void)
{
    if (chdir("/") == 0) {
        char f[sizeof(workdir) + 2];
        snprintf(f, sizeof(f), "%s/f", workdir);
        unlink(f);
        rmdir(workdir);
    }
}

static void setup(void)
{
    if (!mkdtemp(workdir) || chdir(workdir) < 0)
        abort();
    atexit(cleanup);
    devnull = fopen("/dev/null", "w");
    if (!devnull)
        abort();
    unsetenv("NO_COLOR");
    ready = true;
}

static void write_filter_file(const uint8_t *p, size_t n)
{
    FILE *f = fopen("f", "wb");
    if (!f)
        return;
    if (n)
        fwrite(p, 1, n, f);
    fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready)
        setup();
    if (size > 8192)
        return 0;
    static const char sep[] = "\n--F--\n";
    size_t args_len = size;
    const uint8_t *file = memmem(data, size, sep, sizeof(sep) - 1);
    if (file) {
        args_len = (size_t)(file - data);
        file += sizeof(sep) - 1;
        write_filter_file(file, size - (size_t)(file - data));
    } else {
        unlink("f");
    }
    if (memchr(data, '/', args_len))
        return 0;

    char *buf = malloc(args_len + 1);
    if (!buf)
        return 0;
    memcpy(buf, data, args_len);
    buf[args_len] = '\0';
    char *argv[FUZZ_MAX_ARGS + 2];
    int argc = 0;
    argv[argc++] = (char *)"pktscope";
    for (size_t at = 0; at <= args_len && argc <= FUZZ_MAX_ARGS;) {
        argv[argc++] = buf + at;
        at += strlen(buf + at) + 1;
    }
    argv[argc] = NULL;

    FILE *out = stdout, *err = stderr;
    stdout = devnull;
    stderr = devnull;
    optind = 0; /* GNU getopt: start over */
    struct options o;
    bool done = false;
    int status = parse_args(argc, argv, &o, &done);
    stdout = out;
    stderr = err;
    if (status == PS_EXIT_OK && !done) {
        if (o.mode == OUT_DEFAULT)
            abort(); /* a parsed command line has chosen its output */
        if (o.display_filter) {
            struct dfilter *df = NULL;
            char derr[1024];
            if (dfilter_compile(o.display_filter, &df, derr, sizeof(derr)) == 0)
                dfilter_free(df);
        }
    }
    free(o.filter_buf);
    free(o.tfields); /* main() frees it after parse_args() on every path, as here */
    free(buf);
    return 0;
}
