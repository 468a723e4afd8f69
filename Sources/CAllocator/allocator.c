#include "allocator.h"
#include <mimalloc.h>
#include <stddef.h>

// Weak: a build that does not link mimalloc (debug, `make sanitize`, whose sanitizers bring their
// own malloc and do not scan memory another allocator maps) leaves it null.
#pragma weak mi_option_set

void studyportal_tune_allocator(void) {
    if (mi_option_set == NULL) return;
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
