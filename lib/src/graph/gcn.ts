/**
 * The two-layer graph convolutional network of Kipf & Welling (2017), eq. 9:
 *   Z = Â · ReLU(Â X W0 + b0) · W1 + b1        (logits [n, classes]; softmax in the loss)
 * with Â the renormalised adjacency (adjacency.ts), dropout on each layer's input while training, and
 * Glorot-uniform weights from a seed. Each layer multiplies X·W first (n×d by d×h), then Â by the
 * result (n×n by n×h): the cheaper order when h < d.
 *
 * Kipf & Welling's setting: 16 hidden units, dropout 0.5, L2 weight decay 5·10⁻⁴ on the first layer,
 * Adam at 0.01 for up to 200 epochs with early stopping on the validation loss (window 10).
 */
import * as tf from "@tensorflow/tfjs";
import { deriveSeed, makeRng } from "@kdh/datasets";
import { variableFrom } from "../core/models";

export interface GcnSpec {
  inputSize: number;
  hidden: number;
  classes: number;
  dropout: number;
  seed: number;
}

function glorot(fin: number, fout: number, seed: number): tf.Tensor2D {
  const rng = makeRng(seed);
  const limit = Math.sqrt(6 / (fin + fout));
  const w = new Float32Array(fin * fout);
  for (let i = 0; i < w.length; i++) w[i] = (2 * rng.next() - 1) * limit;
  return tf.tensor2d(w, [fin, fout]);
}

export class Gcn {
  readonly spec: GcnSpec;
  readonly W0: tf.Variable;
  readonly b0: tf.Variable;
  readonly W1: tf.Variable;
  readonly b1: tf.Variable;

  constructor(spec: GcnSpec) {
    for (const k of ["inputSize", "hidden", "classes"] as const) {
      if (!Number.isInteger(spec[k]) || spec[k] < 1) throw new Error(`GCN ${k}=${spec[k]} must be a positive whole number.`);
    }
    if (!(spec.dropout >= 0 && spec.dropout < 1)) throw new Error(`GCN dropout=${spec.dropout} must be a rate in [0, 1).`);
    this.spec = { ...spec };
    this.W0 = variableFrom(glorot(spec.inputSize, spec.hidden, deriveSeed(spec.seed, "W0")));
    this.b0 = variableFrom(tf.zeros([spec.hidden]));
    this.W1 = variableFrom(glorot(spec.hidden, spec.classes, deriveSeed(spec.seed, "W1")));
    this.b1 = variableFrom(tf.zeros([spec.classes]));
  }

  get variables(): tf.Variable[] {
    return [this.W0, this.b0, this.W1, this.b1];
  }

  countParams(): number {
    return this.variables.reduce((s, v) => s + v.size, 0);
  }

  /** Logits [n, classes] for every node; `adj` is Â [n, n], `x` the features [n, inputSize]. */
  forward(adj: tf.Tensor2D, x: tf.Tensor2D, opts: { training?: boolean; dropoutSeed?: number } = {}): tf.Tensor2D {
    const n = x.shape[0];
    if (adj.rank !== 2 || adj.shape[0] !== n || adj.shape[1] !== n) throw new Error(`the GCN needs Â of shape [${n}, ${n}] for ${n} nodes, got [${adj.shape.join(", ")}].`);
    if (x.shape[1] !== this.spec.inputSize) throw new Error(`the GCN expects ${this.spec.inputSize} features per node, got ${x.shape[1]}.`);
    return tf.tidy(() => {
      const drop = (t: tf.Tensor2D, label: string) =>
        opts.training && this.spec.dropout > 0 ? (tf.dropout(t, this.spec.dropout, undefined, deriveSeed(opts.dropoutSeed ?? 0, label)) as tf.Tensor2D) : t;
      const h = tf.relu(tf.add(tf.matMul(adj, tf.matMul(drop(x, "in"), this.W0 as tf.Tensor2D)), this.b0)) as tf.Tensor2D;
      return tf.add(tf.matMul(adj, tf.matMul(drop(h, "h"), this.W1 as tf.Tensor2D)), this.b1) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}
