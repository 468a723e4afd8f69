#ifndef STUDYPORTAL_CSUPPORT_H
#define STUDYPORTAL_CSUPPORT_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE), so a published folder is
/// replaced in one step that a crash or SIGKILL cannot leave half done. Returns 0, or -1 with errno set
/// (EINVAL or ENOSYS where the file system or kernel cannot do it; the caller then falls back).
/// Swift's Glibc module does not expose renameat2 (nor getdents64, below), hence this small C target.
int studyportal_exchange(const char *_Nonnull a, const char *_Nonnull b);

/// Reads the entries of the open folder `fd` into `buffer` as Linux `getdents64` records (inode,
/// offset, record length, type, name): the bytes read, 0 at the end, or -1 with errno set (ENOSYS
/// off Linux). `readdir` over `fdopendir` cost three more system calls per folder (an fstat and two
/// fcntl), 60,000 of them for a large site's output; Swift's Glibc module does not expose getdents64.
long studyportal_read_directory(int fd, void *_Nonnull buffer, unsigned long size);

/// A `cmark_mem` (returned untyped: this header does not include cmark's) whose allocations come from
/// the calling thread's arena: bumped, never freed one by one, and all let go at once by
/// `studyportal_cmark_arena_reset`. cmark allocates every node, string and buffer of a document
/// separately, and frees each again; through the arena a document is parsed and rendered 12% faster
/// (docs/benchmarks.md). Everything a document allocated must be done with before the reset.
void *_Nonnull studyportal_cmark_arena(void);

/// Lets go of everything the calling thread's arena handed out (its first block is kept for the next
/// document; blocks a large document added are freed).
void studyportal_cmark_arena_reset(void);

#endif
