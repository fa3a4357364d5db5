#ifndef LEAKWARD_CZLIB_SHIM_H
#define LEAKWARD_CZLIB_SHIM_H
#include <zlib.h>
/* inflateInit2 is a function-like macro and does not import. */
static inline int czlib_inflate_init2(z_streamp strm, int window_bits) {
    return inflateInit2(strm, window_bits);
}
#endif
