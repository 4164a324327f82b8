// LAPACK's C interface (Debian's liblapacke-dev) over OpenBLAS (libopenblas-dev): the linear
// models' solvers and the BLAS products that build their normal equations.
#include <lapacke.h>
#include <cblas.h>
