#ifndef STUDYPORTAL_ALLOCATOR_H
#define STUDYPORTAL_ALLOCATOR_H

/// Tunes mimalloc when the program is linked with it (release builds; see Package.swift) and does
/// nothing otherwise (debug and sanitizer builds, which keep the system allocator).
void studyportal_tune_allocator(void);

#endif
