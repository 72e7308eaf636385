/*
 * Optimizer updates for the `blas` backend (kdh_optim.c): one pass over a variable and its gradient
 * (and its optimizer state), written to fresh outputs. Shared by kdh_blas.c's N-API wrappers.
 */
#ifndef KDH_OPTIM_H
#define KDH_OPTIM_H
#include <stdint.h>

enum { KDH_UPDATE_SGD = 0, KDH_UPDATE_MOMENTUM = 1, KDH_UPDATE_ADAM = 2 };

/* Buffers of one update; unused ones are NULL. */
typedef struct {
  const float *w, *g, *m, *v; /* value, gradient, first state (momentum accumulation or Adam m), Adam v */
  float *outW, *outM, *outV;
} KdhUpdateBufs;

/*
 * Hyper-parameters, already in the float32 form tfjs uses:
 *   SGD:      h[0] = c = -learning rate
 *   momentum: h[0] = c, h[1] = momentum, h[2] = 1 for Nesterov
 *   Adam:     h[0] = beta1, h[1] = 1 - beta1, h[2] = beta2, h[3] = 1 - beta2, h[4] = 1 - beta1^t,
 *             h[5] = 1 - beta2^t, h[6] = epsilon, h[7] = -learning rate
 * `threads` > 1 splits a large variable between that many threads.
 */
void kdh_update(int kind, const KdhUpdateBufs *b, int64_t n, const float *h, int threads);

#endif
