// A small C shim over ncursesw: wide-character API enabled, the macros Swift cannot import
// exposed as functions, and an async-signal-safe terminal restore.
#ifndef CNCURSES_H
#define CNCURSES_H

#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
/// Starts `path` in a new pseudo-terminal of rows×cols (for the benchmark harness). Returns
/// the child's pid and sets *master_fd, or returns -1.
int pod_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_fd);
/// Sets the size of a pseudo-terminal from its master side (the child gets SIGWINCH).
int pod_pty_resize(int master_fd, int rows, int cols);

#endif
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
/// Starts `path` in a new pseudo-terminal of rows×cols (for the benchmark harness). Returns
/// the child's pid and sets *master_fd, or returns -1.
int pod_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_fd);
/// Sets the size of a pseudo-terminal from its master side (the child gets SIGWINCH).
int pod_pty_resize(int master_fd, int rows, int cols);

#endif
#include <ncursesw/curses.h>
#include <wchar.h>
#include <stdint.h>

/// Starts curses on the controlling terminal. Returns 0 on success, -1 when the terminal type is
/// unknown or cannot drive a full-screen UI (hard copy, no cursor addressing).
int pod_curses_start(const char *term);
/// Checks a terminal type against terminfo without starting curses (and without exiting on
/// failure, as initscr would). Returns 1 when usable for a full-screen UI, 0 when it is a
/// hard-copy or cursor-less type, -1 when terminfo has no entry for it.
int pod_check_terminal(const char *term);
void pod_set_escdelay(int ms);
int pod_move(int y, int x);
/// Leaves curses: shows the cursor, leaves the alternate screen, restores the tty modes.
void pod_curses_stop(void);
int pod_lines(void);
int pod_cols(void);
int pod_colors(void);
int pod_has_colors(void);
int pod_resize(int lines, int cols);
/// Reads one key without blocking. Returns OK (character in *ch), KEY_CODE_YES (key code in *ch)
/// or ERR when nothing is waiting.
int pod_get_wch(uint32_t *ch);
/// Writes one cell: `text` is a NUL-terminated wide string of one grapheme (base plus combining).
int pod_put_cell(int y, int x, const wchar_t *text, unsigned int attrs, int pair);
int pod_pair_for(int fg, int bg);
int pod_flush(void);
/// The next flush redraws every cell (after graphics written past curses covered some).
void pod_repaint_all(void);
int pod_curs_set(int visibility);
int pod_wcwidth(uint32_t ch);
unsigned int pod_attr_bold(void);
unsigned int pod_attr_reverse(void);
unsigned int pod_attr_underline(void);
unsigned int pod_attr_dim(void);
unsigned int pod_attr_italic(void);
/// Captures the tty modes and the terminfo strings needed to restore the terminal from a signal
/// handler. Call once before curses starts.
void pod_capture_restore_state(void);
/// Async-signal-safe: writes the saved "leave alternate screen / show cursor / reset attributes"
/// sequences and restores the saved tty modes. Only write(2) and tcsetattr(3).
void pod_restore_terminal_signal_safe(void);
/// Leaves curses, stops the process with SIGTSTP and, once continued, restores curses.
void pod_suspend(void);
/// Installs handlers for SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT, SIGTRAP that restore the terminal
/// and then re-raise with the default action, so a crash never leaves the terminal raw.
void pod_install_crash_handlers(void);
/// Installs handlers for SIGWINCH, SIGTERM, SIGHUP, SIGINT, SIGQUIT that write the signal number as
/// one byte to `fd` (a non-blocking self-pipe).
void pod_install_signal_pipe(int fd);

/// Starts `path` in a new pseudo-terminal of rows×cols (for the benchmark harness). Returns
/// the child's pid and sets *master_fd, or returns -1.
int pod_spawn_in_pty(const char *path, char *const argv[], char *const envp[], int rows, int cols, int *master_fd);
/// Sets the size of a pseudo-terminal from its master side (the child gets SIGWINCH).
int pod_pty_resize(int master_fd, int rows, int cols);

#endif
