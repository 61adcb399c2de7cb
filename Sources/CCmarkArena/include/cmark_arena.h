#ifndef FORMULARY_CMARK_ARENA_H
#define FORMULARY_CMARK_ARENA_H

#include <cmark-gfm.h>

/// An allocator for cmark-gfm that carves every allocation of one parse out of large
/// per-thread blocks and frees them all at once: parsing a page makes thousands of small
/// allocations (nodes, buffers) that all die together when the page is done.
///
/// Each thread has its own arena, so parsers on different threads never share one.
cmark_mem *formulary_cmark_arena_allocator(void);

/// Releases everything allocated on this thread's arena since the last reset. Every node,
/// parser and buffer made with the arena allocator on this thread becomes invalid.
void formulary_cmark_arena_reset(void);

#endif
