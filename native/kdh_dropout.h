/*
 * Seeded dropout and max-norm for the `blas` backend (kdh_dropout.c); shared by kdh_blas.c's N-API wrappers.
 */
#ifndef KDH_DROPOUT_H
#define KDH_DROPOUT_H
#include <stdint.h>

/*
 * y[i] = x[i] * mask(seed, i, rate) for i < n, where the mask is 0 or 1/(1-rate) as lib/src/core/dropout.ts's
 * dropoutMask computes it (the same hash of (seed, i), so both give the same mask). rate in [0, 1).
 * y may be x (in place).
 */
void kdh_dropout(const float *x, float *y, int64_t n, uint32_t seed, double rate);

/*
 * Max-norm (Srebro & Shraibman 2005; Hinton et al. 2012, Srivastava et al. 2014) on w [rows, cols], row-major:
 * column j is scaled by s_j = min(1, c / max(norm_j, 1e-12)), with the norms summed in double. Returns how many
 * columns have s_j < 1 (or a NaN norm); only then is out written: exceeding columns scaled, the others copied.
 * acc is scratch for cols doubles. out must not overlap w.
 */
int64_t kdh_max_norm(const float *w, float *out, int64_t rows, int64_t cols, double c, double *acc);

#endif
