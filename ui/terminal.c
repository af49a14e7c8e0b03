/*
 * The terminal: taking it for curses and giving it back on every way out (a normal exit, atexit,
 * a signal, a crash), holding standard error while the screen is ours, and the signals the loop
 * reacts to (quit, resize). Its state is the process's (one terminal, signal handlers), so it
 * lives in this file's statics rather than in struct ui.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "ui/internal.h"

#if defined(__SANITIZE_ADDRESS__)
#define UI_SANITIZED 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define UI_SANITIZED 1
#endif
#endif
#ifndef UI_SANITIZED
#define UI_SANITIZED 0
#endif

static volatile sig_atomic_t sig_quit;
static volatile sig_atomic_t sig_winch;
static bool curses_active;
static SCREEN *screen;
static FILE *tty_in, *tty_out;
static int saved_stderr = -1;
static FILE *stderr_hold;

/* Restores the terminal; safe to call more than once, from atexit and from a crash handler. */
static void terminal_restore(void)
{
    if (curses_active) {
        curses_active = false;
        endwin();
        /* endwin leaves the mouse reporting on in some terminals: switch it off explicitly. */
        if (tty_out) {
            fputs("\033[?1000l\033[?1002l\033[?1006l", tty_out);
            fflush(tty_out);
        }
    }
}

/* Gives standard error back and shows what was written to it while the screen was ours. */
static void stderr_restore(void)
{
    if (saved_stderr < 0)
        return;
    fflush(stderr);
    dup2(saved_stderr, STDERR_FILENO);
    close(saved_stderr);
    saved_stderr = -1;
    if (stderr_hold) {
        char buf[4096];
        size_t n;
        rewind(stderr_hold);
        while ((n = fread(buf, 1, sizeof(buf), stderr_hold)) > 0)
            if (write(STDERR_FILENO, buf, n) < 0)
                break;
        fclose(stderr_hold);
        stderr_hold = NULL;
    }
}

static void at_exit_restore(void)
{
    terminal_restore();
    stderr_restore();
}

static void on_quit_signal(int sig)
{
    (void)sig;
    sig_quit = 1;
}

static void on_winch(int sig)
{
    (void)sig;
    sig_winch = 1;
}

static void on_crash(int sig)
{
    terminal_restore();
    stderr_restore();
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_signals(void)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sigemptyset(&sa.sa_mask);
    /* No SA_RESTART: poll() must return so the loop sees the flag at once. */
    sa.sa_handler = on_quit_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    sa.sa_handler = on_winch;
    sigaction(SIGWINCH, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
    if (!UI_SANITIZED) {
        /* Under the sanitizers their own handlers must report the crash. */
        sa.sa_handler = on_crash;
        sa.sa_flags = SA_RESETHAND;
        sigaction(SIGSEGV, &sa, NULL);
        sigaction(SIGBUS, &sa, NULL);
        sigaction(SIGFPE, &sa, NULL);
        sigaction(SIGILL, &sa, NULL);
        sigaction(SIGABRT, &sa, NULL);
    }
}

/* While curses owns the screen, anything written to stderr would tear it: hold it in an
 * unlinked temporary file and print it after the terminal is restored. */
static void stderr_capture(void)
{
    if (UI_SANITIZED)
        return;
    stderr_hold = tmpfile();
    if (!stderr_hold)
        return;
    fflush(stderr);
    saved_stderr = dup(STDERR_FILENO);
    if (saved_stderr < 0 || dup2(fileno(stderr_hold), STDERR_FILENO) < 0) {
        if (saved_stderr >= 0)
            close(saved_stderr);
        saved_stderr = -1;
        fclose(stderr_hold);
        stderr_hold = NULL;
    }
}

static int terminal_take(bool no_color, char *errbuf)
{
    if (isatty(STDIN_FILENO)) {
        tty_in = fdopen(dup(STDIN_FILENO), "r");
    } else {
        /* The capture comes on standard input ("-r -"): the keyboard is the terminal. */
        tty_in = fopen("/dev/tty", "r");
    }
    tty_out = isatty(STDOUT_FILENO) ? fdopen(dup(STDOUT_FILENO), "w") : fopen("/dev/tty", "w");
    if (!tty_in || !tty_out)
        return ps_err(errbuf, "the TUI needs a terminal (no /dev/tty); use --print or --json");
    const char *term = getenv("TERM");
    if (!term || !term[0] || strcmp(term, "dumb") == 0)
        return ps_err(errbuf,
                      "the TUI needs a terminal that can move the cursor (TERM is '%s');"
                      " set TERM, or use --print",
                      term ? term : "");
    screen = newterm(NULL, tty_out, tty_in);
    if (!screen)
        return ps_err(errbuf,
                      "cannot use terminal type '%s' (no terminfo entry?); try "
                      "TERM=xterm-256color, or use --print",
                      term);
    set_term(screen);
    curses_active = true;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    nodelay(stdscr, TRUE);
    set_escdelay(25);
    curs_set(0);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED |
                  BUTTON5_PRESSED,
              NULL);
    mouseinterval(0);
    colors_init(no_color);
    return 0;
}

int terminal_open(bool no_color, char *errbuf)
{
    install_signals();
    atexit(at_exit_restore);
    if (terminal_take(no_color, errbuf) < 0) {
        terminal_restore();
        return -1;
    }
    stderr_capture();
    return 0;
}

void terminal_close(void)
{
    terminal_restore();
    stderr_restore();
}

void terminal_release(void)
{
    terminal_close();
    if (screen) {
        delscreen(screen);
        screen = NULL;
    }
    if (tty_in) {
        fclose(tty_in);
        tty_in = NULL;
    }
    if (tty_out) {
        fclose(tty_out);
        tty_out = NULL;
    }
}

int terminal_input_fd(void)
{
    return tty_in ? fileno(tty_in) : -1;
}

bool terminal_quit_requested(void)
{
    return sig_quit != 0;
}

bool terminal_take_resize(void)
{
    if (!sig_winch)
        return false;
    sig_winch = 0;
    return true;
}

void terminal_resize(void)
{
    struct winsize ws;
    if (tty_out && ioctl(fileno(tty_out), TIOCGWINSZ, &ws) == 0 && ws.ws_row && ws.ws_col)
        resizeterm(ws.ws_row, ws.ws_col);
}
