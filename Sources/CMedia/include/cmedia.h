// Images: libvips decodes and scales (libpng, libvips' own, reads large PNGs), chafa encodes for the terminal (kitty, iTerm2, sixel) or
// into symbol cells. Both are opened with dlopen on first use, like libcurl: nothing of them is
// linked, start-up pays nothing, and a machine without them gets a clear message instead of a
// binary that does not start. No header of theirs is needed to build.
#ifndef CMEDIA_H
#define CMEDIA_H

#include <stddef.h>
#include <stdint.h>

/// An image as 8-bit RGBA (unassociated alpha), row after row.
typedef struct {
    unsigned char *pixels;  // malloc'd (by glib); free with cmedia_image_free
    int width;
    int height;
} cmedia_image;

/// Loads libvips and chafa once. Returns 0, or -1 with a reason in `error`.
int cmedia_load(char *error, size_t error_size);

/// Decodes `path` (PNG, JPEG, WebP, …) shrunk to fit `max_width`×`max_height` (never enlarged),
/// in sRGB with an alpha channel. A PNG several times larger than that is shrunk in whole blocks
/// as libpng reads it (libvips has no shrink-on-load for PNG), then finished by libvips. With `png`, the result is also given as PNG bytes (malloc'd;
/// free with free()); with `save_path`, that PNG is written there (a thumbnail cache). Returns
/// 0, or -1 with libvips' reason in `error`.
int cmedia_thumbnail(const char *path, int max_width, int max_height, const char *save_path, cmedia_image *out, void **png,
                     size_t *png_length, char *error, size_t error_size);

/// Writes a `width`×`height` RGB PNG of random noise from `seed` (the benchmark's distinct
/// images: the same seed, the same picture). Returns 0 or -1.
int cmedia_write_noise(const char *path, int width, int height, int seed, char *error, size_t error_size);

/// The pixel size `path` declares, read from its header only. Returns 0 or -1.
int cmedia_size(const char *path, int *width, int *height, char *error, size_t error_size);

void cmedia_image_free(cmedia_image *image);

/// Writes a `width`×`height` RGB PNG of gradients (the benchmark's sample design). Returns 0 or -1.
int cmedia_write_sample(const char *path, int width, int height, char *error, size_t error_size);

/// A `width`×`height` post picture written to `save_path` as PNG: `photo` (nil: none) filling
/// its top seven tenths, cropped to the centre, over a band of `band_rgb` (0xRRGGBB) that holds
/// `headline` and `byline` (Pango markup, escaped and coloured by the caller) set in `font`
/// (a family: "DejaVu Sans"), centred; a headline too long for its box is set smaller to fit.
/// Returns 0, or -1 with libvips' reason in `error`.
int cmedia_compose_post(const char *photo, int width, int height, const char *headline, const char *byline, const char *font,
                        uint32_t band_rgb, const char *save_path, char *error, size_t error_size);

/// Graphics for `cols`×`rows` cells of `cell_width`×`cell_height` pixels: mode 1 sixel, 2 kitty,
/// 3 iTerm2. Returns the escape text (malloc'd, `length` bytes; free with free()), or NULL.
char *cmedia_encode(const cmedia_image *image, int mode, int cols, int rows, int cell_width, int cell_height, size_t *length);

/// The image as `cols`×`rows` symbol cells: per cell its code point and colours as 0xRRGGBB
/// (-1: none). The arrays hold cols×rows entries. Returns 0 or -1.
int cmedia_symbols(const cmedia_image *image, int cols, int rows, uint32_t *chars, int32_t *fg, int32_t *bg);

#endif
