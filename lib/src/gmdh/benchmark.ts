/**
 * Speed check of the batched layer fit (fit.ts): one GMDH layer of all 2016 pairs of 64 inputs on
 * 10,000 rows (target: under 2 s on the default backend). The data are seeded random numbers with a
 * quadratic target, so the timing includes a realistic solve and ranking.
 */
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { fitLayer } from "./network";
import { referenceFunction } from "./polynomial";

export interface GmdhBenchmarkOptions {
  inputs?: number;
  /** Rows the layer sees; a third of them is the validation part. */
  rows?: number;
  repeats?: number;
  seed?: number;
}

/** Milliseconds for one layer fit (the median of `repeats` runs after one warm-up). */
export async function benchmarkGmdhLayer(opts: GmdhBenchmarkOptions = {}): Promise<number> {
  const m = opts.inputs ?? 64;
  const n = opts.rows ?? 10_000;
  const repeats = opts.repeats ?? 3;
  await initBackend();
  const rng = makeRng(opts.seed ?? 0);
  const x = new Float64Array(n * m);
  for (let e = 0; e < x.length; e++) x[e] = rng.normal();
  const y = new Float64Array(n);
  for (let r = 0; r < n; r++) y[r] = x[r * m] * x[r * m + 1] - 0.5 * x[r * m + 2] ** 2 + 0.1 * rng.normal();
  let mean = 0;
  for (const v of y) mean += v / n;
  let sd = 0;
  for (const v of y) sd += (v - mean) ** 2 / n;
  const yz = y.map((v) => (v - mean) / Math.sqrt(sd));
  const nB = Math.round(n / 3);
  const B = Int32Array.from({ length: nB }, (_, r) => r);
  const A = Int32Array.from({ length: n - nB }, (_, r) => nB + r);
  const names = Array.from({ length: m }, (_, c) => `x${c + 1}`);
  const f = referenceFunction("quadratic");
  const times: number[] = [];
  for (let t = 0; t <= repeats; t++) {
    const t0 = performance.now();
    await fitLayer(x, m, yz, A, B, f, "regularity", 1e-6, names);
    if (t > 0) times.push(performance.now() - t0);
  }
  times.sort((p, q) => p - q);
  return times[Math.floor(times.length / 2)];
}
