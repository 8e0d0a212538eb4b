// What this binary was built from: the git commit, given by the build (Package.swift reads
// PODPUSHER_COMMIT, which the Makefile sets), else "unknown".
#ifndef BUILD_INFO_H
#define BUILD_INFO_H
const char *podpusher_build_commit(void);
#endif
