#include "allocator.h"

// mimalloc is linked into release builds on Linux only (Package.swift); elsewhere, or without its
// header, this does nothing.
#if defined(__linux__) && __has_include(<mimalloc.h>)
#include <mimalloc.h>
#include <stddef.h>
#include <stdlib.h>

// Weak: a build that does not link mimalloc (debug, `make sanitize`, whose sanitizers bring their
// own malloc and do not scan memory another allocator maps) leaves it null.
#pragma weak mi_option_set

void studyportal_tune_allocator(void) {
    if (mi_option_set == NULL) return;
    // A delay the user set in the environment wins.
    if (getenv("MIMALLOC_PURGE_DELAY") || getenv("MIMALLOC_DECOMMIT_DELAY") || getenv("MIMALLOC_RESET_DELAY")) return;
    // Memory the program frees stays committed for up to 10 s instead of mimalloc's default 10 ms:
    // a build frees one stage's pages and allocates the next stage's, and each page handed back to
    // the system is a page fault when it is taken again (docs/benchmarks.md). The option was
    // `decommit_delay` until mimalloc 2.1 (Debian 12 has 2.0.9) and is `purge_delay` since.
#if MI_MALLOC_VERSION >= 210
    mi_option_set(mi_option_purge_delay, 10000);
#else
    mi_option_set(mi_option_decommit_delay, 10000);
#endif
}
#else
void studyportal_tune_allocator(void) {}
#endif
