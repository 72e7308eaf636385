/*
 * The knowledge-distillation loss of Hinton, Vinyals & Dean (2015), section 2, and its gradients, in one
 * pass per row, for the `blas` backend (lib/src/core/fused-distillation.ts holds the same loop in JS and
 * the formulas' derivation).
 *
 * Why native: the loss is a few thousand flops on a [batch, classes] block; as tfjs ops it is about fifty
 * kernels, and even as one kernel written in JS its exponentials and per-call allocations were a
 * noticeable part of the gap between a distillation step and a plain cross-entropy step of the student
 * MLP. Here the forward kernel computes only the loss, the backward kernel only g · dL/dz (the gradient
 * with respect to the teacher or the labels is computed only when something asks for it).
 *
 * Per row (everything in double; inputs are float32):
 *   m = max z;  eA_i = exp((z_i - m) / T),  log q_i = (z_i - m) / T - log sum eA,  q_i = eA_i / sum eA
 *   p = softmax(v / T) (teacher logits, same max shift) or p = v (teacher probabilities at T)
 *   c_i = -log q_i (cross-entropy) or log p_i - log q_i (KL; log 0 taken as 0, since 0 log 0 = 0)
 *   soft = sum_{p_i != 0} p_i c_i,   hard = -sum_{y_i != 0} y_i log softmax(z)_i
 *   L_row = w T^2 soft + (1 - w) hard           (soft only for w > 0, hard only for w < 1 with labels)
 *   dL/dz_i = w T (q_i sum p - p_i) + (1 - w) (softmax(z)_i sum y - y_i)
 *   dL/dv_i = w T p_i (c_i - soft)  (logits)   or  w T^2 ((KL and p_i > 0 ? log p_i + 1 : 0) - log q_i)  (probabilities)
 *   dL/dy_i = -(1 - w) log softmax(z)_i
 * and L is the mean over rows, so every gradient carries g / rows.
 *
 * One thread: at batch 128 and 10 classes a call is tens of microseconds, about what starting a second
 * thread costs.
 */
#include "kdh_distill.h"
#include <math.h>
#include <stddef.h>

static double label_at(const KdhDistillBufs *b, int64_t k) {
  return b->yf ? (double)b->yf[k] : (double)b->yi[k];
}

double kdh_distillation(const KdhDistillParams *p, const KdhDistillBufs *b, int64_t rows, int64_t classes, double g,
                        double *scratch) {
  const double T = p->T, w = p->w;
  const int soft = w > 0;
  const int hard = w < 1 && (b->yf != NULL || b->yi != NULL);
  const int kl = p->kl, probs = p->teacherProbs;
  const double scale = g / (double)rows;
  double *eA = scratch, *pr = scratch + classes, *eH = scratch + 2 * classes;
  double total = 0;
  for (int64_t r = 0; r < rows; r++) {
    const int64_t base = r * classes;
    const float *z = b->z + base, *v = b->v + base;
    double zmax = -INFINITY;
    for (int64_t i = 0; i < classes; i++)
      if (z[i] > zmax) zmax = z[i];

    double sA = 1, lseA = 0, sumP = 0, softTerm = 0;
    if (soft) {
      sA = 0;
      for (int64_t i = 0; i < classes; i++) sA += eA[i] = exp((z[i] - zmax) / T);
      lseA = log(sA);
      double vmax = 0, lseB = 0;
      if (probs) {
        for (int64_t i = 0; i < classes; i++) pr[i] = v[i];
      } else {
        vmax = -INFINITY;
        for (int64_t i = 0; i < classes; i++)
          if (v[i] > vmax) vmax = v[i];
        double sB = 0;
        for (int64_t i = 0; i < classes; i++) sB += pr[i] = exp((v[i] - vmax) / T);
        lseB = log(sB);
        for (int64_t i = 0; i < classes; i++) pr[i] /= sB;
      }
      for (int64_t i = 0; i < classes; i++) {
        const double pi = pr[i];
        sumP += pi;
        if (pi == 0) continue; /* 0 log 0 = 0, and 0 · (-log q) must not become NaN when log q = -inf */
        const double logQ = (z[i] - zmax) / T - lseA;
        softTerm += pi * (kl ? (probs ? log(pi) : (v[i] - vmax) / T - lseB) - logQ : -logQ);
      }
      total += w * T * T * softTerm;
      if (b->dv) {
        float *dv = b->dv + base;
        for (int64_t i = 0; i < classes; i++) {
          const double pi = pr[i];
          const double logQ = (z[i] - zmax) / T - lseA;
          double d;
          if (probs) {
            d = T * ((kl ? (pi > 0 ? log(pi) + 1 : 0) : 0) - logQ);
          } else {
            const double c = kl ? (v[i] - vmax) / T - lseB - logQ : -logQ;
            d = pi * (c - softTerm);
          }
          dv[i] = (float)(w * T * d * scale);
        }
      }
    } else if (b->dv) {
      for (int64_t i = 0; i < classes; i++) b->dv[base + i] = 0;
    }

    double sH = 1, sumY = 0;
    if (hard) {
      if (T == 1 && soft) {
        for (int64_t i = 0; i < classes; i++) eH[i] = eA[i];
        sH = sA;
      } else {
        sH = 0;
        for (int64_t i = 0; i < classes; i++) sH += eH[i] = exp(z[i] - zmax);
      }
      const double lseH = log(sH);
      double h = 0;
      for (int64_t i = 0; i < classes; i++) {
        const double yi = label_at(b, base + i);
        sumY += yi;
        if (yi != 0) h -= yi * ((z[i] - zmax) - lseH);
      }
      total += (1 - w) * h;
      if (b->dy)
        for (int64_t i = 0; i < classes; i++) b->dy[base + i] = (float)(-(1 - w) * ((z[i] - zmax) - lseH) * scale);
    } else if (b->dy) {
      for (int64_t i = 0; i < classes; i++) b->dy[base + i] = 0;
    }

    if (b->dz) {
      float *dz = b->dz + base;
      for (int64_t i = 0; i < classes; i++) {
        double d = 0;
        if (soft) d += w * T * (eA[i] / sA * sumP - pr[i]);
        if (hard) d += (1 - w) * (eH[i] / sH * sumY - label_at(b, base + i));
        dz[i] = (float)(d * scale);
      }
    }
  }
  return total / (double)rows;
}
