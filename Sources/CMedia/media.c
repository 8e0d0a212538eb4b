#include "cmedia.h"

#include <dlfcn.h>
#include <malloc.h>
#include <pthread.h>
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

enum { VIPS_INTERPRETATION_sRGB = 22, VIPS_SIZE_DOWN = 2, VIPS_FOREIGN_PNG_FILTER_NONE = 0x08, CHAFA_CANVAS_MODE_TRUECOLOR = 0, CHAFA_PIXEL_RGBA8_UNASSOCIATED = 4 };

static struct {
    int (*vips_init)(const char *);
    int (*vips_thumbnail)(const char *, VipsImage **, int, ...);
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
    SYM(vips, vips_init, "vips_init") SYM(vips, vips_thumbnail, "vips_thumbnail") SYM(vips, vips_colourspace, "vips_colourspace")
    SYM(vips, vips_cast_uchar, "vips_cast_uchar") SYM(vips, vips_addalpha, "vips_addalpha") SYM(vips, vips_pngsave, "vips_pngsave")
    SYM(vips, vips_pngsave_buffer, "vips_pngsave_buffer")
    SYM(vips, vips_image_new_from_file, "vips_image_new_from_file")
    SYM(vips, vips_image_get_width, "vips_image_get_width") SYM(vips, vips_image_get_height, "vips_image_get_height")
    SYM(vips, vips_image_get_bands, "vips_image_get_bands") SYM(vips, vips_image_write_to_memory, "vips_image_write_to_memory")
    SYM(vips, vips_error_buffer, "vips_error_buffer") SYM(vips, vips_error_clear, "vips_error_clear")
    SYM(vips, vips_xyz, "vips_xyz") SYM(vips, vips_cache_set_max, "vips_cache_set_max") SYM(vips, vips_remainder_const1, "vips_remainder_const1")
    SYM(vips, vips_bandjoin_const1, "vips_bandjoin_const1")
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
    VipsImage *image = NULL;
    // "size": VIPS_SIZE_DOWN, shrink only, never enlarge.
    if (api.vips_thumbnail(path, &image, max_width, "height", max_height, "size", VIPS_SIZE_DOWN, NULL) != 0) {
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
