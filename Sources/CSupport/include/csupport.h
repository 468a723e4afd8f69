#ifndef STUDYPORTAL_CSUPPORT_H
#define STUDYPORTAL_CSUPPORT_H

/// Atomically exchanges two paths (Linux renameat2 with RENAME_EXCHANGE), so a published folder is
/// replaced in one step that a crash or SIGKILL cannot leave half done. Returns 0, or -1 with errno set
/// (EINVAL or ENOSYS where the file system or kernel cannot do it; the caller then falls back).
/// Swift's Glibc module does not expose renameat2, hence this one-function C target.
int studyportal_exchange(const char *a, const char *b);

#endif
