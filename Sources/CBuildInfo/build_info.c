#include "build_info.h"
#ifndef PODPUSHER_COMMIT
#define PODPUSHER_COMMIT "unknown"
#endif
const char *podpusher_build_commit(void) { return PODPUSHER_COMMIT; }
