#include "feed.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

// The few libxml2 entry points used, declared here (their ABI is stable since 2.x).
typedef void *reader_t;
enum { NODE_ELEMENT = 1, NODE_TEXT = 3, NODE_CDATA = 4, NODE_SIGNIFICANT_WHITESPACE = 14, NODE_END_ELEMENT = 15 };
// XML_PARSE_RECOVER | XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_NONET | XML_PARSE_NOCDATA is
// not wanted (CDATA comes as its own node); no XML_PARSE_NOENT, XML_PARSE_DTDLOAD or XML_PARSE_HUGE.
enum { PARSE_RECOVER = 1, PARSE_NOERROR = 32, PARSE_NOWARNING = 64, PARSE_NONET = 2048 };

static struct {
    reader_t (*for_memory)(const char *, int, const char *, const char *, int);
    int (*read)(reader_t);
    int (*node_type)(reader_t);
    int (*is_empty)(reader_t);
    const unsigned char *(*name)(reader_t);
    const unsigned char *(*value)(reader_t);
    void (*free_reader)(reader_t);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[200] = "libxml2 is not loaded";

static void load(void) {
    static const char *names[] = {"libxml2.so.2", "libxml2.so", "libxml2.2.dylib", NULL};
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "libxml2 could not be loaded (%s); install libxml2", dlerror());
        return;
    }
#define SYM(field, symbol) \
    if (!(*(void **)&api.field = dlsym(lib, symbol))) { \
        snprintf(load_error, sizeof load_error, "libxml2 lacks %s", symbol); \
        return; \
    }
    SYM(for_memory, "xmlReaderForMemory") SYM(read, "xmlTextReaderRead") SYM(node_type, "xmlTextReaderNodeType")
    SYM(is_empty, "xmlTextReaderIsEmptyElement") SYM(name, "xmlTextReaderConstName") SYM(value, "xmlTextReaderConstValue")
    SYM(free_reader, "xmlFreeTextReader")
#undef SYM
    load_error[0] = 0;
}

#define FIELD_MAX 4096
typedef struct { char text[FIELD_MAX + 1]; size_t length; int done; } field;

static void add(field *f, const unsigned char *s) {
    if (!s || f->done) return;
    size_t n = strlen((const char *)s);
    if (n > FIELD_MAX - f->length) n = FIELD_MAX - f->length;
    memcpy(f->text + f->length, s, n);
    f->length += n;
    f->text[f->length] = 0;
}

static int is(const unsigned char *name, const char *what) { return name && strcmp((const char *)name, what) == 0; }

int cxml_feed_items(const char *data, size_t length, void *context, cxml_item_fn each, char *error, size_t error_size) {
    pthread_once(&once, load);
    if (load_error[0]) {
        snprintf(error, error_size, "%s", load_error);
        return CXML_UNAVAILABLE;
    }
    if (length > 0x7fffffff) {
        snprintf(error, error_size, "the document is too large");
        return CXML_MALFORMED;
    }
    reader_t r = api.for_memory(data, (int)length, NULL, NULL, PARSE_RECOVER | PARSE_NOERROR | PARSE_NOWARNING | PARSE_NONET);
    if (!r) {
        snprintf(error, error_size, "the document cannot be read as XML");
        return CXML_MALFORMED;
    }
    // One item at a time: its three fields, and which of them the reader is inside.
    field fields[3];
    field *current = NULL;
    int in_item = 0, is_feed = 0, result;
    const char *published_name = "pubDate";
    while ((result = api.read(r)) == 1) {
        int type = api.node_type(r);
        const unsigned char *name = api.name(r);
        if (type == NODE_ELEMENT) {
            if (is(name, "rss") || is(name, "channel") || is(name, "feed")) is_feed = 1;
            if (is(name, "item") || is(name, "entry")) {
                if (api.is_empty(r)) continue;
                in_item = 1;
                published_name = is(name, "entry") ? "published" : "pubDate";
                for (int i = 0; i < 3; i++) fields[i].length = fields[i].done = 0, fields[i].text[0] = 0;
                current = NULL;
            } else if (in_item && !api.is_empty(r)) {
                if (is(name, "title")) current = &fields[0];
                else if (is(name, "ht:approx_traffic")) current = &fields[1];
                else if (is(name, published_name) || (is(name, "updated") && fields[2].length == 0)) current = &fields[2];
                else current = NULL;
            }
        } else if (type == NODE_END_ELEMENT) {
            if (in_item && (is(name, "item") || is(name, "entry"))) {
                in_item = 0;
                current = NULL;
                each(context, fields[0].text, fields[1].text, fields[2].text);
            } else if (current) {
                current->done = current->length > 0; // the first non-empty one counts
                current = NULL;
            }
        } else if (current && (type == NODE_TEXT || type == NODE_CDATA || type == NODE_SIGNIFICANT_WHITESPACE)) {
            add(current, api.value(r));
        }
    }
    api.free_reader(r);
    if (result < 0 && !is_feed) {
        snprintf(error, error_size, "the document is not well-formed XML");
        return CXML_MALFORMED;
    }
    return is_feed ? CXML_OK : CXML_NOT_A_FEED;
}
