// libcurl, loaded on first use. The app links no part of libcurl: `ccurl_load` opens the shared
// library with dlopen the first time a request is made, so the ~30 libraries it pulls in (TLS,
// HTTP/2, IDN, LDAP…) cost nothing at start-up, where every millisecond counts against the
// first-frame budget. Only curl's headers are needed to build.
#ifndef CCURL_H
#define CCURL_H

#include <curl/curl.h>
#include <stddef.h>

/// One part of a multipart/form-data body.
typedef struct {
    const char *name;
    const void *data;
    size_t length;
    const char *filename;   // NULL for a plain field
    const char *type;       // NULL for curl's default
} ccurl_part;

typedef struct {
    const char *method;
    const char *url;
    const char *const *headers;     // "Name: value" lines
    size_t header_count;
    const void *body;               // NULL for none
    size_t body_length;
    const ccurl_part *parts;        // a multipart body when part_count > 0
    size_t part_count;
    long connect_timeout_ms;
    long timeout_ms;
    const char *user_agent;
    const volatile int *cancel;     // when it becomes non-zero the transfer stops
    size_t max_body;                // the most body bytes taken, counted after decoding (gzip)
} ccurl_request;

typedef struct {
    long status;
    char *body;                     // malloc'd; free with ccurl_response_free
    size_t body_length;
    char *headers;                  // the final response's header lines, CRLF separated
    size_t headers_length;
    char error[CURL_ERROR_SIZE];    // curl's detailed message when the result is not CURLE_OK
    int too_large;                  // the body or the headers passed their limit: the transfer stopped
} ccurl_response;

/// Loads libcurl once. Returns 0, or -1 with a reason in `error`.
int ccurl_load(char *error, size_t error_size);
/// An easy handle: reused across requests so that connections are kept alive.
void *ccurl_handle_new(void);
void ccurl_handle_free(void *handle);
/// Performs one request on `handle`. Returns a CURLcode; fills `response` either way.
int ccurl_perform(void *handle, const ccurl_request *request, ccurl_response *response);
void ccurl_response_free(ccurl_response *response);
const char *ccurl_strerror(int code);
/// One message over SMTP (smtp:// or smtps://): `message` is the whole RFC 5322 text with
/// CRLF line ends. `starttls` asks for STARTTLS and refuses to go on without it. `user` may be
/// NULL (no login). Returns a CURLcode; `error` gets curl's detailed message.
int ccurl_smtp_send(const char *url, int starttls, const char *user, const char *password, const char *from,
                    const char *const *recipients, size_t recipient_count, const char *message, size_t message_length,
                    long timeout_ms, char error[CURL_ERROR_SIZE]);

/// Connects to an SMTP server and logs in (greeting, EHLO, STARTTLS, AUTH), then hangs up
/// without sending: checks a password. Same arguments and result as `ccurl_smtp_send`.
int ccurl_smtp_check(const char *url, int starttls, const char *user, const char *password, long timeout_ms,
                     char error[CURL_ERROR_SIZE]);

/// SHA-256 from OpenSSL's libcrypto (which libcurl already brings), opened on first use.
/// Returns 0, or -1 when libcrypto cannot be loaded.
int ccurl_sha256(const void *data, size_t length, unsigned char out[32]);

#include "feed.h"

#endif
