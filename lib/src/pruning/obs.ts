/**
 * Optimal Brain Surgeon (Hassibi & Stork 1993, "Second order derivatives for network pruning: Optimal
 * Brain Surgeon", NIPS 5; Hassibi, Stork & Wolff 1993, "Optimal Brain Surgeon and general network
 * pruning", ICNN): OBD's successor, which keeps the whole Hessian instead of its diagonal.
 *
 * At a minimum w (gradient 0, E quadratic nearby), deleting weight q is the constrained problem
 * min ½ δwᵀHδw subject to e_qᵀδw + w_q = 0. Its Lagrangian gives
 *
 *   δw  = −(w_q / [H⁻¹]_qq) H⁻¹ e_q          (every other weight is corrected, and w_q + δw_q = 0)
 *   L_q = w_q² / (2 [H⁻¹]_qq)                (the saliency: the increase of E that deletion costs)
 *
 * OBS deletes the q of least L_q, applies δw, and repeats. The next deletion is the same problem on the
 * remaining weights, whose inverse Hessian is H⁻¹ restricted (Schur complement of the deleted index):
 *
 *   H⁻¹ ← H⁻¹ − H⁻¹ e_q e_qᵀ H⁻¹ / [H⁻¹]_qq,   then drop row and column q,
 *
 * so one inverse (obs-hessian.ts) serves the whole pruning run at m² multiply-adds per deletion while m
 * weights remain. OBD is the special case of a diagonal H with no correction (L_q = ½ h_qq w_q²).
 *
 * `ObsPruner` runs that procedure on flat float64 weights; `obsDeletionCurve` runs it on a network and
 * measures the objective at given deletion counts, like `deletionCurve` does for OBD (no retraining).
 */
import { PrunableLayer, PruningData, PruningLoss, checkLayers, checkLoss, countParams, flattenParams, objectiveOn, readParams, writeParams } from "./dense";
import { outerProductInverseHessian, woodburyInverseHessian } from "./obs-hessian";

/** One deletion: which flat parameter, and the saliency L_q it had when it was deleted. */
export interface ObsDeletion {
  index: number;
  saliency: number;
}

export interface ObsPrunerOptions {
  /** Which flat parameters may be deleted (all by default); the others stay and are still corrected. */
  deletable?: ArrayLike<boolean>;
}

/**
 * The OBS procedure on a weight vector w (flat, length n) and the inverse Hessian H⁻¹ (n×n row-major,
 * symmetric positive definite) at w. Keeps H⁻¹ restricted to the remaining weights, compacted: m² work
 * per deletion while m remain.
 */
export class ObsPruner {
  private readonly n: number;
  private m: number;
  /** Lower triangle of the restricted H⁻¹ over positions 0..m−1 (stride n). */
  private readonly h: Float64Array;
  /** Position → flat parameter index. */
  private readonly at: Int32Array;
  private readonly w: Float64Array;
  private readonly deletable: Uint8Array;
  readonly deleted: ObsDeletion[] = [];

  constructor(weights: ArrayLike<number>, inverseHessian: Float64Array, options: ObsPrunerOptions = {}) {
    const n = weights.length;
    if (n < 1) throw new Error("ObsPruner needs at least one weight.");
    if (inverseHessian.length !== n * n) {
      throw new Error(`the inverse Hessian has ${inverseHessian.length} entries but ${n} weights need ${n}×${n} = ${n * n}; compute it from the same network.`);
    }
    for (let k = 0; k < n; k++) {
      if (!Number.isFinite(weights[k])) throw new Error(`weight #${k} is ${weights[k]}; OBS needs finite weights (check the training loss).`);
      if (!(inverseHessian[k * n + k] > 0)) throw new Error(`[H⁻¹]_${k}${k} = ${inverseHessian[k * n + k]}, but an inverse Hessian must have a positive diagonal; raise alpha or check the Hessian.`);
    }
    if (options.deletable && options.deletable.length !== n) throw new Error(`deletable has ${options.deletable.length} entries for ${n} weights.`);
    this.n = n;
    this.m = n;
    this.h = Float64Array.from(inverseHessian);
    this.at = Int32Array.from({ length: n }, (_, i) => i);
    this.w = Float64Array.from(weights);
    this.deletable = Uint8Array.from({ length: n }, (_, k) => (options.deletable ? (options.deletable[k] ? 1 : 0) : 1));
  }

  /** Number of weights not yet deleted. */
  remaining(): number {
    return this.m;
  }

  /** Number still deletable (remaining and allowed). */
  deletableRemaining(): number {
    let c = 0;
    for (let i = 0; i < this.m; i++) c += this.deletable[this.at[i]];
    return c;
  }

  /** The current weights in flat order; deleted ones are exactly 0. */
  weights(): Float64Array {
    return this.w.slice();
  }

  /** L_q = w_q² / (2[H⁻¹]_qq) of every remaining weight (flat order; NaN for deleted ones). */
  saliencies(): Float64Array {
    const out = new Float64Array(this.n).fill(NaN);
    for (let i = 0; i < this.m; i++) out[this.at[i]] = this.saliencyAt(i);
    return out;
  }

  /** The restricted inverse Hessian: the remaining flat indices (sorted) and the full m×m matrix over them. */
  inverseOfRemaining(): { indices: number[]; matrix: Float64Array } {
    const order = Array.from({ length: this.m }, (_, i) => i).sort((a, b) => this.at[a] - this.at[b]);
    const m = this.m;
    const matrix = new Float64Array(m * m);
    for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) matrix[a * m + b] = this.entry(order[a], order[b]);
    return { indices: order.map((i) => this.at[i]), matrix };
  }

  /**
   * Delete the `count` remaining deletable weights of least saliency, one surgery at a time (each with the
   * inverse restricted by the previous ones); saliencies are chosen once per call, so count = 1 is the
   * paper's procedure and count > 1 trades exactness of the order for fewer saliency passes.
   */
  deleteNext(count = 1): ObsDeletion[] {
    if (!Number.isInteger(count) || count < 1) throw new Error(`count must be a whole number ≥ 1, got ${count}.`);
    const available = this.deletableRemaining();
    if (count > available) throw new Error(`cannot delete ${count} weights: only ${available} remain deletable; ask for at most ${available}.`);
    const cands: Array<[number, number]> = [];
    for (let i = 0; i < this.m; i++) if (this.deletable[this.at[i]]) cands.push([this.saliencyAt(i), this.at[i]]);
    cands.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    const out: ObsDeletion[] = [];
    for (const [, flat] of cands.slice(0, count)) {
      let pos = -1;
      for (let i = 0; i < this.m; i++) if (this.at[i] === flat) pos = i;
      out.push(this.surgery(pos));
    }
    return out;
  }

  private entry(i: number, j: number): number {
    return i >= j ? this.h[i * this.n + j] : this.h[j * this.n + i];
  }

  private saliencyAt(i: number): number {
    const wq = this.w[this.at[i]];
    return (wq * wq) / (2 * this.h[i * this.n + i]);
  }

  private surgery(pos: number): ObsDeletion {
    const { n, h, w, at } = this;
    const m = this.m;
    const c = h[pos * n + pos];
    if (!(c > 0)) throw new Error(`[H⁻¹]_qq of weight #${at[pos]} became ${c} after ${this.deleted.length} deletions (rounding); raise alpha.`);
    const q = at[pos];
    const wq = w[q];
    const saliency = (wq * wq) / (2 * c);
    const col = new Float64Array(m);
    for (let i = 0; i < m; i++) col[i] = this.entry(i, pos);
    const step = wq / c;
    for (let i = 0; i < m; i++) w[at[i]] -= step * col[i];
    w[q] = 0; // exactly: w_q − (w_q/c)·c need not round to 0
    for (let i = 0; i < m; i++) {
      const f = col[i] / c;
      if (f === 0 || i === pos) continue;
      const row = i * n;
      for (let j = 0; j <= i; j++) h[row + j] -= f * col[j];
    }
    // Move the last position into the freed one (lower triangle kept), then shrink.
    const last = m - 1;
    if (pos !== last) {
      for (let j = 0; j < pos; j++) h[pos * n + j] = h[last * n + j];
      for (let i = pos + 1; i < last; i++) h[i * n + pos] = h[last * n + i];
      h[pos * n + pos] = h[last * n + last];
      at[pos] = at[last];
    }
    this.m = last;
    const d = { index: q, saliency };
    this.deleted.push(d);
    return d;
  }
}

export interface ObsCurveOptions {
  /** α of H = αI + (1/P)ΣXXᵀ (see obs-hessian.ts). */
  alpha: number;
  /** Patterns the Hessian is summed over (default: the curve's data). */
  hessianData?: PruningData;
  /** "direct" (form H and invert it, fast) or "woodbury" (the paper's recursion, small nets). */
  inverse?: "direct" | "woodbury";
  /** May biases be deleted? Default true (every free parameter, as in notebook 10). */
  includeBiases?: boolean;
  /** Deletions per saliency pass (default 1: the paper's procedure). */
  deletionsPerStep?: number;
  batchSize?: number;
  /** Measurements on the pruned network at each count (e.g. test error). */
  evaluate?: (deleted: number) => Record<string, number>;
}

export interface ObsCurvePoint {
  deleted: number;
  remaining: number;
  /** Objective on the curve's data with OBS's corrected weights. */
  objective: number;
  /** Objective before deletion + the saliencies L_q of the deletions so far (OBS's prediction). */
  predicted: number;
  metrics?: Record<string, number>;
}

export interface ObsCurve {
  points: ObsCurvePoint[];
  /** Wall seconds spent on H⁻¹ and on the deletions (for the notebook's cost table). */
  inverseSeconds: number;
  deletionSeconds: number;
  /**
   * CPU seconds (user + system) of the process over the whole curve. The OBS work is single-threaded
   * JavaScript, so on an idle core this is its wall time; on a shared machine wall time is longer.
   */
  cpuSeconds: number;
}

/**
 * OBS from the network's current (trained) weights down to each count in `counts`, with no retraining:
 * one inverse Hessian, then one deletion and weight correction at a time. The network's weights are
 * restored at the end.
 */
export function obsDeletionCurve(layersIn: PrunableLayer[], data: PruningData, lossIn: PruningLoss, counts: number[], options: ObsCurveOptions): ObsCurve {
  const layers = checkLayers(layersIn);
  const loss = checkLoss(lossIn);
  const total = countParams(layers);
  const sorted = [...counts].sort((a, b) => a - b);
  for (const c of sorted) {
    if (!Number.isInteger(c) || c < 0 || c > total) throw new Error(`deletion count ${c} is not a whole number in 0..${total} (the network's parameters).`);
  }
  const per = options.deletionsPerStep ?? 1;
  if (!Number.isInteger(per) || per < 1) throw new Error(`deletionsPerStep must be a whole number ≥ 1, got ${per}.`);
  const batchSize = options.batchSize ?? 1024;
  const saved = readParams(layers);
  const shapes = layers.map((l) => l.W.shape as [number, number]);
  const deletable: boolean[] = [];
  for (const [i, o] of shapes) {
    for (let k = 0; k < i * o; k++) deletable.push(true);
    for (let k = 0; k < o; k++) deletable.push(options.includeBiases ?? true);
  }
  const maxDeletable = deletable.filter(Boolean).length;
  if (sorted.length && sorted[sorted.length - 1] > maxDeletable) throw new Error(`cannot delete ${sorted[sorted.length - 1]} parameters: only ${maxDeletable} are deletable (biases excluded).`);
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const hData = options.hessianData ?? data;
  const hOpts = { alpha: options.alpha };
  const Hinv = (options.inverse ?? "direct") === "woodbury" ? woodburyInverseHessian(layers, hData, loss, hOpts) : outerProductInverseHessian(layers, hData, loss, hOpts);
  const inverseSeconds = (performance.now() - t0) / 1000;
  const pruner = new ObsPruner(flattenParams(readParams(layers)), Hinv, { deletable });
  let deletionMs = 0;
  const points: ObsCurvePoint[] = [];
  try {
    const base = objectiveOn(layers, data, loss, batchSize);
    let predicted = base;
    let done = 0;
    for (const c of sorted) {
      const t1 = performance.now();
      while (done < c) {
        const step = Math.min(per, c - done);
        for (const d of pruner.deleteNext(step)) predicted += d.saliency;
        done += step;
      }
      deletionMs += performance.now() - t1;
      writeParams(layers, unflatten(pruner.weights(), shapes));
      const point: ObsCurvePoint = { deleted: c, remaining: total - c, objective: objectiveOn(layers, data, loss, batchSize), predicted };
      if (options.evaluate) point.metrics = options.evaluate(c);
      points.push(point);
    }
  } finally {
    writeParams(layers, saved);
  }
  const cpu = process.cpuUsage(cpu0);
  return { points, inverseSeconds, deletionSeconds: deletionMs / 1000, cpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

function unflatten(flat: Float64Array, shapes: Array<[number, number]>): Array<{ W: Float32Array; b: Float32Array }> {
  let k = 0;
  return shapes.map(([i, o]) => {
    const W = Float32Array.from(flat.subarray(k, k + i * o));
    k += i * o;
    const b = Float32Array.from(flat.subarray(k, k + o));
    k += o;
    return { W, b };
  });
}
