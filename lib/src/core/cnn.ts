/**
 * A small convolutional network, the kind of teacher that is clearly stronger than any MLP student on
 * images (an MLP teacher on Fashion-MNIST is not: an independent PyTorch check found a 1200-1200 dropout MLP teacher no better than an 800-800 student). LeNet-style:
 * conv 5x5 → ReLU → 2x2 max-pool, twice, then a dense ReLU layer and a linear output.
 *
 * Shapes: inputs [batch, rows*cols] (flat, like the MLPs, so the same data and trainer serve both),
 * reshaped to NHWC [batch, rows, cols, 1]; filters [5, 5, in, out]; outputs logits [batch, classes].
 * Needs a backend with Conv2DBackpropFilter to train: blas, tensorflow or cpu (wasm lacks it).
 */
import * as tf from "@tensorflow/tfjs";
import { fusedConv2d, fusedDense } from "./fused-layers";
import { deriveSeed, makeRng } from "@kdh/datasets";
import { ForwardOptions, Network, predictInBatches, registerNetworkKind, SerializedNetwork, variableFrom } from "./models";

export interface CnnSpec {
  rows: number;
  cols: number;
  classes: number;
  /** Channels of the two conv layers, e.g. [32, 64]. */
  channels: [number, number];
  /** Width of the dense layer. */
  dense: number;
  /** Dropout rate before the output layer while training. */
  dropout?: number;
  seed: number;
}

function heNormal(shape: number[], fanIn: number, seed: number): tf.Tensor {
  const rng = makeRng(seed);
  const n = shape.reduce((a, b) => a * b, 1);
  const a = new Float32Array(n);
  const s = Math.sqrt(2 / fanIn);
  for (let i = 0; i < n; i++) a[i] = rng.normal() * s;
  return tf.tensor(a, shape);
}

export function checkCnnSpec(spec: CnnSpec): Required<CnnSpec> {
  const posInt = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what}=${v} must be a positive whole number`);
  };
  posInt(spec.rows, "rows");
  posInt(spec.cols, "cols");
  if (spec.rows % 4 !== 0 || spec.cols % 4 !== 0) throw new Error(`the CNN pools twice by 2, so rows and cols must be multiples of 4; got ${spec.rows}x${spec.cols}`);
  posInt(spec.classes, "classes");
  if (!Array.isArray(spec.channels) || spec.channels.length !== 2) throw new Error(`channels=${JSON.stringify(spec.channels)} must list two conv widths, e.g. [32, 64]`);
  spec.channels.forEach((c, i) => posInt(c, `channels[${i}]`));
  posInt(spec.dense, "dense");
  const dropout = spec.dropout ?? 0;
  if (!(dropout >= 0 && dropout < 1)) throw new Error(`dropout=${dropout} must be a dropout rate in [0, 1)`);
  if (!Number.isInteger(spec.seed) || spec.seed < 0) throw new Error(`seed=${spec.seed} must be a non-negative whole number`);
  return { ...spec, channels: [spec.channels[0], spec.channels[1]], dropout };
}

export class Cnn implements Network {
  readonly kind = "cnn";
  readonly spec: Required<CnnSpec>;
  readonly variables: tf.Variable[];

  constructor(spec: CnnSpec, weights?: Float32Array[]) {
    this.spec = checkCnnSpec(spec);
    const [c1, c2] = this.spec.channels;
    const flat = (this.spec.rows / 4) * (this.spec.cols / 4) * c2;
    const shapes: [number[], number][] = [
      [[5, 5, 1, c1], 25],
      [[c1], 0],
      [[5, 5, c1, c2], 25 * c1],
      [[c2], 0],
      [[flat, this.spec.dense], flat],
      [[this.spec.dense], 0],
      [[this.spec.dense, this.spec.classes], this.spec.dense],
      [[this.spec.classes], 0],
    ];
    if (weights && weights.length !== shapes.length) throw new Error(`a CNN needs ${shapes.length} weight arrays, got ${weights.length}`);
    this.variables = shapes.map(([shape, fanIn], i) =>
      variableFrom(weights ? tf.tensor(weights[i], shape) : fanIn ? heNormal(shape, fanIn, deriveSeed(this.spec.seed, `cnn${i}`)) : tf.zeros(shape)),
    );
  }

  forward(x: tf.Tensor, opts: ForwardOptions = {}): tf.Tensor2D {
    const { rows, cols } = this.spec;
    if (x.rank !== 2 || x.shape[1] !== rows * cols) throw new Error(`the CNN expects inputs of shape [batch, ${rows * cols}] (${rows}x${cols} images), got [${x.shape.join(", ")}]`);
    const [k1, b1, k2, b2, w3, b3, w4, b4] = this.variables;
    return tf.tidy(() => {
      const img = tf.reshape(x, [x.shape[0], rows, cols, 1]) as tf.Tensor4D;
      const h1 = tf.maxPool(fusedConv2d({ x: img, filter: k1 as tf.Tensor4D, strides: 1, pad: "same", bias: b1, activation: "relu" }), 2, 2, "valid");
      const h2 = tf.maxPool(fusedConv2d({ x: h1, filter: k2 as tf.Tensor4D, strides: 1, pad: "same", bias: b2, activation: "relu" }), 2, 2, "valid");
      let h3 = fusedDense({ a: tf.reshape(h2, [x.shape[0], -1]) as tf.Tensor2D, b: w3 as tf.Tensor2D, bias: b3, activation: "relu" }) as tf.Tensor2D;
      if (opts.training && this.spec.dropout > 0) h3 = tf.dropout(h3, this.spec.dropout, undefined, deriveSeed(opts.dropoutSeed ?? 0, "dense")) as tf.Tensor2D;
      return fusedDense({ a: h3, b: w4 as tf.Tensor2D, bias: b4 }) as tf.Tensor2D;
    });
  }

  predict(x: tf.Tensor, batchSize = 500): tf.Tensor2D {
    return predictInBatches(this, x, batchSize);
  }

  applyConstraints(): void {
    /* none */
  }

  countParams(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  countNonZero(): number {
    let nz = 0;
    for (const v of this.variables) for (const w of v.dataSync()) if (w !== 0) nz++;
    return nz;
  }

  describe(): string {
    const s = this.spec;
    return `CNN conv5x5x${s.channels[0]}-pool-conv5x5x${s.channels[1]}-pool-${s.dense}-${s.classes}${s.dropout ? ` (dropout ${s.dropout})` : ""}; ${this.countParams().toLocaleString("en-US")} parameters`;
  }

  serialize(): SerializedNetwork {
    return { kind: this.kind, spec: this.spec, shapes: this.variables.map((v) => v.shape.slice()), weights: this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array)) };
  }

  clone(): Cnn {
    return new Cnn(this.spec, this.serialize().weights);
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}

export function buildCnn(spec: CnnSpec): Cnn {
  return new Cnn(spec);
}

registerNetworkKind("cnn", (s) => new Cnn(s.spec as CnnSpec, s.weights));
