// The network-side C shims share this target: libcurl (ccurl.h) and, for what comes back
// from feeds, libxml2 (feed.h).
// RSS and Atom items through libxml2's streaming reader (xmlTextReader), loaded on first use
// with dlopen like libcurl: nothing of libxml2 is loaded at start-up, and no header of it is
// needed to build. The reader is linear in the document, loads no DTD, resolves no external
// entity, substitutes no declared entity and touches no network.
#ifndef CCURL_FEED_H
#define CCURL_FEED_H

#include <stddef.h>

/// Called once per `<item>` (RSS) or `<entry>` (Atom) with its first `title`,
/// `ht:approx_traffic` and `pubDate` (Atom: `published`, else `updated`), each NUL-terminated
/// UTF-8 and empty when absent. Each is cut at 4 KiB.
typedef void (*cxml_item_fn)(void *context, const char *title, const char *traffic, const char *published);

enum {
    CXML_OK = 0,
    CXML_UNAVAILABLE = -1,  // libxml2 cannot be loaded: `error` says why
    CXML_NOT_A_FEED = 1,    // well-formed enough, but no rss, channel or feed element
    CXML_MALFORMED = 2,     // the reader gave up before the end: `error` has libxml2's words
};

int cxml_feed_items(const char *data, size_t length, void *context, cxml_item_fn each, char *error, size_t error_size);

#endif
