#include "cmedia.h"

#include <dlfcn.h>
#include <malloc.h>
#include <math.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The few declarations needed, by their documented signatures (libvips 8.x, chafa 1.8+).
typedef struct VipsImage VipsImage;
typedef struct ChafaCanvas ChafaCanvas;
typedef struct ChafaCanvasConfig ChafaCanvasConfig;
typedef struct ChafaTermDb ChafaTermDb;
typedef struct ChafaTermInfo ChafaTermInfo;
typedef struct { char *str; size_t len; size_t allocated_len; } GStringLayout;

enum { VIPS_INTERESTING_CENTRE = 1, VIPS_SIZE_BOTH = 0, VIPS_BLEND_MODE_OVER = 2, VIPS_ALIGN_CENTRE = 1, VIPS_FORMAT_UCHAR = 0, VIPS_INTERPRETATION_sRGB = 22, VIPS_SIZE_DOWN = 2, VIPS_FOREIGN_PNG_FILTER_NONE = 0x08, CHAFA_CANVAS_MODE_TRUECOLOR = 0, CHAFA_PIXEL_RGBA8_UNASSOCIATED = 4 };

static struct {
    int (*vips_init)(const char *);
    int (*vips_thumbnail)(const char *, VipsImage **, int, ...);
    int (*vips_thumbnail_image)(VipsImage *, VipsImage **, int, ...);
    VipsImage *(*vips_image_new_from_memory_copy)(const void *, size_t, int, int, int, int);
    int (*vips_colourspace)(VipsImage *, VipsImage **, int, ...);
    int (*vips_cast_uchar)(VipsImage *, VipsImage **, ...);
    int (*vips_addalpha)(VipsImage *, VipsImage **, ...);
    int (*vips_pngsave)(VipsImage *, const char *, ...);
    int (*vips_pngsave_buffer)(VipsImage *, void **, size_t *, ...);
    VipsImage *(*vips_image_new_from_file)(const char *, ...);
    int (*vips_image_get_width)(const VipsImage *);
    int (*vips_image_get_height)(const VipsImage *);
    int (*vips_image_get_bands)(const VipsImage *);
    void *(*vips_image_write_to_memory)(VipsImage *, size_t *);
    const char *(*vips_error_buffer)(void);
    void (*vips_error_clear)(void);
    void (*g_object_unref)(void *);
    void (*g_free)(void *);
    void (*g_log_set_writer_func)(int (*)(int, const void *, size_t, void *), void *, void (*)(void *));
    VipsImage *(*vips_image_copy_memory)(VipsImage *);
    int (*vips_xyz)(VipsImage **, int, int, ...);
    void (*vips_cache_set_max)(int);
    int (*vips_remainder_const1)(VipsImage *, VipsImage **, double, ...);
    int (*vips_bandjoin_const1)(VipsImage *, VipsImage **, double, ...);
    void *(*g_string_free)(void *, int);
    int (*vips_black)(VipsImage **, int, int, ...);
    int (*vips_linear)(VipsImage *, VipsImage **, const double *, const double *, int, ...);
    int (*vips_composite2)(VipsImage *, VipsImage *, VipsImage **, int, ...);
    int (*vips_text)(VipsImage **, const char *, ...);
    int (*vips_flatten)(VipsImage *, VipsImage **, ...);
    int (*vips_copy)(VipsImage *, VipsImage **, ...);
    int (*vips_gaussnoise)(VipsImage **, int, int, ...);
    int (*vips_bandjoin2)(VipsImage *, VipsImage *, VipsImage **, ...);
    ChafaCanvasConfig *(*config_new)(void);
    void (*config_unref)(ChafaCanvasConfig *);
    void (*config_set_geometry)(ChafaCanvasConfig *, int, int);
    void (*config_set_cell_geometry)(ChafaCanvasConfig *, int, int);
    void (*config_set_canvas_mode)(ChafaCanvasConfig *, int);
    void (*config_set_pixel_mode)(ChafaCanvasConfig *, int);
    ChafaCanvas *(*canvas_new)(const ChafaCanvasConfig *);
    void (*canvas_unref)(ChafaCanvas *);
    void (*canvas_draw_all_pixels)(ChafaCanvas *, int, const unsigned char *, int, int, int);
    void *(*canvas_print)(ChafaCanvas *, ChafaTermInfo *);
    uint32_t (*canvas_get_char_at)(ChafaCanvas *, int, int);
    void (*canvas_get_colors_at)(ChafaCanvas *, int, int, int *, int *);
    ChafaTermDb *(*term_db_get_default)(void);
    ChafaTermInfo *(*term_db_get_fallback_info)(ChafaTermDb *);
    void (*term_info_unref)(ChafaTermInfo *);
} api;

// libpng 1.6, by its documented signatures: PNG designs are shrunk while they are read.
typedef struct png_struct png_struct;
typedef struct png_info png_info;
enum { PNG_COLOR_MASK_COLOR = 2, PNG_COLOR_MASK_ALPHA = 4, PNG_INTERLACE_NONE = 0, PNG_INFO_tRNS = 0x10, PNG_INFO_iCCP = 0x1000, PNG_IGNORE_ADLER32 = 8, PNG_OPTION_ON = 3 };
static struct {
    png_struct *(*create_read_struct)(const char *, void *, void (*)(png_struct *, const char *), void (*)(png_struct *, const char *));
    png_info *(*create_info_struct)(const png_struct *);
    void (*destroy_read_struct)(png_struct **, png_info **, png_info **);
    void *(*get_error_ptr)(const png_struct *);
    void (*init_io)(png_struct *, FILE *);
    void (*read_info)(png_struct *, png_info *);
    void (*read_update_info)(png_struct *, png_info *);
    void (*read_row)(png_struct *, unsigned char *, unsigned char *);
    uint32_t (*get_image_width)(const png_struct *, const png_info *);
    uint32_t (*get_image_height)(const png_struct *, const png_info *);
    unsigned char (*get_color_type)(const png_struct *, const png_info *);
    unsigned char (*get_interlace_type)(const png_struct *, const png_info *);
    uint32_t (*get_valid)(const png_struct *, const png_info *, uint32_t);
    size_t (*get_rowbytes)(const png_struct *, const png_info *);
    void (*set_expand)(png_struct *);
    void (*set_strip_16)(png_struct *);
    void (*set_gray_to_rgb)(png_struct *);
    int (*set_option)(png_struct *, int, int);
} png;
static int png_loaded;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256] = "libvips and chafa are not loaded";

static void *open_first(const char **names) {
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    return lib;
}

static int drop_log(int level, const void *fields, size_t count, void *data) {
    (void)level, (void)fields, (void)count, (void)data;
    return 1;  // G_LOG_WRITER_HANDLED
}

static void load(void) {
    static const char *vips_names[] = {"libvips.so.42", "libvips.so", "libvips.42.dylib", NULL};
    static const char *chafa_names[] = {"libchafa.so.0", "libchafa.so", "libchafa.0.dylib", NULL};
    void *vips = open_first(vips_names), *chafa = open_first(chafa_names);
    if (!vips || !chafa) {
        snprintf(load_error, sizeof load_error, "%s could not be loaded: install it (make deps installs libvips and chafa)",
                 !vips ? "libvips" : "chafa");
        return;
    }
#define SYM(lib, field, name) \
    if (!(*(void **)&api.field = dlsym(lib, name))) { \
        snprintf(load_error, sizeof load_error, "%s lacks %s (libvips 8.10 and chafa 1.8 or later are needed)", #lib, name); \
        return; \
    }
    SYM(vips, vips_init, "vips_init") SYM(vips, vips_thumbnail, "vips_thumbnail") SYM(vips, vips_thumbnail_image, "vips_thumbnail_image")
    SYM(vips, vips_image_new_from_memory_copy, "vips_image_new_from_memory_copy") SYM(vips, vips_colourspace, "vips_colourspace")
    SYM(vips, vips_cast_uchar, "vips_cast_uchar") SYM(vips, vips_addalpha, "vips_addalpha") SYM(vips, vips_pngsave, "vips_pngsave")
    SYM(vips, vips_pngsave_buffer, "vips_pngsave_buffer")
    SYM(vips, vips_image_new_from_file, "vips_image_new_from_file")
    SYM(vips, vips_image_get_width, "vips_image_get_width") SYM(vips, vips_image_get_height, "vips_image_get_height")
    SYM(vips, vips_image_get_bands, "vips_image_get_bands") SYM(vips, vips_image_write_to_memory, "vips_image_write_to_memory")
    SYM(vips, vips_error_buffer, "vips_error_buffer") SYM(vips, vips_error_clear, "vips_error_clear")
    SYM(vips, vips_xyz, "vips_xyz") SYM(vips, vips_cache_set_max, "vips_cache_set_max") SYM(vips, vips_remainder_const1, "vips_remainder_const1")
    SYM(vips, vips_bandjoin_const1, "vips_bandjoin_const1")
    SYM(vips, vips_black, "vips_black") SYM(vips, vips_linear, "vips_linear") SYM(vips, vips_composite2, "vips_composite2")
    SYM(vips, vips_text, "vips_text") SYM(vips, vips_flatten, "vips_flatten") SYM(vips, vips_copy, "vips_copy")
    SYM(vips, vips_gaussnoise, "vips_gaussnoise") SYM(vips, vips_bandjoin2, "vips_bandjoin2")
    SYM(vips, g_log_set_writer_func, "g_log_set_writer_func") SYM(vips, vips_image_copy_memory, "vips_image_copy_memory")
    SYM(vips, g_object_unref, "g_object_unref") SYM(vips, g_free, "g_free") SYM(chafa, g_string_free, "g_string_free")
    SYM(chafa, config_new, "chafa_canvas_config_new") SYM(chafa, config_unref, "chafa_canvas_config_unref")
    SYM(chafa, config_set_geometry, "chafa_canvas_config_set_geometry")
    SYM(chafa, config_set_cell_geometry, "chafa_canvas_config_set_cell_geometry")
    SYM(chafa, config_set_canvas_mode, "chafa_canvas_config_set_canvas_mode")
    SYM(chafa, config_set_pixel_mode, "chafa_canvas_config_set_pixel_mode")
    SYM(chafa, canvas_new, "chafa_canvas_new") SYM(chafa, canvas_unref, "chafa_canvas_unref")
    SYM(chafa, canvas_draw_all_pixels, "chafa_canvas_draw_all_pixels") SYM(chafa, canvas_print, "chafa_canvas_print")
    SYM(chafa, canvas_get_char_at, "chafa_canvas_get_char_at") SYM(chafa, canvas_get_colors_at, "chafa_canvas_get_colors_at")
    SYM(chafa, term_db_get_default, "chafa_term_db_get_default")
    SYM(chafa, term_db_get_fallback_info, "chafa_term_db_get_fallback_info") SYM(chafa, term_info_unref, "chafa_term_info_unref")
#undef SYM
    // libpng is libvips' own dependency; without it (or with another major version) PNGs are
    // simply read by libvips as a whole.
    static const char *png_names[] = {"libpng16.so.16", "libpng16.16.dylib", NULL};
    void *libpng = open_first(png_names);
    png_loaded = libpng != NULL;
#define PNG_SYM(field, name) png_loaded = png_loaded && (*(void **)&png.field = dlsym(libpng, name)) != NULL;
    PNG_SYM(create_read_struct, "png_create_read_struct") PNG_SYM(create_info_struct, "png_create_info_struct")
    PNG_SYM(destroy_read_struct, "png_destroy_read_struct") PNG_SYM(get_error_ptr, "png_get_error_ptr") PNG_SYM(init_io, "png_init_io")
    PNG_SYM(read_info, "png_read_info") PNG_SYM(read_update_info, "png_read_update_info") PNG_SYM(read_row, "png_read_row")
    PNG_SYM(get_image_width, "png_get_image_width") PNG_SYM(get_image_height, "png_get_image_height")
    PNG_SYM(get_color_type, "png_get_color_type") PNG_SYM(get_interlace_type, "png_get_interlace_type") PNG_SYM(get_valid, "png_get_valid")
    PNG_SYM(get_rowbytes, "png_get_rowbytes") PNG_SYM(set_expand, "png_set_expand") PNG_SYM(set_strip_16, "png_set_strip_16")
    PNG_SYM(set_gray_to_rgb, "png_set_gray_to_rgb") PNG_SYM(set_option, "png_set_option")
#undef PNG_SYM
    // glib's warnings would be printed on stderr, under the UI: reasons come from
    // vips_error_buffer instead. (The process has no other use of glib's log.)
    api.g_log_set_writer_func(drop_log, NULL, NULL);
    if (api.vips_init("podpusher") != 0) {
        snprintf(load_error, sizeof load_error, "libvips failed to initialise");
        return;
    }
    // No operation cache: each preview is made once and kept by the app (PreviewCache and
    // thumbnails); libvips' own cache would hold decoded images in memory for nothing.
    api.vips_cache_set_max(0);
    load_error[0] = 0;
}

int cmedia_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (load_error[0]) {
        snprintf(error, error_size, "%s", load_error);
        return -1;
    }
    return 0;
}

static void vips_failed(char *error, size_t error_size) {
    const char *e = api.vips_error_buffer();
    snprintf(error, error_size, "%s", e && e[0] ? e : "libvips could not read the image");
    // Only its first line: libvips stacks a line per operation.
    char *nl = strchr(error, '\n');
    if (nl) *nl = 0;
    api.vips_error_clear();
}

// PNG has no shrink-on-load (JPEG and WebP decode at a smaller scale inside libvips): a large
// design is decoded whole and then shrunk, which is most of a cold preview's time. So a PNG
// several times larger than the preview is read here with libpng, row by row, each k×k block
// averaged as it arrives (weighted by alpha, so transparent pixels lend no colour); libvips then
// makes the last, small resize with its own filter. Nothing larger than a row of the file and
// the k-times-smaller result is ever held.
typedef struct {
    jmp_buf jump;
    char *error;
    size_t error_size;
} png_reading;

static void png_failed(png_struct *p, const char *message) {
    png_reading *reading = png.get_error_ptr(p);
    snprintf(reading->error, reading->error_size, "not a readable PNG: %s", message);
    longjmp(reading->jump, 1);
}

static void png_warned(png_struct *p, const char *message) { (void)p, (void)message; }

/// 1 with *out the file shrunk by a whole factor, 0 when libvips is to read the file as it is
/// (not a PNG, interlaced, with a colour profile to apply, or not much larger), -1 on error.
static int png_shrink_on_load(const char *path, int max_width, int max_height, VipsImage **out, char *error, size_t error_size) {
    static const unsigned char signature[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    unsigned char head[8];
    if (!png_loaded) return 0;
    FILE *file = fopen(path, "rb");
    if (!file) return 0;
    if (fread(head, 1, 8, file) != 8 || memcmp(head, signature, 8) != 0 || fseek(file, 0, SEEK_SET) != 0) {
        fclose(file);
        return 0;
    }
    png_reading reading = {.error = error, .error_size = error_size};
    png_struct *p = png.create_read_struct("1.6.0", &reading, png_failed, png_warned);
    png_info *info = p ? png.create_info_struct(p) : NULL;
    unsigned char *volatile row = NULL, *volatile result = NULL;
    uint32_t *volatile sums = NULL;
    volatile int outcome = 0;
    if (!info) goto done;
    if (setjmp(reading.jump)) {
        outcome = -1;
        goto done;
    }
    png.init_io(p, file);
    png.read_info(p, info);
    uint32_t width = png.get_image_width(p, info), height = png.get_image_height(p, info);
    double factor = fmax((double)width / max_width, (double)height / max_height);
    // Blocks of k: the result stays at least the preview's size, and libvips' own filter makes
    // the last step (as libvips does after decoding a JPEG at 1/2, 1/4 or 1/8 of its size).
    // (k ≤ 64 keeps a block's sums of alpha-weighted 8-bit values, 64² × 255², within 32 bits.)
    int k = (int)fmin(64, factor);
    if (k < 2 || png.get_interlace_type(p, info) != PNG_INTERLACE_NONE || png.get_valid(p, info, PNG_INFO_iCCP)) goto done;
    unsigned char type = png.get_color_type(p, info);
    png.set_expand(p);  // palette and low bit depths to 8 bits, tRNS to alpha
    png.set_strip_16(p);
    if (!(type & PNG_COLOR_MASK_COLOR)) png.set_gray_to_rgb(p);
    int opaque = !(type & PNG_COLOR_MASK_ALPHA) && !png.get_valid(p, info, PNG_INFO_tRNS), channels = opaque ? 3 : 4;
    // Each IDAT chunk's CRC is still checked; zlib's own checksum of the same bytes is skipped.
    png.set_option(p, PNG_IGNORE_ADLER32, PNG_OPTION_ON);
    png.read_update_info(p, info);
    if (png.get_rowbytes(p, info) != (size_t)width * channels) goto done;
    size_t out_width = (width + k - 1) / k, out_height = (height + k - 1) / k;
    row = malloc((size_t)width * channels);
    sums = calloc((size_t)width * channels, sizeof(uint32_t));
    result = malloc(out_width * out_height * 4);
    if (!row || !sums || !result) goto done;
    // (The volatile pointers only outlive a longjmp; the loop works through plain copies.)
    unsigned char *line = row, *blocks = result;
    uint32_t *columns = sums;
    for (uint32_t y = 0; y < height; y++) {
        png.read_row(p, line, NULL);
        // Each pixel's sums over the block's rows (colours weighted by alpha): a straight run
        // the compiler vectorises.
        if (opaque) {
            for (size_t i = 0; i < (size_t)width * 3; i++) columns[i] += line[i];
        } else {
            for (size_t i = 0; i < (size_t)width * 4; i += 4) {
                uint32_t alpha = line[i + 3];
                columns[i] += line[i] * alpha, columns[i + 1] += line[i + 1] * alpha, columns[i + 2] += line[i + 2] * alpha, columns[i + 3] += alpha;
            }
        }
        if ((y + 1) % k != 0 && y + 1 != height) continue;
        // The block's end: its columns added up, each colour over its alpha (a float reciprocal:
        // integer division per channel would cost more than the decoding).
        uint32_t rows = y % k + 1;
        unsigned char *dst = blocks + (y / k) * out_width * 4;
        for (size_t ox = 0; ox < out_width; ox++, dst += 4) {
            const uint32_t *column = columns + ox * k * channels, *last = columns + (ox * k + k < width ? ox * k + k : width) * channels;
            float count = (float)(rows * (uint32_t)((last - column) / channels));
            uint32_t r = 0, g = 0, b = 0, a = 0;
            if (opaque) {
                for (; column < last; column += 3) r += column[0], g += column[1], b += column[2];
            } else {
                for (; column < last; column += 4) r += column[0], g += column[1], b += column[2], a += column[3];
            }
            float weight = opaque ? 1.0f / count : a ? 1.0f / (float)a : 0.0f;
            dst[0] = (unsigned char)((float)r * weight + 0.5f), dst[1] = (unsigned char)((float)g * weight + 0.5f);
            dst[2] = (unsigned char)((float)b * weight + 0.5f), dst[3] = opaque ? 255 : (unsigned char)((float)a / count + 0.5f);
        }
        memset(columns, 0, (size_t)width * channels * sizeof(uint32_t));
    }
    *out = api.vips_image_new_from_memory_copy(result, out_width * out_height * 4, (int)out_width, (int)out_height, 4, VIPS_FORMAT_UCHAR);
    if (*out) {
        outcome = 1;
    } else {
        vips_failed(error, error_size);
        outcome = -1;
    }
done:
    png.destroy_read_struct(p ? &p : NULL, info ? &info : NULL, NULL);
    fclose(file);
    free(row), free(sums), free(result);
    return outcome;
}

/// Replaces *image by step's output, dropping the input.
#define STEP(call) \
    do { \
        VipsImage *next = NULL; \
        if ((call) != 0) { \
            api.g_object_unref(image); \
            vips_failed(error, error_size); \
            return -1; \
        } \
        api.g_object_unref(image); \
        image = next; \
    } while (0)

int cmedia_thumbnail(const char *path, int max_width, int max_height, const char *save_path, cmedia_image *out, void **png,
                     size_t *png_length, char *error, size_t error_size) {
    memset(out, 0, sizeof *out);
    if (png) *png = NULL, *png_length = 0;
    if (cmedia_load(error, error_size) != 0) return -1;
    VipsImage *image = NULL, *shrunk = NULL;
    int read = png_shrink_on_load(path, max_width, max_height, &shrunk, error, error_size);
    if (read < 0) return -1;
    // "size": VIPS_SIZE_DOWN, shrink only, never enlarge.
    if (read == 1) {
        int rc = api.vips_thumbnail_image(shrunk, &image, max_width, "height", max_height, "size", VIPS_SIZE_DOWN, NULL);
        api.g_object_unref(shrunk);
        if (rc != 0) {
            vips_failed(error, error_size);
            return -1;
        }
    } else if (api.vips_thumbnail(path, &image, max_width, "height", max_height, "size", VIPS_SIZE_DOWN, NULL) != 0) {
        vips_failed(error, error_size);
        return -1;
    }
    STEP(api.vips_colourspace(image, &next, VIPS_INTERPRETATION_sRGB, NULL));
    STEP(api.vips_cast_uchar(image, &next, NULL));
    if (api.vips_image_get_bands(image) == 3) STEP(api.vips_addalpha(image, &next, NULL));
    int bands = api.vips_image_get_bands(image);
    if (bands != 4) {
        api.g_object_unref(image);
        snprintf(error, error_size, "the image has %d channels after conversion", bands);
        return -1;
    }
    // Decoded once into memory (the file is read in one sequential pass), then encoded and copied out.
    VipsImage *decoded = api.vips_image_copy_memory(image);
    api.g_object_unref(image);
    if (!decoded) {
        vips_failed(error, error_size);
        return -1;
    }
    image = decoded;
    if (png || save_path) {
        // One PNG, quick to make (little compression): the graphics payload and the kept thumbnail.
        void *buffer = NULL;
        size_t length = 0;
        if (api.vips_pngsave_buffer(image, &buffer, &length, "compression", 1, "filter", VIPS_FOREIGN_PNG_FILTER_NONE, NULL) == 0) {
            FILE *f = save_path ? fopen(save_path, "wb") : NULL;  // a cache: best effort
            if (f) {
                fwrite(buffer, 1, length, f);
                fclose(f);
            }
            if (png) {
                *png = malloc(length);
                if (*png) memcpy(*png, buffer, length), *png_length = length;
            }
            api.g_free(buffer);
        } else {
            api.vips_error_clear();
        }
    }
    size_t size = 0;
    out->width = api.vips_image_get_width(image);
    out->height = api.vips_image_get_height(image);
    void *pixels = api.vips_image_write_to_memory(image, &size);
    api.g_object_unref(image);
    if (!pixels || size != (size_t)out->width * (size_t)out->height * 4) {
        if (pixels) api.g_free(pixels);
        snprintf(error, error_size, "libvips gave no pixels");
        return -1;
    }
    out->pixels = pixels;
    // Decoding a large design leaves megabytes free in the allocator's arenas (libvips works
    // on several threads): give them back rather than keep them resident.
    malloc_trim(0);
    return 0;
}
int cmedia_write_sample(const char *path, int width, int height, char *error, size_t error_size) {
    if (cmedia_load(error, error_size) != 0) return -1;
    VipsImage *image = NULL;
    if (api.vips_xyz(&image, width, height, NULL) != 0) {
        vips_failed(error, error_size);
        return -1;
    }
    STEP(api.vips_remainder_const1(image, &next, 256.0, NULL));
    STEP(api.vips_cast_uchar(image, &next, NULL));
    STEP(api.vips_bandjoin_const1(image, &next, 128.0, NULL));
    int rc = api.vips_pngsave(image, path, NULL);
    api.g_object_unref(image);
    if (rc != 0) vips_failed(error, error_size);
    return rc == 0 ? 0 : -1;
}

/// `markup` (Pango markup, coloured by the caller) set in `font` within `box_width` pixels,
/// wrapped at words and centred; when that is taller than `box_height`, set again at the
/// size that fits the box. Returns RGBA text, or NULL with the reason in `error`.
static VipsImage *set_text(const char *markup, const char *font, int box_width, int box_height, char *error, size_t error_size) {
    VipsImage *text = NULL;
    if (api.vips_text(&text, markup, "font", font, "width", box_width, "align", VIPS_ALIGN_CENTRE, "rgba", 1, "dpi", 72, NULL) != 0) {
        vips_failed(error, error_size);
        return NULL;
    }
    if (api.vips_image_get_height(text) <= box_height && api.vips_image_get_width(text) <= box_width) return text;
    api.g_object_unref(text);
    text = NULL;
    if (api.vips_text(&text, markup, "font", font, "width", box_width, "height", box_height, "align", VIPS_ALIGN_CENTRE, "rgba", 1, NULL) != 0) {
        vips_failed(error, error_size);
        return NULL;
    }
    return text;
}

/// `sub` composited over `base` at x, y; both are dropped. Returns the result, or NULL.
static VipsImage *place(VipsImage *base, VipsImage *sub, int x, int y, char *error, size_t error_size) {
    VipsImage *out = NULL;
    int rc = api.vips_composite2(base, sub, &out, VIPS_BLEND_MODE_OVER, "x", x, "y", y, NULL);
    api.g_object_unref(sub);
    api.g_object_unref(base);
    if (rc != 0) {
        vips_failed(error, error_size);
        return NULL;
    }
    return out;
}

int cmedia_compose_post(const char *photo, int width, int height, const char *headline, const char *byline, const char *font,
                        uint32_t band_rgb, const char *save_path, char *error, size_t error_size) {
    if (cmedia_load(error, error_size) != 0) return -1;
    if (width < 64 || height < 64 || width > 4096 || height > 4096) {
        snprintf(error, error_size, "a post image is 64 to 4,096 pixels a side");
        return -1;
    }
    // The photo fills the top (cropped to its centre, transparency over the band's colour),
    // the band below holds the headline and the byline; without a photo the band is the whole
    // picture and the text sits in its middle.
    int photo_height = photo ? height * 7 / 10 : 0, band = height - photo_height, margin = width / 16;
    VipsImage *image = NULL;
    if (api.vips_black(&image, width, height, "bands", 3, NULL) != 0) {
        vips_failed(error, error_size);
        return -1;
    }
    double a[3] = {1, 1, 1}, b[3] = {(band_rgb >> 16) & 0xff, (band_rgb >> 8) & 0xff, band_rgb & 0xff};
    STEP(api.vips_linear(image, &next, a, b, 3, NULL));
    STEP(api.vips_cast_uchar(image, &next, NULL));
    STEP(api.vips_copy(image, &next, "interpretation", VIPS_INTERPRETATION_sRGB, NULL));
    if (photo) {
        VipsImage *picture = NULL;
        if (api.vips_thumbnail(photo, &picture, width, "height", photo_height, "crop", VIPS_INTERESTING_CENTRE, "size", VIPS_SIZE_BOTH, NULL) != 0) {
            api.g_object_unref(image);
            vips_failed(error, error_size);
            return -1;
        }
        if (!(image = place(image, picture, 0, 0, error, error_size))) return -1;
    }
    int headline_height = photo ? (band - margin) * 2 / 3 : height / 2, byline_height = photo ? (band - margin) / 4 : height / 8;
    int text_top = photo ? photo_height + margin / 2 : (height - headline_height - byline_height) / 2, text_width = width - 2 * margin;
    char headline_font[96], byline_font[96];
    snprintf(headline_font, sizeof headline_font, "%s Bold %d", font, photo ? width / 16 : width / 11);
    snprintf(byline_font, sizeof byline_font, "%s %d", font, width / 32);
    if (headline && headline[0]) {
        VipsImage *text = set_text(headline, headline_font, text_width, headline_height, error, error_size);
        if (!text) {
            api.g_object_unref(image);
            return -1;
        }
        int used = api.vips_image_get_height(text), y = text_top + (headline_height - used) / 3;
        if (!(image = place(image, text, (width - api.vips_image_get_width(text)) / 2, y, error, error_size))) return -1;
        text_top = y + used + margin / 3;
    }
    if (byline && byline[0]) {
        VipsImage *text = set_text(byline, byline_font, text_width, byline_height, error, error_size);
        if (!text) {
            api.g_object_unref(image);
            return -1;
        }
        int h = api.vips_image_get_height(text), y = text_top + h > height ? height - h - margin / 4 : text_top;
        if (!(image = place(image, text, (width - api.vips_image_get_width(text)) / 2, y, error, error_size))) return -1;
    }
    // Composited with alpha, in float: back to opaque 8-bit RGB.
    STEP(api.vips_flatten(image, &next, NULL));
    STEP(api.vips_cast_uchar(image, &next, NULL));
    int rc = api.vips_pngsave(image, save_path, NULL);
    api.g_object_unref(image);
    if (rc != 0) vips_failed(error, error_size);
    return rc == 0 ? 0 : -1;
}
int cmedia_write_noise(const char *path, int width, int height, int seed, char *error, size_t error_size) {
    if (cmedia_load(error, error_size) != 0) return -1;
    VipsImage *image = NULL, *green = NULL;
    if (api.vips_gaussnoise(&image, width, height, "mean", 128.0, "sigma", 60.0, "seed", seed, NULL) != 0 ||
        api.vips_gaussnoise(&green, width, height, "mean", 128.0, "sigma", 60.0, "seed", seed + 7919, NULL) != 0) {
        if (image) api.g_object_unref(image);
        vips_failed(error, error_size);
        return -1;
    }
    VipsImage *joined = NULL;
    int rc = api.vips_bandjoin2(image, green, &joined, NULL);
    api.g_object_unref(green);
    api.g_object_unref(image);
    if (rc != 0) {
        vips_failed(error, error_size);
        return -1;
    }
    image = joined;
    STEP(api.vips_bandjoin_const1(image, &next, 96.0, NULL));
    STEP(api.vips_cast_uchar(image, &next, NULL));
    rc = api.vips_pngsave(image, path, "compression", 1, NULL);
    api.g_object_unref(image);
    if (rc != 0) vips_failed(error, error_size);
    return rc == 0 ? 0 : -1;
}

#undef STEP

int cmedia_size(const char *path, int *width, int *height, char *error, size_t error_size) {
    if (cmedia_load(error, error_size) != 0) return -1;
    VipsImage *image = api.vips_image_new_from_file(path, NULL);  // reads the header; pixels only on demand
    if (!image) {
        vips_failed(error, error_size);
        return -1;
    }
    *width = api.vips_image_get_width(image);
    *height = api.vips_image_get_height(image);
    api.g_object_unref(image);
    return 0;
}

void cmedia_image_free(cmedia_image *image) {
    if (image->pixels) api.g_free(image->pixels);
    image->pixels = NULL;
}

static ChafaCanvas *canvas_for(const cmedia_image *image, int mode, int cols, int rows, int cell_width, int cell_height) {
    ChafaCanvasConfig *config = api.config_new();
    if (!config) return NULL;
    api.config_set_geometry(config, cols, rows);
    if (cell_width > 0 && cell_height > 0) api.config_set_cell_geometry(config, cell_width, cell_height);
    api.config_set_canvas_mode(config, CHAFA_CANVAS_MODE_TRUECOLOR);
    api.config_set_pixel_mode(config, mode);
    ChafaCanvas *canvas = api.canvas_new(config);
    api.config_unref(config);
    if (canvas)
        api.canvas_draw_all_pixels(canvas, CHAFA_PIXEL_RGBA8_UNASSOCIATED, image->pixels, image->width, image->height, image->width * 4);
    return canvas;
}

char *cmedia_encode(const cmedia_image *image, int mode, int cols, int rows, int cell_width, int cell_height, size_t *length) {
    char error[64];
    *length = 0;
    if (cmedia_load(error, sizeof error) != 0 || mode < 1 || mode > 3 || !image->pixels) return NULL;
    ChafaCanvas *canvas = canvas_for(image, mode, cols, rows, cell_width, cell_height);
    if (!canvas) return NULL;
    // The fallback terminal info carries every sequence chafa knows (kitty, iTerm2, sixel).
    ChafaTermInfo *info = api.term_db_get_fallback_info(api.term_db_get_default());
    GStringLayout *printed = api.canvas_print(canvas, info);
    api.canvas_unref(canvas);
    if (info) api.term_info_unref(info);
    if (!printed) return NULL;
    char *copy = malloc(printed->len + 1);
    if (copy) {
        memcpy(copy, printed->str, printed->len + 1);
        *length = printed->len;
    }
    api.g_string_free(printed, 1);
    return copy;
}

int cmedia_symbols(const cmedia_image *image, int cols, int rows, uint32_t *chars, int32_t *fg, int32_t *bg) {
    char error[64];
    if (cmedia_load(error, sizeof error) != 0 || !image->pixels) return -1;
    ChafaCanvas *canvas = canvas_for(image, 0, cols, rows, 0, 0);
    if (!canvas) return -1;
    for (int y = 0; y < rows; y++) {
        for (int x = 0; x < cols; x++) {
            int f = -1, b = -1;
            chars[y * cols + x] = api.canvas_get_char_at(canvas, x, y);
            api.canvas_get_colors_at(canvas, x, y, &f, &b);
            fg[y * cols + x] = f;
            bg[y * cols + x] = b;
        }
    }
    api.canvas_unref(canvas);
    return 0;
}
