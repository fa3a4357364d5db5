#ifndef LEAKWARD_CDEFLATE_SHIM_H
#define LEAKWARD_CDEFLATE_SHIM_H
/* libdeflate: whole-buffer DEFLATE decoding, for git pack objects (their inflated size is
   known up front). Linked statically (`-l:libdeflate.a`), so the binary needs no new
   runtime package; only building needs libdeflate-dev. */
#include <libdeflate.h>
#endif
