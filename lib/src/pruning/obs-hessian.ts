/**
 * The inverse Hessian Optimal Brain Surgeon needs (Hassibi & Stork 1993, "Second order derivatives for
 * network pruning: Optimal Brain Surgeon", NIPS 5, section 3; Hassibi, Stork & Wolff 1993, ICNN).
 *
 * Near a minimum of E = (1/P) Σ_p loss(y_p, t_p) the Hessian is approximated by its outer-product
 * (Gauss–Newton) part: with X_{p,r} = ∂y_p/∂w along output direction r,
 *
 *   H ≈ α I + (1/P) Σ_p Σ_r X_{p,r} X_{p,r}ᵀ,
 *
 * where the directions r factor the loss's curvature in output space: for ½‖y − t‖² it is the identity
 * (r = the K outputs, X = ∂y_r/∂w, the paper's case); for softmax cross-entropy it is diag(p) − ppᵀ =
 * Σ_r v_r v_rᵀ with v_r = √p_r (e_r − p). α I (α small, the paper's 1e-8 ≤ α ≤ 1e-4) makes H invertible.
 *
 * Two ways to the same H⁻¹:
 * - `woodburyInverseHessian`: the paper's recursion, starting from H₀⁻¹ = α⁻¹ I and adding one term at a
 *   time, H⁻¹ ← H⁻¹ − H⁻¹X XᵀH⁻¹ / (P + XᵀH⁻¹X): one rank-1 update per pattern and direction, 2n²
 *   multiply-adds each. For the notebook's 2,680 weights and 3,000 digits × 10 outputs that is 4·10¹¹: too
 *   slow in JavaScript, so it serves small nets and the tests.
 * - `outerProductHessian` + `invertSpd`: form H itself and invert it once (Cholesky, n³/2 multiply-adds).
 *   The sum is formed per pair of layers and pair of units: for weights of layers l and m the term is
 *   ā_l[i] ā_m[i'] C[j, j'] with ā the layer's input extended by 1 (the bias) and C = Σ_r δ_l,r δ_m,rᵀ
 *   the backpropagated directions, so the K directions are summed before the n² outer product (K× less
 *   work than summing Jacobian outer products) and zero inputs (blank pixels) are skipped.
 * Everything is plain float64 JavaScript: the recursion and the inverse amplify rounding by the condition
 * number of H (up to ‖H‖/α), which float32 cannot afford.
 *
 * Matrices are dense row-major Float64Arrays, indices in the pruning code's flat order (layer 0 W row-major
 * [in, out], layer 0 b, layer 1 W, ...).
 */
import { PrunableLayer, PruningData, PruningLoss, checkData, checkLayers, checkLoss, flattenParams, readParams } from "./dense";

export interface OuterProductOptions {
  /** The α of H = αI + (1/P) Σ XXᵀ: > 0; Hassibi & Stork used 1e-8 to 1e-4. */
  alpha: number;
  /** Refuse more than this many multiply-adds (default 2e11: minutes, not hours). */
  maxWork?: number;
}

/** A float64 copy of a dense chain: shapes, activations and flat parameters. */
interface Chain64 {
  shapes: Array<[number, number]>;
  activations: string[];
  theta: Float64Array;
  /** Flat offset of each layer's W (its b follows at offset + in·out). */
  offsets: number[];
  n: number;
}

function chain64(layers: PrunableLayer[]): Chain64 {
  const shapes = layers.map((l) => l.W.shape as [number, number]);
  const offsets: number[] = [];
  let n = 0;
  for (const [i, o] of shapes) {
    offsets.push(n);
    n += (i + 1) * o;
  }
  return { shapes, activations: layers.map((l) => l.activation), theta: flattenParams(readParams(layers)), offsets, n };
}

function act(a: string, z: number): number {
  return a === "tanh" ? Math.tanh(z) : a === "sigmoid" ? 1 / (1 + Math.exp(-z)) : a === "relu" ? (z > 0 ? z : 0) : z;
}

/** f'(z) from z and a = f(z). */
function actDerivative(a: string, z: number, y: number): number {
  return a === "tanh" ? 1 - y * y : a === "sigmoid" ? y * (1 - y) : a === "relu" ? (z > 0 ? 1 : 0) : 1;
}

/**
 * One pattern through the chain in float64: the extended inputs ā_l = [a_l, 1] of every layer and, for
 * every curvature direction r, the backpropagated δ_{l,r} = ∂(v_rᵀ y)/∂z_l of every layer
 * ([layer][r] → Float64Array(out_l)). ∂(v_rᵀy)/∂W_l[i, j] = ā_l[i] δ_{l,r}[j].
 */
function patternDirections(net: Chain64, x: ArrayLike<number>, t: ArrayLike<number>, loss: PruningLoss): { inputs: Float64Array[]; deltas: Float64Array[][] } {
  const L = net.shapes.length;
  const inputs: Float64Array[] = [];
  const zs: Float64Array[] = [];
  const ys: Float64Array[] = [];
  let a = Float64Array.from(x);
  for (let l = 0; l < L; l++) {
    const [ni, no] = net.shapes[l];
    const ext = new Float64Array(ni + 1);
    ext.set(a);
    ext[ni] = 1;
    inputs.push(ext);
    const off = net.offsets[l];
    const z = new Float64Array(no);
    for (let i = 0; i <= ni; i++) {
      const ai = ext[i];
      if (ai === 0) continue;
      const row = off + i * no;
      for (let j = 0; j < no; j++) z[j] += ai * net.theta[row + j];
    }
    zs.push(z);
    a = z.map((v) => act(net.activations[l], v));
    ys.push(a);
  }
  const K = net.shapes[L - 1][1];
  // Output-space factors of the loss curvature: S = Σ_r v_r v_rᵀ.
  const v: Float64Array[] = [];
  if (loss === "squared-error") {
    for (let r = 0; r < K; r++) v.push(Float64Array.from({ length: K }, (_, k) => (k === r ? 1 : 0)));
  } else {
    let m = -Infinity;
    for (const yk of a) m = Math.max(m, yk);
    const e = a.map((yk) => Math.exp(yk - m));
    const s = e.reduce((u, w) => u + w, 0);
    const p = e.map((ek) => ek / s);
    let tSum = 0;
    for (let k = 0; k < K; k++) tSum += t[k];
    // The cross-entropy's Hessian in the logits is (Σt)(diag p − ppᵀ); Σt = 1 for one-hot or probability targets.
    for (let r = 0; r < K; r++) v.push(Float64Array.from({ length: K }, (_, k) => Math.sqrt(tSum * p[r]) * ((k === r ? 1 : 0) - p[k])));
  }
  const deltas: Float64Array[][] = Array.from({ length: L }, () => []);
  for (let r = 0; r < K; r++) {
    let d = v[r].map((vk, k) => vk * actDerivative(net.activations[L - 1], zs[L - 1][k], ys[L - 1][k]));
    deltas[L - 1][r] = d;
    for (let l = L - 1; l > 0; l--) {
      const [ni, no] = net.shapes[l];
      const off = net.offsets[l];
      const prev = new Float64Array(ni);
      for (let i = 0; i < ni; i++) {
        let s = 0;
        const row = off + i * no;
        for (let j = 0; j < no; j++) s += net.theta[row + j] * d[j];
        prev[i] = s * actDerivative(net.activations[l - 1], zs[l - 1][i], ys[l - 1][i]);
      }
      d = prev;
      deltas[l - 1][r] = d;
    }
  }
  return { inputs, deltas };
}

interface Prepared {
  net: Chain64;
  P: number;
  K: number;
  x: Float32Array | Float64Array;
  t: Float32Array | Float64Array;
  inSize: number;
}

function prepare(layersIn: PrunableLayer[], data: PruningData, lossIn: PruningLoss, alpha: number): Prepared {
  const layers = checkLayers(layersIn);
  checkLoss(lossIn);
  const P = checkData(layers, data);
  if (!(Number.isFinite(alpha) && alpha > 0)) {
    throw new Error(`alpha must be a finite number > 0 (H = αI + (1/P)ΣXXᵀ must be invertible), got ${alpha}; Hassibi & Stork used 1e-8 to 1e-4.`);
  }
  const net = chain64(layers);
  return { net, P, K: net.shapes[net.shapes.length - 1][1], x: data.x.dataSync() as Float32Array, t: data.targets.dataSync() as Float32Array, inSize: net.shapes[0][0] };
}

function checkWork(work: number, maxWork: number, what: string): void {
  if (work > maxWork) {
    throw new Error(`${what} would need about ${work.toExponential(1)} multiply-adds, above the limit of ${maxWork.toExponential(1)}; use fewer patterns (data.x.slice), a smaller net, or raise maxWork.`);
  }
}

/** The flat (n-long) vector X = ∂(v_rᵀy)/∂w of one pattern and direction. */
function directionVector(net: Chain64, inputs: Float64Array[], deltas: Float64Array[][], r: number): Float64Array {
  const X = new Float64Array(net.n);
  net.shapes.forEach(([ni, no], l) => {
    const off = net.offsets[l];
    const d = deltas[l][r];
    for (let i = 0; i <= ni; i++) {
      const ai = inputs[l][i];
      if (ai === 0) continue;
      for (let j = 0; j < no; j++) X[off + i * no + j] = ai * d[j];
    }
  });
  return X;
}

/**
 * H⁻¹ by the paper's recursion: from α⁻¹I, one rank-1 Sherman–Morrison update per pattern and output
 * direction, H⁻¹ ← H⁻¹ − (H⁻¹X)(H⁻¹X)ᵀ / (P + XᵀH⁻¹X). Returns the n×n inverse (row-major).
 */
export function woodburyInverseHessian(layers: PrunableLayer[], data: PruningData, loss: PruningLoss, options: OuterProductOptions): Float64Array {
  const { net, P, K, x, t, inSize } = prepare(layers, data, loss, options.alpha);
  const n = net.n;
  checkWork(2 * n * n * P * K, options.maxWork ?? 2e11, `the Woodbury recursion (${n} parameters, ${P} patterns × ${K} directions)`);
  const Hinv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) Hinv[i * n + i] = 1 / options.alpha;
  const y = new Float64Array(n);
  for (let p = 0; p < P; p++) {
    const { inputs, deltas } = patternDirections(net, x.subarray(p * inSize, (p + 1) * inSize), t.subarray(p * K, (p + 1) * K), loss);
    for (let r = 0; r < K; r++) {
      const X = directionVector(net, inputs, deltas, r);
      let denom = P;
      for (let i = 0; i < n; i++) {
        let s = 0;
        const row = i * n;
        for (let j = 0; j < n; j++) s += Hinv[row + j] * X[j];
        y[i] = s;
        denom += X[i] * s;
      }
      for (let i = 0; i < n; i++) {
        const f = y[i] / denom;
        if (f === 0) continue;
        const row = i * n;
        for (let j = 0; j < n; j++) Hinv[row + j] -= f * y[j];
      }
    }
  }
  return Hinv;
}

/**
 * H = αI + (1/P) Σ_p Σ_r X_{p,r} X_{p,r}ᵀ itself (n×n, row-major, symmetric), formed block by block (see
 * the header): about n²·P/2 multiply-adds, fewer where inputs are zero.
 */
export function outerProductHessian(layers: PrunableLayer[], data: PruningData, loss: PruningLoss, options: OuterProductOptions): Float64Array {
  const { net, P, K, x, t, inSize } = prepare(layers, data, loss, options.alpha);
  const n = net.n;
  const L = net.shapes.length;
  checkWork((n * n * P) / 2, options.maxWork ?? 2e11, `the outer-product Hessian (${n} parameters, ${P} patterns)`);
  // Per pattern: the non-zero entries of every layer's extended input, and C_lm = Σ_r δ_l,r δ_m,rᵀ.
  const nzIdx: Int32Array[][] = Array.from({ length: L }, () => []);
  const nzVal: Float64Array[][] = Array.from({ length: L }, () => []);
  const C: Float64Array[][][] = Array.from({ length: L }, () => Array.from({ length: L }, () => []));
  for (let p = 0; p < P; p++) {
    const { inputs, deltas } = patternDirections(net, x.subarray(p * inSize, (p + 1) * inSize), t.subarray(p * K, (p + 1) * K), loss);
    for (let l = 0; l < L; l++) {
      const idx: number[] = [];
      inputs[l].forEach((v, i) => v !== 0 && idx.push(i));
      nzIdx[l].push(Int32Array.from(idx));
      nzVal[l].push(Float64Array.from(idx, (i) => inputs[l][i]));
      for (let m = l; m < L; m++) {
        const ol = net.shapes[l][1];
        const om = net.shapes[m][1];
        const c = new Float64Array(ol * om);
        for (let r = 0; r < K; r++) {
          const dl = deltas[l][r];
          const dm = deltas[m][r];
          for (let j = 0; j < ol; j++) {
            const dj = dl[j];
            if (dj === 0) continue;
            for (let jj = 0; jj < om; jj++) c[j * om + jj] += dj * dm[jj];
          }
        }
        C[l][m].push(c);
      }
    }
  }
  const H = new Float64Array(n * n);
  for (let l = 0; l < L; l++) {
    for (let m = l; m < L; m++) {
      const [il, ol] = net.shapes[l];
      const [im, om] = net.shapes[m];
      const wl = il + 1;
      const wm = im + 1;
      const M = new Float64Array(wl * wm);
      for (let j = 0; j < ol; j++) {
        for (let jj = l === m ? j : 0; jj < om; jj++) {
          M.fill(0);
          // M[i, i'] = Σ_p C_p[j, jj] ā_l,p[i] ā_m,p[i']
          for (let p = 0; p < P; p++) {
            const c = C[l][m][p][j * om + jj];
            if (c === 0) continue;
            const li = nzIdx[l][p];
            const lv = nzVal[l][p];
            const mi = nzIdx[m][p];
            const mv = nzVal[m][p];
            for (let a = 0; a < li.length; a++) {
              const s = c * lv[a];
              const row = li[a] * wm;
              for (let b = 0; b < mi.length; b++) M[row + mi[b]] += s * mv[b];
            }
          }
          // Scatter into H at ((l, i, j), (m, i', jj)) and its mirror.
          for (let i = 0; i < wl; i++) {
            const r = net.offsets[l] + i * ol + j;
            for (let ii = 0; ii < wm; ii++) {
              const cIdx = net.offsets[m] + ii * om + jj;
              const v = M[i * wm + ii] / P;
              H[r * n + cIdx] = v;
              H[cIdx * n + r] = v;
            }
          }
        }
      }
    }
  }
  for (let i = 0; i < n; i++) H[i * n + i] += options.alpha;
  return H;
}

/**
 * The inverse of a symmetric positive-definite n×n matrix (row-major) in float64: Cholesky H = LLᵀ, then
 * M = L⁻¹ and H⁻¹ = MᵀM, every inner loop along a row (n³/2 multiply-adds). Throws when H is not positive
 * definite, naming the pivot.
 */
export function invertSpd(H: Float64Array, n: number): Float64Array {
  if (!Number.isInteger(n) || n < 1 || H.length !== n * n) throw new Error(`invertSpd needs an n×n matrix: got ${H.length} entries for n = ${n}.`);
  const Lm = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = H[ri + j];
      for (let k = 0; k < j; k++) s -= Lm[ri + k] * Lm[rj + k];
      if (i === j) {
        if (!(s > 0)) throw new Error(`the matrix is not positive definite (pivot ${i} is ${s}); for an outer-product Hessian raise alpha, or check the weights and data are finite.`);
        Lm[ri + i] = Math.sqrt(s);
      } else {
        Lm[ri + j] = s / Lm[rj + j];
      }
    }
  }
  // M = L⁻¹ row by row: M[i,:] = (e_i − Σ_{k<i} L[i,k] M[k,:]) / L[i,i]; row k of M is zero beyond k.
  const M = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let k = 0; k < i; k++) {
      const lik = Lm[ri + k];
      if (lik === 0) continue;
      const rk = k * n;
      for (let j = 0; j <= k; j++) M[ri + j] -= lik * M[rk + j];
    }
    M[ri + i] = 1;
    const d = 1 / Lm[ri + i];
    for (let j = 0; j <= i; j++) M[ri + j] *= d;
  }
  // H⁻¹ = MᵀM: H⁻¹[i, j] = Σ_k M[k, i] M[k, j] over k ≥ max(i, j); lower triangle, then mirrored.
  const inv = new Float64Array(n * n);
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const a = M[rk + i];
      if (a === 0) continue;
      const ri = i * n;
      for (let j = 0; j <= i; j++) inv[ri + j] += a * M[rk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) inv[j * n + i] = inv[i * n + j];
  return inv;
}

/**
 * H⁻¹ of the outer-product approximation, by forming H and inverting it (the fast path; see the header).
 * Parameters no pattern reaches (weights from inputs that are zero in every pattern: blank border pixels)
 * have a row αe_i in H, so their inverse is e_i/α; only the coupled rest goes through the Cholesky inverse.
 */
export function outerProductInverseHessian(layers: PrunableLayer[], data: PruningData, loss: PruningLoss, options: OuterProductOptions): Float64Array {
  const H = outerProductHessian(layers, data, loss, options);
  const n = Math.round(Math.sqrt(H.length));
  const coupled: number[] = [];
  for (let i = 0; i < n; i++) {
    const row = i * n;
    let any = false;
    for (let j = 0; j < n && !any; j++) any = j !== i && H[row + j] !== 0;
    if (any || H[row + i] !== options.alpha) coupled.push(i);
  }
  const m = coupled.length;
  const sub = new Float64Array(m * m);
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) sub[a * m + b] = H[coupled[a] * n + coupled[b]];
  const subInv = m > 0 ? invertSpd(sub, m) : sub;
  const inv = new Float64Array(n * n);
  for (let i = 0; i < n; i++) inv[i * n + i] = 1 / options.alpha;
  for (let a = 0; a < m; a++) for (let b = 0; b < m; b++) inv[coupled[a] * n + coupled[b]] = subInv[a * m + b];
  return inv;
}
