/**
 * Cost of one second-order-backprop Hessian-diagonal pass against one gradient pass on the same data
 * and batches. LeCun, Denker & Solla (1989) stress that the diagonal "can be computed with a cost
 * similar to that of computing the gradient"; this measures it on our backend (target: ≤ 3×).
 */
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { PrunableLayer, PruningData, PruningLoss, disposeLayers, randomDenseLayers } from "./dense";
import { gradientPass, hessianDiagonal } from "./hessian-diagonal";

export interface HessianBenchmarkOptions {
  /** Layer widths of the synthetic net when `layers` is not given (default the notebook's 256-10-10). */
  sizes?: number[];
  activation?: "tanh" | "sigmoid" | "relu" | "linear";
  samples?: number;
  batchSize?: number;
  loss?: PruningLoss;
  /** Timed repetitions of each pass; the median is reported. */
  repeats?: number;
  seed?: number;
  /** Benchmark these layers and this data instead of a synthetic net. */
  layers?: PrunableLayer[];
  data?: PruningData;
}

export interface HessianBenchmark {
  hessianMs: number;
  gradientMs: number;
  /** hessianMs / gradientMs. */
  ratio: number;
  samples: number;
  batchSize: number;
  params: number;
  backend: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Time both passes (after one untimed warm-up of each) and return the medians in milliseconds. */
export function benchmarkHessianPass(options: HessianBenchmarkOptions = {}): HessianBenchmark {
  const sizes = options.sizes ?? [256, 10, 10];
  const samples = options.samples ?? 2000;
  const batchSize = options.batchSize ?? 500;
  const loss = options.loss ?? "cross-entropy";
  const repeats = options.repeats ?? 5;
  const seed = options.seed ?? 0;
  const ownLayers = !options.layers;
  const layers = options.layers ?? randomDenseLayers(sizes, [...sizes.slice(2).map(() => options.activation ?? "tanh"), "linear"], seed);
  let data = options.data;
  const ownData = !data;
  if (!data) {
    const rng = makeRng(seed + 1);
    const inSize = sizes[0];
    const out = sizes[sizes.length - 1];
    const t = new Float32Array(samples * out);
    for (let s = 0; s < samples; s++) t[s * out + rng.int(out)] = 1;
    data = { x: tf.tensor2d(new Float32Array(samples * inSize).map(() => rng.next()), [samples, inSize]), targets: tf.tensor2d(t, [samples, out]) };
  }
  try {
    const time = (fn: () => void): number[] => {
      fn();
      const ms: number[] = [];
      for (let r = 0; r < repeats; r++) {
        const t0 = performance.now();
        fn();
        ms.push(performance.now() - t0);
      }
      return ms;
    };
    // Both passes end in dataSync, so the timings include the work actually finishing.
    const h = time(() => void hessianDiagonal(layers, data!, loss, { batchSize }));
    const g = time(() => void gradientPass(layers, data!, loss, { batchSize }));
    const hessianMs = median(h);
    const gradientMs = median(g);
    return {
      hessianMs,
      gradientMs,
      ratio: hessianMs / gradientMs,
      samples: data.x.shape[0],
      batchSize,
      params: layers.reduce((s, l) => s + l.W.size + l.b.size, 0),
      backend: tf.getBackend(),
    };
  } finally {
    if (ownLayers) disposeLayers(layers);
    if (ownData) tf.dispose([data.x, data.targets]);
  }
}
