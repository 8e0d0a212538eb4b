#include "ccurl.h"
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static struct {
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_perform)(CURL *);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    const char *(*easy_strerror)(CURLcode);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
    curl_mime *(*mime_init)(CURL *);
    curl_mimepart *(*mime_addpart)(curl_mime *);
    CURLcode (*mime_name)(curl_mimepart *, const char *);
    CURLcode (*mime_data)(curl_mimepart *, const char *, size_t);
    CURLcode (*mime_filename)(curl_mimepart *, const char *);
    CURLcode (*mime_type)(curl_mimepart *, const char *);
    void (*mime_free)(curl_mime *);
} api;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char load_error[256] = "libcurl is not loaded";

static void load(void) {
    static const char *names[] = {"libcurl.so.4", "libcurl-gnutls.so.4", "libcurl.so", "libcurl.4.dylib", NULL};
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
        snprintf(load_error, sizeof load_error, "libcurl could not be loaded (%s); install libcurl4", dlerror());
        return;
    }
#define SYM(field, name) \
    if (!(*(void **)&api.field = dlsym(lib, name))) { \
        snprintf(load_error, sizeof load_error, "libcurl lacks %s (version 7.56 or later is needed)", name); \
        return; \
    }
    SYM(global_init, "curl_global_init") SYM(easy_init, "curl_easy_init") SYM(easy_cleanup, "curl_easy_cleanup")
    SYM(easy_reset, "curl_easy_reset") SYM(easy_setopt, "curl_easy_setopt") SYM(easy_perform, "curl_easy_perform")
    SYM(easy_getinfo, "curl_easy_getinfo") SYM(easy_strerror, "curl_easy_strerror")
    SYM(slist_append, "curl_slist_append") SYM(slist_free_all, "curl_slist_free_all")
    SYM(mime_init, "curl_mime_init") SYM(mime_addpart, "curl_mime_addpart") SYM(mime_name, "curl_mime_name")
    SYM(mime_data, "curl_mime_data") SYM(mime_filename, "curl_mime_filename") SYM(mime_type, "curl_mime_type")
    SYM(mime_free, "curl_mime_free")
#undef SYM
    if (api.global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
        snprintf(load_error, sizeof load_error, "libcurl failed to initialise");
        return;
    }
    load_error[0] = 0;
}

int ccurl_load(char *error, size_t error_size) {
    pthread_once(&once, load);
    if (load_error[0] == 0) return 0;
    if (error && error_size) snprintf(error, error_size, "%s", load_error);
    return -1;
}

void *ccurl_handle_new(void) { return api.easy_init(); }
void ccurl_handle_free(void *handle) { if (handle) api.easy_cleanup(handle); }
const char *ccurl_strerror(int code) { return api.easy_strerror ? api.easy_strerror((CURLcode)code) : "libcurl is not loaded"; }

typedef struct { char *data; size_t length, capacity, limit; int over; } buffer;

// Headers larger than this stop the transfer (no provider sends more than a few KiB).
#define CCURL_MAX_HEADERS (256 * 1024)

static int append(buffer *b, const char *data, size_t n) {
    if (b->length + n + 1 > b->capacity) {
        size_t cap = b->capacity ? b->capacity : 4096;
        while (cap < b->length + n + 1) cap *= 2;
        char *p = realloc(b->data, cap);
        if (!p) return 0;
        b->data = p;
        b->capacity = cap;
    }
    memcpy(b->data + b->length, data, n);
    b->length += n;
    b->data[b->length] = 0;
    return 1;
}

// libcurl hands over the body decoded: the limit holds for what a gzip body inflates to.
static size_t on_body(char *data, size_t size, size_t count, void *user) {
    buffer *b = user;
    size_t n = size * count;
    if (n > b->limit - b->length) {
        b->over = 1;
        return 0;
    }
    return append(b, data, n) ? n : 0;
}

static size_t on_header(char *data, size_t size, size_t count, void *user) {
    buffer *b = user;
    size_t n = size * count;
    // A new status line (after a redirect or a 100 Continue) starts the headers afresh.
    if (n >= 5 && strncmp(data, "HTTP/", 5) == 0) b->length = 0;
    if (n > b->limit - b->length) {
        b->over = 1;
        return 0;
    }
    return append(b, data, n) ? n : 0;
}

static int on_progress(void *user, curl_off_t dt, curl_off_t dn, curl_off_t ut, curl_off_t un) {
    (void)dt; (void)dn; (void)ut; (void)un;
    const volatile int *cancel = user;
    return cancel && *cancel ? 1 : 0;
}

int ccurl_perform(void *handle, const ccurl_request *rq, ccurl_response *rs) {
    CURL *h = handle;
    memset(rs, 0, sizeof *rs);
    buffer body = {0}, head = {0};
    body.limit = rq->max_body;
    head.limit = CCURL_MAX_HEADERS;
    struct curl_slist *headers = NULL;
    curl_mime *mime = NULL;
    api.easy_reset(h); // keeps the connection cache
    api.easy_setopt(h, CURLOPT_URL, rq->url);
    api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 1L);
    api.easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 2L);
    api.easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    // HTTP and HTTPS only (no file://, no other scheme through a provider's URL), and a body
    // announced larger than the limit is refused before it comes.
    api.easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    api.easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)rq->max_body);
    api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, rq->connect_timeout_ms);
    api.easy_setopt(h, CURLOPT_TIMEOUT_MS, rq->timeout_ms);
    api.easy_setopt(h, CURLOPT_USERAGENT, rq->user_agent);
    api.easy_setopt(h, CURLOPT_ERRORBUFFER, rs->error);
    api.easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    api.easy_setopt(h, CURLOPT_WRITEDATA, &body);
    api.easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    api.easy_setopt(h, CURLOPT_HEADERDATA, &head);
    api.easy_setopt(h, CURLOPT_NOPROGRESS, 0L);
    api.easy_setopt(h, CURLOPT_XFERINFOFUNCTION, on_progress);
    api.easy_setopt(h, CURLOPT_XFERINFODATA, (void *)rq->cancel);
    for (size_t i = 0; i < rq->header_count; i++) headers = api.slist_append(headers, rq->headers[i]);
    if (rq->part_count > 0) {
        mime = api.mime_init(h);
        for (size_t i = 0; i < rq->part_count; i++) {
            const ccurl_part *p = &rq->parts[i];
            curl_mimepart *part = api.mime_addpart(mime);
            api.mime_name(part, p->name);
            api.mime_data(part, p->data, p->length);
            if (p->filename) api.mime_filename(part, p->filename);
            if (p->type) api.mime_type(part, p->type);
        }
        api.easy_setopt(h, CURLOPT_MIMEPOST, mime);
    } else if (rq->body) {
        api.easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)rq->body_length);
        api.easy_setopt(h, CURLOPT_POSTFIELDS, rq->body);
    }
    int has_body = rq->body || mime;
    // A request that is not idempotent goes on a fresh connection: on a reused one whose peer
    // hung up, libcurl silently sends the request again — and a create the server carried out
    // before hanging up would be made twice.
    if (strcasecmp(rq->method, "GET") != 0 && strcasecmp(rq->method, "HEAD") != 0 && strcasecmp(rq->method, "PUT") != 0 &&
        strcasecmp(rq->method, "DELETE") != 0)
        api.easy_setopt(h, CURLOPT_FRESH_CONNECT, 1L);
    if (strcasecmp(rq->method, "HEAD") == 0) {
        api.easy_setopt(h, CURLOPT_NOBODY, 1L);
    } else if (strcasecmp(rq->method, "POST") == 0) {
        if (!has_body) {
            api.easy_setopt(h, CURLOPT_POSTFIELDSIZE, 0L);
            api.easy_setopt(h, CURLOPT_POSTFIELDS, "");
        }
    } else if (strcasecmp(rq->method, "GET") != 0 || has_body) {
        api.easy_setopt(h, CURLOPT_CUSTOMREQUEST, rq->method); // PUT, PATCH, DELETE…
    }
    if (headers) api.easy_setopt(h, CURLOPT_HTTPHEADER, headers);
    CURLcode code = api.easy_perform(h);
    api.easy_getinfo(h, CURLINFO_RESPONSE_CODE, &rs->status);
    api.easy_setopt(h, CURLOPT_ERRORBUFFER, NULL);
    api.easy_setopt(h, CURLOPT_HTTPHEADER, NULL);
    api.easy_setopt(h, CURLOPT_MIMEPOST, NULL);
    if (headers) api.slist_free_all(headers);
    if (mime) api.mime_free(mime);
    rs->body = body.data;
    rs->body_length = body.length;
    rs->headers = head.data;
    rs->headers_length = head.length;
    rs->too_large = body.over || head.over;
    return (int)code;
}

void ccurl_response_free(ccurl_response *rs) {
    free(rs->body);
    free(rs->headers);
    rs->body = rs->headers = NULL;
}

typedef struct { const char *data; size_t left; } reader;

static size_t on_read(char *out, size_t size, size_t count, void *user) {
    reader *r = user;
    size_t n = size * count < r->left ? size * count : r->left;
    memcpy(out, r->data, n);
    r->data += n;
    r->left -= n;
    return n;
}

static CURL *smtp_handle(const char *url, int starttls, const char *user, const char *password, long timeout_ms, char *error) {
    CURL *h = api.easy_init();
    if (!h) return NULL;
    api.easy_setopt(h, CURLOPT_URL, url);
    api.easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    api.easy_setopt(h, CURLOPT_ERRORBUFFER, error);
    api.easy_setopt(h, CURLOPT_TIMEOUT_MS, timeout_ms);
    api.easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms);
    if (starttls) api.easy_setopt(h, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL);
    if (user && *user) {
        api.easy_setopt(h, CURLOPT_USERNAME, user);
        api.easy_setopt(h, CURLOPT_PASSWORD, password ? password : "");
    }
    return h;
}

int ccurl_smtp_check(const char *url, int starttls, const char *user, const char *password, long timeout_ms, char error[CURL_ERROR_SIZE]) {
    error[0] = 0;
    CURL *h = smtp_handle(url, starttls, user, password, timeout_ms, error);
    if (!h) return CURLE_FAILED_INIT;
    api.easy_setopt(h, CURLOPT_CONNECT_ONLY, 1L);
    CURLcode code = api.easy_perform(h);
    api.easy_cleanup(h);
    return (int)code;
}

int ccurl_smtp_send(const char *url, int starttls, const char *user, const char *password, const char *from,
                    const char *const *recipients, size_t recipient_count, const char *message, size_t message_length,
                    long timeout_ms, char error[CURL_ERROR_SIZE]) {
    error[0] = 0;
    CURL *h = smtp_handle(url, starttls, user, password, timeout_ms, error);
    if (!h) return CURLE_FAILED_INIT;
    struct curl_slist *rcpt = NULL;
    for (size_t i = 0; i < recipient_count; i++) rcpt = api.slist_append(rcpt, recipients[i]);
    reader r = {message, message_length};
    api.easy_setopt(h, CURLOPT_MAIL_FROM, from);
    api.easy_setopt(h, CURLOPT_MAIL_RCPT, rcpt);
    api.easy_setopt(h, CURLOPT_READFUNCTION, on_read);
    api.easy_setopt(h, CURLOPT_READDATA, &r);
    api.easy_setopt(h, CURLOPT_UPLOAD, 1L);
    CURLcode code = api.easy_perform(h);
    api.slist_free_all(rcpt);
    api.easy_cleanup(h);
    return (int)code;
}

static pthread_once_t crypto_once = PTHREAD_ONCE_INIT;
static unsigned char *(*sha256_fn)(const unsigned char *, size_t, unsigned char *);

static void load_crypto(void) {
    static const char *names[] = {"libcrypto.so.3", "libcrypto.so.1.1", "libcrypto.so", "libcrypto.3.dylib", NULL};
    void *lib = NULL;
    for (int i = 0; names[i] && !lib; i++) lib = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
    if (lib) *(void **)&sha256_fn = dlsym(lib, "SHA256");
}

int ccurl_sha256(const void *data, size_t length, unsigned char out[32]) {
    pthread_once(&crypto_once, load_crypto);
    if (!sha256_fn) return -1;
    sha256_fn(data, length, out);
    return 0;
}
