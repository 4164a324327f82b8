#ifndef AURORA_CZSTD_SHIM_H
#define AURORA_CZSTD_SHIM_H
/* ZSTD_STATIC_LINKING_ONLY is deliberately not defined: Aurora uses only the stable API. */
#include <zstd.h>
#endif
