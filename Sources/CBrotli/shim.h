#ifndef LEAKWARD_CBROTLI_SHIM_H
#define LEAKWARD_CBROTLI_SHIM_H
#include <brotli/decode.h>
#endif
