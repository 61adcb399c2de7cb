#ifndef FORMULARY_FAST_SEARCH_H
#define FORMULARY_FAST_SEARCH_H

#include <stddef.h>

/// The first occurrence of `needle` in `haystack`, or NULL: the C library's `memmem`
/// (a two-way search), which Swift's Glibc module does not export.
const void *formulary_memmem(const void *haystack, size_t haystack_length, const void *needle, size_t needle_length);

#endif
