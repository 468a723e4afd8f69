#define _GNU_SOURCE
#include "csupport.h"
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sys/syscall.h>
#include <linux/fs.h>
#endif

int studyportal_exchange(const char *a, const char *b) {
#if defined(__linux__) && defined(SYS_renameat2)
    return (int)syscall(SYS_renameat2, AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE);
#else
    errno = ENOSYS;
    return -1;
#endif
}

long studyportal_read_directory(int fd, void *buffer, unsigned long size) {
#if defined(__linux__) && defined(SYS_getdents64)
    return (long)syscall(SYS_getdents64, fd, buffer, size);
#else
    (void)fd; (void)buffer; (void)size;
    errno = ENOSYS;
    return -1;
#endif
}

// The cmark arena (csupport.h). One per thread (a `__thread` pointer, freed with the thread through a
// pthread key): cmark's calls come from whichever thread renders the document, each document wholly on
// one thread.
#include <cmark.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { arena_align = 16, arena_header = 16, arena_block_size = 256 * 1024 };

typedef struct arena_block {
    struct arena_block *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
} arena_block;

typedef struct { arena_block *first, *current; } arena;

static __thread arena *thread_arena;
static pthread_key_t arena_key;
static pthread_once_t arena_once = PTHREAD_ONCE_INIT;

static void arena_destroy(void *p) {
    arena *a = p;
    for (arena_block *b = a->first, *next; b; b = next) { next = b->next; free(b); }
    free(a);
    thread_arena = NULL;   // a later destructor's cmark call makes a new one
}

static void arena_make_key(void) { pthread_key_create(&arena_key, arena_destroy); }

static void *arena_fail(void) {
    // As cmark's own allocator does when memory runs out.
    fprintf(stderr, "[cmark] out of memory\n");
    abort();
}

static arena *current_arena(void) {
    if (thread_arena) return thread_arena;
    pthread_once(&arena_once, arena_make_key);
    arena *a = calloc(1, sizeof *a);
    if (!a) arena_fail();
    thread_arena = a;
    pthread_setspecific(arena_key, a);
    return a;
}

// `size` bytes, 16-aligned, after a header holding the size (for realloc).
static void *arena_bump(size_t size) {
    if (size > SIZE_MAX / 2) arena_fail();
    arena *a = current_arena();
    size_t need = arena_header + ((size + arena_align - 1) & ~(size_t)(arena_align - 1));
    arena_block *b = a->current;
    if (!b || b->used + need > b->size) {
        size_t room = need > arena_block_size ? need : arena_block_size;
        arena_block *n = malloc(sizeof(arena_block) + room);
        if (!n) arena_fail();
        n->size = room;
        n->used = 0;
        n->next = NULL;
        if (b) b->next = n; else a->first = n;
        a->current = b = n;
    }
    unsigned char *p = b->data + b->used;
    memcpy(p, &size, sizeof size);
    b->used += need;
    return p + arena_header;
}

static void *arena_calloc(size_t count, size_t size) {
    if (size != 0 && count > SIZE_MAX / size) arena_fail();
    void *p = arena_bump(count * size);
    memset(p, 0, count * size);
    return p;
}

static void *arena_realloc(void *p, size_t size) {
    if (!p) return arena_bump(size);
    size_t old;
    memcpy(&old, (unsigned char *)p - arena_header, sizeof old);
    // The block's last allocation grows in place when the block has room (cmark's buffers grow by
    // appending, so this is the common case).
    arena_block *b = current_arena()->current;
    size_t rounded = (old + arena_align - 1) & ~(size_t)(arena_align - 1);
    if (b && (unsigned char *)p + rounded == b->data + b->used && size <= SIZE_MAX / 2) {
        size_t grown = (size + arena_align - 1) & ~(size_t)(arena_align - 1);
        if (grown <= rounded || b->used - rounded + grown <= b->size) {
            b->used = b->used - rounded + (grown > rounded ? grown : rounded);
            if (size > old) memcpy((unsigned char *)p - arena_header, &size, sizeof size);
            return p;
        }
    }
    if (size <= old) return p;
    void *q = arena_bump(size);
    memcpy(q, p, old);
    return q;
}

static void arena_free(void *p) { (void)p; }

static cmark_mem arena_mem = {arena_calloc, arena_realloc, arena_free};

void *_Nonnull studyportal_cmark_arena(void) { return &arena_mem; }

void studyportal_cmark_arena_reset(void) {
    arena *a = current_arena();
    arena_block *first = a->first;
    if (!first) return;
    for (arena_block *b = first->next, *next; b; b = next) { next = b->next; free(b); }
    if (first->size > arena_block_size) {   // made for one large allocation: not kept
        free(first);
        a->first = a->current = NULL;
        return;
    }
    first->next = NULL;
    first->used = 0;
    a->current = first;
}
