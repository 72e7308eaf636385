/**
 * OBD saliency (LeCun, Denker & Solla, 1989, eq. 6 → "saliency"):
 *
 *   δE = Σ_k g_k δθ_k + ½ Σ_k h_kk δθ_k² + ½ Σ_{k≠l} h_kl δθ_k δθ_l + O(‖δθ‖³)
 *
 * At a (local) minimum of the training objective g = 0, so the first sum vanishes; OBD then assumes
 * the Hessian is diagonal (drops the cross terms, the "diagonal approximation") and that E is
 * quadratic near the minimum (drops the O(‖δθ‖³) term, the "extremal"/"quadratic" approximations).
 * Deleting parameter k means δθ_k = −θ_k, so the predicted increase of the objective is
 *
 *   s_k = ½ h_kk θ_k².
 *
 * Also here: the rank correlation used to compare predicted with actual increases.
 */
import { LayerParams, PrunableLayer, PruningData, PruningLoss, readParams } from "./dense";
import { HessianOptions, hessianDiagonal } from "./hessian-diagonal";

/** s = ½ h θ² elementwise, given the parameters and a Hessian diagonal of the same layout. */
export function saliencyFromHessian(params: LayerParams, hessian: LayerParams): LayerParams {
  if (params.length !== hessian.length) {
    throw new Error(`parameters have ${params.length} layers but the Hessian diagonal has ${hessian.length}; compute both from the same network.`);
  }
  return params.map((p, l) => {
    if (p.W.length !== hessian[l].W.length || p.b.length !== hessian[l].b.length) {
      throw new Error(`layer ${l}: parameters (${p.W.length} W, ${p.b.length} b) and Hessian diagonal (${hessian[l].W.length} W, ${hessian[l].b.length} b) differ in size.`);
    }
    return {
      W: p.W.map((w, i) => 0.5 * hessian[l].W[i] * w * w),
      b: p.b.map((b, i) => 0.5 * hessian[l].b[i] * b * b),
    };
  });
}

/**
 * OBD saliencies of every parameter of `layers` on `data`: one second-order backprop pass for the
 * Hessian diagonal, then ½hθ². Low saliency = cheap to delete.
 */
export function obdSaliency(layers: PrunableLayer[], data: PruningData, loss: PruningLoss, options: HessianOptions = {}): LayerParams {
  return saliencyFromHessian(readParams(layers), hessianDiagonal(layers, data, loss, options));
}

/** Average ranks (1-based; ties share their mean rank). */
export function ranks(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => values[a] - values[b]);
  const r = new Float64Array(n);
  for (let i = 0; i < n; ) {
    let j = i;
    while (j + 1 < n && values[order[j + 1]] === values[order[i]]) j++;
    for (let k = i; k <= j; k++) r[order[k]] = (i + j) / 2 + 1;
    i = j + 1;
  }
  return r;
}

/** Spearman rank correlation: Pearson correlation of the ranks. */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length || a.length < 2) throw new Error(`spearman needs two sequences of equal length ≥ 2, got ${a.length} and ${b.length}.`);
  const ra = ranks(a);
  const rb = ranks(b);
  const n = a.length;
  const mean = (n + 1) / 2;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (ra[i] - mean) * (rb[i] - mean);
    saa += (ra[i] - mean) ** 2;
    sbb += (rb[i] - mean) ** 2;
  }
  return saa === 0 || sbb === 0 ? NaN : sab / Math.sqrt(saa * sbb);
}
