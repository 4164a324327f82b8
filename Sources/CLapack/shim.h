// LAPACK's C interface (Debian's liblapacke-dev) over OpenBLAS (libopenblas-dev): the linear
// models' solvers and the BLAS products that build their normal equations. Nothing here is
// linked: AuroraModels opens the libraries when a linear model first needs them, so commands that
// never fit one do not start OpenBLAS's worker threads (they spin on the second core at load).
#include <lapacke.h>
#include <cblas.h>

typedef __typeof__(&cblas_dsyrk) aurora_dsyrk_fn;
typedef __typeof__(&cblas_dgemv) aurora_dgemv_fn;
typedef __typeof__(&LAPACKE_dposv) aurora_dposv_fn;
typedef __typeof__(&LAPACKE_dgelsd) aurora_dgelsd_fn;
typedef void (*aurora_set_threads_fn)(int);
