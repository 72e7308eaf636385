/**
 * A seeded nonlinear system-identification task with known ground truth, the kind of problem GMDH was
 * invented for (Ivakhnenko 1971 modelled plants and processes from short noisy records).
 *
 * NARX system driven by a random input u_t ~ U(−1, 1):
 *     y_t = 0.5 y_{t−1} − 0.3 y_{t−2} + 0.6 u_{t−1} + 0.4 u_{t−1} u_{t−2} − 0.2 y_{t−1}² + 0.25 y_{t−2} u_{t−2} + e_t
 * with e_t ~ N(0, noise²). The truth involves four lagged variables with three interactions, so one
 * two-input unit cannot express it: GMDH has to compose units over several layers.
 * The regressors offered are y_{t−1..lags} and u_{t−1..lags}; only lag 1 and 2 matter.
 */
import { makeRng } from "@kdh/datasets";

export const NARX_TRUTH = "y(t) = 0.5·y(t−1) − 0.3·y(t−2) + 0.6·u(t−1) + 0.4·u(t−1)·u(t−2) − 0.2·y(t−1)² + 0.25·y(t−2)·u(t−2) + e(t)";

/** The noise-free right-hand side of the system. */
export function narxStep(y1: number, y2: number, u1: number, u2: number): number {
  return 0.5 * y1 - 0.3 * y2 + 0.6 * u1 + 0.4 * u1 * u2 - 0.2 * y1 * y1 + 0.25 * y2 * u2;
}

export interface NarxDataset {
  /** Row-major regressors [n, 2·lags]: y(t−1..lags) then u(t−1..lags). */
  x: Float64Array;
  rows: number;
  cols: number;
  /** Observed y(t) (with noise). */
  y: Float64Array;
  /** Noise-free one-step value narxStep(...) for each row: the best any model can predict. */
  clean: Float64Array;
  inputNames: string[];
}

export function narxSystem(opts: { n: number; noise: number; seed: number; lags?: number; burnIn?: number }): NarxDataset {
  const lags = opts.lags ?? 3;
  const burn = opts.burnIn ?? 50;
  if (!Number.isInteger(opts.n) || opts.n < 1) throw new Error(`n=${opts.n} must be a positive whole number of rows.`);
  if (!Number.isInteger(lags) || lags < 2) throw new Error(`lags=${lags} must be a whole number >= 2 (the system uses two lags).`);
  if (!(opts.noise >= 0)) throw new Error(`noise=${opts.noise} must be a standard deviation >= 0.`);
  const rng = makeRng(opts.seed);
  const T = opts.n + burn + lags;
  const u = new Float64Array(T);
  const ys = new Float64Array(T);
  const clean = new Float64Array(T);
  for (let t = 0; t < T; t++) u[t] = 2 * rng.next() - 1;
  for (let t = 2; t < T; t++) {
    clean[t] = narxStep(ys[t - 1], ys[t - 2], u[t - 1], u[t - 2]);
    ys[t] = clean[t] + opts.noise * rng.normal();
  }
  const cols = 2 * lags;
  const x = new Float64Array(opts.n * cols);
  const y = new Float64Array(opts.n);
  const c = new Float64Array(opts.n);
  for (let r = 0; r < opts.n; r++) {
    const t = burn + lags + r;
    for (let l = 1; l <= lags; l++) {
      x[r * cols + l - 1] = ys[t - l];
      x[r * cols + lags + l - 1] = u[t - l];
    }
    y[r] = ys[t];
    c[r] = clean[t];
  }
  const inputNames = [...Array.from({ length: lags }, (_, l) => `y(t−${l + 1})`), ...Array.from({ length: lags }, (_, l) => `u(t−${l + 1})`)];
  return { x, rows: opts.n, cols, y, clean: c, inputNames };
}
