#include "CNcurses.h"
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <stdlib.h>
#include <ncursesw/term.h>
#include <pty.h>
#include <sys/ioctl.h>

static struct termios saved_tio;
static int saved_tio_valid = 0;
static char restore_seq[256];
static size_t restore_len = 0;
static int signal_fd = -1;
static SCREEN *screen = NULL;

static void append_cap(const char *cap) {
    if (cap == NULL || cap == (char *)-1) return;
    size_t n = strlen(cap);
    if (restore_len + n >= sizeof restore_seq) return;
    memcpy(restore_seq + restore_len, cap, n);
    restore_len += n;
}

void pod_capture_restore_state(void) {
    if (tcgetattr(STDIN_FILENO, &saved_tio) == 0) saved_tio_valid = 1;
}

int pod_check_terminal(const char *term) {
    int err = 0;
    // errret: 1 hard-copy terminal, 0 no such entry, -1 no terminfo database.
    if (setupterm(term, STDOUT_FILENO, &err) != OK) return err == 1 ? 0 : -1;
    const char *cup = tigetstr("cup");
    int hardcopy = tigetflag("hc");
    int usable = cup != NULL && cup != (char *)-1 && hardcopy <= 0;
    del_curterm(cur_term);
    return usable ? 1 : 0;
}

void pod_set_escdelay(int ms) { set_escdelay(ms); }
int pod_move(int y, int x) { return move(y, x); }

int pod_curses_start(const char *term) {
    screen = newterm(term, stdout, stdin);
    if (screen == NULL) return -1;
    set_term(screen);
    // A terminal that cannot move the cursor cannot show a full-screen UI.
    if (tigetstr("cup") == NULL || tigetstr("cup") == (char *)-1) {
        endwin();
        delscreen(screen);
        screen = NULL;
        return -1;
    }
    restore_len = 0;
    append_cap(tigetstr("sgr0"));
    append_cap(tigetstr("cnorm"));
    append_cap(tigetstr("rmcup"));
    raw();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    /* Home and End as tmux, screen and the Linux console send them, which the terminfo entry
       of the terminal outside (xterm's \EOH, \EOF) does not list: without these they would
       reach the text fields as "1~" and "4~". */
    define_key("\033[1~", KEY_HOME);
    define_key("\033[4~", KEY_END);
    define_key("\033[7~", KEY_HOME);
    define_key("\033[8~", KEY_END);
    nodelay(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    leaveok(stdscr, FALSE);
    if (has_colors()) {
        start_color();
        use_default_colors();
    }
    curs_set(0);
    return 0;
}

void pod_curses_stop(void) {
    if (screen == NULL) return;
    curs_set(1);
    endwin();
    delscreen(screen);
    screen = NULL;
}

int pod_lines(void) { return LINES; }
int pod_cols(void) { return COLS; }
int pod_colors(void) { return COLORS; }
int pod_has_colors(void) { return has_colors() ? 1 : 0; }
int pod_resize(int r, int c) { return resizeterm(r, c); }

int pod_get_wch(uint32_t *ch) {
    wint_t w = 0;
    int rc = get_wch(&w);
    *ch = (uint32_t)w;
    return rc;
}

int pod_put_cell(int y, int x, const wchar_t *text, unsigned int attrs, int pair) {
    cchar_t cc;
    // The extended pair goes through `opts` (ncurses 6.1): COLOR_PAIR() would spill pairs
    // above 255 into the attribute bits.
    if (setcchar(&cc, text, (attr_t)attrs, (short)(pair < 32768 ? pair : 0), &pair) == ERR) return ERR;
    return mvadd_wch(y, x, &cc);
}

int pod_pair_for(int fg, int bg) {
    int p = alloc_pair(fg, bg);
    return p < 0 ? 0 : p;
}

int pod_flush(void) {
    wnoutrefresh(stdscr);
    return doupdate();
}

void pod_repaint_all(void) { clearok(curscr, TRUE); }

int pod_curs_set(int visibility) { return curs_set(visibility); }
int pod_wcwidth(uint32_t ch) { return wcwidth((wchar_t)ch); }
unsigned int pod_attr_bold(void) { return (unsigned int)A_BOLD; }
unsigned int pod_attr_reverse(void) { return (unsigned int)A_REVERSE; }
unsigned int pod_attr_underline(void) { return (unsigned int)A_UNDERLINE; }
unsigned int pod_attr_dim(void) { return (unsigned int)A_DIM; }
unsigned int pod_attr_italic(void) { return (unsigned int)A_ITALIC; }

void pod_restore_terminal_signal_safe(void) {
    if (restore_len > 0) {
        ssize_t rc = write(STDOUT_FILENO, restore_seq, restore_len);
        (void)rc;
    }
    if (saved_tio_valid) tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved_tio);
}

void pod_suspend(void) {
    def_prog_mode();
    endwin();
    kill(getpid(), SIGTSTP);
    reset_prog_mode();
    clearok(curscr, TRUE);
    refresh();
}

static void crash_handler(int sig) {
    pod_restore_terminal_signal_safe();
    signal(sig, SIG_DFL);
    raise(sig);
}

void pod_install_crash_handlers(void) {
    int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = crash_handler;
        sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static void pipe_handler(int sig) {
    if (signal_fd >= 0) {
        unsigned char b = (unsigned char)sig;
        ssize_t rc = write(signal_fd, &b, 1);
        (void)rc;
    }
}

void pod_install_signal_pipe(int fd) {
    signal_fd = fd;
    int sigs[] = { SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = pipe_handler;
        sa.sa_flags = SA_RESTART;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
    signal(SIGPIPE, SIG_IGN);
}

int pod_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_fd) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    int master = -1;
    pid_t pid = forkpty(&master, NULL, NULL, &ws);
    if (pid < 0) return -1;
    if (pid == 0) {
        execve(path, argv, envp);
        _exit(127);
    }
    *master_fd = master;
    return (int)pid;
}

int pod_pty_resize(int master_fd, int rows, int cols) {
    struct winsize ws;
    memset(&ws, 0, sizeof ws);
    ws.ws_row = (unsigned short)rows;
    ws.ws_col = (unsigned short)cols;
    return ioctl(master_fd, TIOCSWINSZ, &ws);
}
