/**
 * Multilayer perceptrons as plain lists of weight variables, not tf.layers models: the trainer, the
 * distillation losses and Optimal Brain Damage all need direct access to each layer's W and b, seeded
 * dropout (tf.layers' dropout cannot be seeded, so runs would not repeat), the max-norm constraint of
 * Hinton et al.'s teachers (Srivastava et al., 2014), and a save format that needs no tfjs-node.
 *
 * Shapes: inputs [batch, inputSize]; W of layer l [in_l, out_l]; b [out_l]; outputs are logits
 * [batch, classes] (no softmax: the losses apply it at their own temperature).
 */
import * as tf from "@tensorflow/tfjs";
import { fusedDense } from "./fused-layers";
import { seededDropout } from "./dropout";
import { applyMaxNorm } from "./max-norm";
import { deriveSeed, makeRng } from "@kdh/datasets";

export type Activation = "relu" | "tanh" | "sigmoid" | "linear";
export const ACTIVATIONS: readonly Activation[] = ["relu", "tanh", "sigmoid", "linear"];

export interface DenseLayer {
  /** [in, out] */
  W: tf.Variable;
  /** [out] */
  b: tf.Variable;
  activation: Activation;
}

export interface MlpSpec {
  inputSize: number;
  /** Widths of the hidden layers, e.g. [1200, 1200]; [] gives a linear (softmax-regression) model. */
  hidden: number[];
  classes: number;
  /** Activation of the hidden layers (the output layer is linear). Default relu. */
  activation?: Activation;
  /** Dropout rate on hidden units while training, in [0, 1). Default 0. */
  dropout?: number;
  /** Dropout rate on the inputs while training, in [0, 1). Default 0. */
  inputDropout?: number;
  /** Upper bound on the L2 norm of each unit's incoming weights; 0 = none. */
  maxNorm?: number;
  /** Seed of the initial weights. */
  seed: number;
}

export interface ForwardOptions {
  /** Apply dropout (training) or not (evaluation). Default false. */
  training?: boolean;
  /** Seed of this step's dropout masks; the trainer derives one per step so runs repeat. */
  dropoutSeed?: number;
}

/** What the trainer and evaluators need from a model. */
export interface Network {
  readonly kind: string;
  readonly variables: tf.Variable[];
  /** Logits [batch, classes]; call inside tf.tidy or dispose the result. */
  forward(x: tf.Tensor, opts?: ForwardOptions): tf.Tensor2D;
  /** Logits without dropout, computed in batches; the caller owns the result. */
  predict(x: tf.Tensor, batchSize?: number): tf.Tensor2D;
  /** Project weights back onto their constraint set after an optimizer step (e.g. max-norm). */
  applyConstraints(): void;
  countParams(): number;
  countNonZero(): number;
  describe(): string;
  /** Everything needed to rebuild the network: a JSON-able spec and the weights in `variables` order. */
  serialize(): SerializedNetwork;
  clone(): Network;
  dispose(): void;
}

export interface SerializedNetwork {
  kind: string;
  spec: unknown;
  shapes: number[][];
  weights: Float32Array[];
}

function checkRate(rate: number, what: string): number {
  if (!Number.isFinite(rate) || rate < 0 || rate >= 1) throw new Error(`${what}=${rate} must be a dropout rate in [0, 1)`);
  return rate;
}

export function checkMlpSpec(spec: MlpSpec): Required<MlpSpec> {
  const posInt = (v: number, what: string) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${what}=${v} must be a positive whole number`);
  };
  posInt(spec.inputSize, "inputSize");
  posInt(spec.classes, "classes");
  if (!Array.isArray(spec.hidden)) throw new Error(`hidden=${JSON.stringify(spec.hidden)} must be an array of layer widths such as [800, 800]`);
  spec.hidden.forEach((h, i) => posInt(h, `hidden[${i}]`));
  const activation = spec.activation ?? "relu";
  if (!ACTIVATIONS.includes(activation)) throw new Error(`activation=${JSON.stringify(activation)} is not one of ${ACTIVATIONS.join(", ")}`);
  const maxNorm = spec.maxNorm ?? 0;
  if (!Number.isFinite(maxNorm) || maxNorm < 0) throw new Error(`maxNorm=${maxNorm} must be a finite number ≥ 0 (0 turns it off)`);
  if (!Number.isInteger(spec.seed) || spec.seed < 0) throw new Error(`seed=${spec.seed} must be a non-negative whole number`);
  return {
    inputSize: spec.inputSize,
    hidden: [...spec.hidden],
    classes: spec.classes,
    activation,
    dropout: checkRate(spec.dropout ?? 0, "dropout"),
    inputDropout: checkRate(spec.inputDropout ?? 0, "inputDropout"),
    maxNorm,
    seed: spec.seed,
  };
}

/** A trainable variable holding `t`'s values; `t` itself is disposed (tf.variable copies it). */
export function variableFrom(t: tf.Tensor): tf.Variable {
  const v = tf.variable(t, true);
  t.dispose();
  return v;
}

/** Glorot-uniform for saturating units, He-uniform for ReLU, from the seeded generator. */
function initialWeights(fanIn: number, fanOut: number, activation: Activation, seed: number): Float32Array {
  const rng = makeRng(seed);
  const limit = activation === "relu" ? Math.sqrt(6 / fanIn) : Math.sqrt(6 / (fanIn + fanOut));
  const w = new Float32Array(fanIn * fanOut);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit;
  return w;
}

export function applyActivation(z: tf.Tensor, activation: Activation): tf.Tensor {
  switch (activation) {
    case "relu":
      return tf.relu(z);
    case "tanh":
      return tf.tanh(z);
    case "sigmoid":
      return tf.sigmoid(z);
    case "linear":
      return z;
  }
}

export class Mlp implements Network {
  readonly kind = "mlp";
  readonly spec: Required<MlpSpec>;
  readonly layers: DenseLayer[];

  constructor(spec: MlpSpec, weights?: Float32Array[]) {
    this.spec = checkMlpSpec(spec);
    const widths = [this.spec.inputSize, ...this.spec.hidden, this.spec.classes];
    const expected = (widths.length - 1) * 2;
    if (weights && weights.length !== expected) throw new Error(`an MLP of widths ${widths.join("-")} needs ${expected} weight arrays, got ${weights.length}`);
    this.layers = [];
    for (let l = 0; l + 1 < widths.length; l++) {
      const [fin, fout] = [widths[l], widths[l + 1]];
      const activation: Activation = l + 2 === widths.length ? "linear" : this.spec.activation;
      const w = weights ? weights[2 * l] : initialWeights(fin, fout, this.spec.activation, deriveSeed(this.spec.seed, `W${l}`));
      const b = weights ? weights[2 * l + 1] : new Float32Array(fout);
      if (w.length !== fin * fout || b.length !== fout) throw new Error(`layer ${l} weights have ${w.length}+${b.length} values, expected ${fin * fout}+${fout}`);
      this.layers.push({ W: variableFrom(tf.tensor2d(w, [fin, fout])), b: variableFrom(tf.tensor1d(b)), activation });
    }
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => [l.W, l.b]);
  }

  forward(x: tf.Tensor, opts: ForwardOptions = {}): tf.Tensor2D {
    if (x.rank !== 2 || x.shape[1] !== this.spec.inputSize) {
      throw new Error(`the MLP expects inputs of shape [batch, ${this.spec.inputSize}], got [${x.shape.join(", ")}]`);
    }
    return tf.tidy(() => {
      const training = opts.training === true;
      const seed = opts.dropoutSeed ?? 0;
      let h = x as tf.Tensor2D;
      if (training && this.spec.inputDropout > 0) h = seededDropout(h, this.spec.inputDropout, deriveSeed(seed, "in"));
      this.layers.forEach((layer, l) => {
        // Fused kernels (matmul + bias + activation in one) where tfjs has the activation; tanh it lacks.
        // fusedDense keeps relu layers fused in training too on the blas backend (fused-layers.ts).
        h =
          layer.activation === "tanh"
            ? (tf.tanh(tf.add(tf.matMul(h, layer.W), layer.b)) as tf.Tensor2D)
            : (fusedDense({ a: h, b: layer.W as tf.Tensor2D, bias: layer.b, activation: layer.activation }) as tf.Tensor2D);
        const isHidden = l + 1 < this.layers.length;
        if (training && isHidden && this.spec.dropout > 0) h = seededDropout(h, this.spec.dropout, deriveSeed(seed, `h${l}`));
      });
      return h;
    });
  }

  predict(x: tf.Tensor, batchSize = 1024): tf.Tensor2D {
    return predictInBatches(this, x, batchSize);
  }

  applyConstraints(): void {
    if (this.spec.maxNorm <= 0) return;
    // Column j of W holds unit j's incoming weights; max-norm.ts rescales those above maxNorm.
    for (const layer of this.layers) applyMaxNorm(layer.W, this.spec.maxNorm);
  }

  countParams(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  countNonZero(): number {
    let nz = 0;
    for (const v of this.variables) {
      const d = v.dataSync();
      for (let i = 0; i < d.length; i++) if (d[i] !== 0) nz++;
    }
    return nz;
  }

  describe(): string {
    const widths = [this.spec.inputSize, ...this.spec.hidden, this.spec.classes].join("-");
    const extras = [
      this.spec.activation,
      this.spec.dropout > 0 ? `dropout ${this.spec.dropout}` : "",
      this.spec.inputDropout > 0 ? `input dropout ${this.spec.inputDropout}` : "",
      this.spec.maxNorm > 0 ? `max-norm ${this.spec.maxNorm}` : "",
    ].filter(Boolean);
    return `MLP ${widths} (${extras.join(", ")}; ${this.countParams().toLocaleString("en-US")} parameters)`;
  }

  serialize(): SerializedNetwork {
    return {
      kind: this.kind,
      spec: this.spec,
      shapes: this.variables.map((v) => v.shape.slice()),
      weights: this.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array)),
    };
  }

  clone(): Mlp {
    const s = this.serialize();
    return new Mlp(this.spec, s.weights);
  }

  dispose(): void {
    for (const v of this.variables) v.dispose();
  }
}

export function buildMlp(spec: MlpSpec): Mlp {
  return new Mlp(spec);
}

/** Logits for many inputs without holding every intermediate activation at once. */
export function predictInBatches(net: Network, x: tf.Tensor, batchSize = 1024): tf.Tensor2D {
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize=${batchSize} must be a positive whole number`);
  const n = x.shape[0];
  if (n <= batchSize) return tf.tidy(() => net.forward(x));
  const parts: tf.Tensor2D[] = [];
  try {
    for (let start = 0; start < n; start += batchSize) {
      const size = Math.min(batchSize, n - start);
      parts.push(tf.tidy(() => net.forward(tf.slice(x, [start, 0], [size, -1]))));
    }
    return tf.concat(parts, 0);
  } finally {
    parts.forEach((p) => p.dispose());
  }
}

/** Rebuild a network from serialize(); the registry lets other files add kinds (e.g. a CNN). */
const deserializers = new Map<string, (s: SerializedNetwork) => Network>([["mlp", (s) => new Mlp(s.spec as MlpSpec, s.weights)]]);

export function registerNetworkKind(kind: string, fromSerialized: (s: SerializedNetwork) => Network): void {
  deserializers.set(kind, fromSerialized);
}

export function deserializeNetwork(s: SerializedNetwork): Network {
  const make = deserializers.get(s.kind);
  if (!make) throw new Error(`unknown network kind ${JSON.stringify(s.kind)}; known kinds: ${[...deserializers.keys()].join(", ")}`);
  return make(s);
}
