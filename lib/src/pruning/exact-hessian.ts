/**
 * The exact diagonal of the Hessian, for small networks: the reference the second-order backprop of
 * LeCun, Denker & Solla (1989) is checked against.
 *
 * Deliberately independent of TensorFlow.js: the network and objective are re-implemented in plain
 * JavaScript in float64, and each diagonal entry is the central second difference of the objective,
 *   h_kk ≈ (E(θ + ε e_k) − 2E(θ) + E(θ − ε e_k)) / ε².
 * Its truncation error is O(ε² ∂⁴E) and its rounding error O(1e-16·E/ε²); with ε = 1e-4 in float64
 * both are around 1e-8, far below the differences between the exact Hessian and its
 * Levenberg–Marquardt approximation that we want to see. Unlike the approximation this includes the
 * f'' terms and every cross term, i.e. it is the true curvature along each parameter axis.
 * Cost: two full passes over the data per parameter, so keep it to nets of a few thousand parameters
 * and a few hundred samples.
 */
import { LayerParams, PrunableLayer, PruningData, PruningLoss, checkData, checkLayers, checkLoss, flattenParams, readParams } from "./dense";

export interface ExactHessianOptions {
  /** Finite-difference step (absolute). */
  epsilon?: number;
  /** Refuse networks × data larger than this many multiply-adds per full evaluation × parameters. */
  maxWork?: number;
}

interface Net64 {
  shapes: Array<[number, number]>;
  activations: string[];
  /** Flat parameters, layer 0 W (row-major [in,out]), layer 0 b, layer 1 W, ... */
  theta: Float64Array;
}

function act64(activation: string, z: number): number {
  switch (activation) {
    case "tanh":
      return Math.tanh(z);
    case "sigmoid":
      return 1 / (1 + Math.exp(-z));
    case "relu":
      return z > 0 ? z : 0;
    default:
      return z;
  }
}

/** The mean objective of a float64 network on float64 data: a plain-JS reference forward pass. */
export function objective64(net: Net64, x: Float64Array, t: Float64Array, n: number, loss: PruningLoss): number {
  const inSize = net.shapes[0][0];
  const outSize = net.shapes[net.shapes.length - 1][1];
  let total = 0;
  let a = new Float64Array(0);
  for (let s = 0; s < n; s++) {
    a = x.subarray(s * inSize, (s + 1) * inSize) as Float64Array;
    let off = 0;
    for (let l = 0; l < net.shapes.length; l++) {
      const [ni, no] = net.shapes[l];
      const z = new Float64Array(no);
      const bOff = off + ni * no;
      for (let j = 0; j < no; j++) z[j] = net.theta[bOff + j];
      for (let i = 0; i < ni; i++) {
        const ai = a[i];
        if (ai === 0) continue;
        const row = off + i * no;
        for (let j = 0; j < no; j++) z[j] += ai * net.theta[row + j];
      }
      for (let j = 0; j < no; j++) z[j] = act64(net.activations[l], z[j]);
      a = z;
      off = bOff + no;
    }
    const ts = t.subarray(s * outSize, (s + 1) * outSize);
    if (loss === "squared-error") {
      for (let k = 0; k < outSize; k++) total += 0.5 * (a[k] - ts[k]) ** 2;
    } else {
      let m = -Infinity;
      for (let k = 0; k < outSize; k++) m = Math.max(m, a[k]);
      let se = 0;
      for (let k = 0; k < outSize; k++) se += Math.exp(a[k] - m);
      const lse = m + Math.log(se);
      for (let k = 0; k < outSize; k++) total -= ts[k] * (a[k] - lse);
    }
  }
  return total / n;
}

function toNet64(layers: PrunableLayer[]): Net64 {
  const theta = flattenParams(readParams(layers));
  return { shapes: layers.map((l) => l.W.shape as [number, number]), activations: layers.map((l) => l.activation), theta };
}

/** The exact Hessian diagonal of the mean objective (float64 finite differences), laid out like the layers. */
export function exactHessianDiagonal(layersIn: PrunableLayer[], data: PruningData, lossIn: PruningLoss, options: ExactHessianOptions = {}): LayerParams {
  const layers = checkLayers(layersIn);
  const loss = checkLoss(lossIn);
  const n = checkData(layers, data);
  const eps = options.epsilon ?? 1e-4;
  if (!(eps > 0)) throw new Error(`epsilon must be > 0, got ${eps}.`);
  const net = toNet64(layers);
  const P = net.theta.length;
  const work = P * n * P;
  const maxWork = options.maxWork ?? 5e10;
  if (work > maxWork) {
    throw new Error(
      `exactHessianDiagonal would need about ${work.toExponential(1)} multiply-adds (${P} parameters × ${n} samples × ${P}); ` +
        `the limit is ${maxWork.toExponential(1)}. Use fewer samples (data.x.slice), a smaller net, or raise maxWork.`,
    );
  }
  const x = Float64Array.from(data.x.dataSync());
  const t = Float64Array.from(data.targets.dataSync());
  const e0 = objective64(net, x, t, n, loss);
  const h = new Float64Array(P);
  for (let k = 0; k < P; k++) {
    const keep = net.theta[k];
    net.theta[k] = keep + eps;
    const ep = objective64(net, x, t, n, loss);
    net.theta[k] = keep - eps;
    const em = objective64(net, x, t, n, loss);
    net.theta[k] = keep;
    h[k] = (ep - 2 * e0 + em) / (eps * eps);
  }
  const out: LayerParams = [];
  let k = 0;
  for (const [ni, no] of net.shapes) {
    const W = Float32Array.from(h.subarray(k, k + ni * no));
    k += ni * no;
    const b = Float32Array.from(h.subarray(k, k + no));
    k += no;
    out.push({ W, b });
  }
  return out;
}

/** The float64 objective of the layers' current weights, for tests that want a tfjs-free reference. */
export function referenceObjective(layers: PrunableLayer[], data: PruningData, loss: PruningLoss): number {
  checkLayers(layers);
  const n = checkData(layers, data);
  return objective64(toNet64(layers), Float64Array.from(data.x.dataSync()), Float64Array.from(data.targets.dataSync()), n, checkLoss(loss));
}
