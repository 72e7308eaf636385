/**
 * SGD, momentum and Adam updates as one native pass per variable on the `blas` backend, under
 * TensorFlow.js's own optimizers (tf.train.sgd / momentum / adam keep working unchanged; their
 * applyGradients takes this path whenever the active backend is `blas`).
 *
 * Why: tfjs's optimizers write each update as separate element-wise kernels — SGD two per variable
 * (c·g, + w), momentum four, Adam about ten — each a pass over the whole variable into a fresh tensor,
 * on one core. For the 784-800-800-10 student MLP (1.3 M parameters) that was several percent of a
 * training step with SGD and more with momentum or Adam. Here one call per variable reads value,
 * gradient and state once and writes the new ones once (native/kdh_optim.c); a large variable can be
 * split between threads (KDH_UPDATE_THREADS, default 1: see blas-native.ts).
 *
 * Same numbers as tfjs: the arithmetic follows tfjs-core 4.22's optimizers operation by operation in
 * float32 (momentum: a = m·acc + g, w' = c·a + w, c = -lr; Nesterov w' = c·(g + m·a) + w; Adam (Kingma &
 * Ba 2015): m' = β1·m + (1-β1)·g, v' = β2·v + (1-β2)·g², w' = (m'/(1-β1^t)) / (sqrt(v'/(1-β2^t)) + ε) · (-lr) + w),
 * reads the same state (the optimizer's scalars and its accumulator variables, which getWeights /
 * setWeights and checkpoints see as before), and updates variables by assign() as tfjs does, so a
 * tensor that shares a variable's memory never sees it change. Anything else (another backend, a
 * non-float32 variable, data not on this backend) goes to tfjs's original code.
 */
import * as tf from "@tensorflow/tfjs";
import { fusedByDefault } from "./fused-switch";

export const OPTIMIZER_UPDATE_KERNEL = "KdhOptimizerUpdate";

/** Kinds, as native/kdh_optim.h numbers them. */
const SGD = 0;
const MOMENTUM = 1;
const ADAM = 2;

type Grads = tf.NamedTensorMap | { name: string; tensor: tf.Tensor }[];

let enabled = fusedByDefault();
let installed = false;

/** Turn the fused updates off (tfjs's own) or on again: tests and A/B measurements compare both in one process. */
export function setFusedOptimizers(on: boolean): void {
  enabled = on;
}

/** Whether applyGradients takes the fused path right now. */
export function fusedOptimizersActive(): boolean {
  return installed && enabled && tf.getKernel(OPTIMIZER_UPDATE_KERNEL, tf.getBackend()) !== undefined;
}

interface UpdateBackend {
  dataIdMap: { has(dataId: object): boolean };
}

function names(g: Grads): string[] {
  return Array.isArray(g) ? g.map((v) => v.name) : Object.keys(g);
}

function gradientAt(g: Grads, name: string, i: number): tf.Tensor | undefined {
  return (Array.isArray(g) ? g[i].tensor : g[name]) ?? undefined;
}

/** Every variable and gradient is float32, of equal size, with its data on the active backend. */
function fusable(g: Grads, extra: (tf.Tensor | undefined)[] = []): boolean {
  if (!fusedOptimizersActive()) return false;
  const backend = tf.backend() as unknown as UpdateBackend;
  const here = (t: tf.Tensor) => t.dtype === "float32" && backend.dataIdMap.has(t.dataId);
  const ns = names(g);
  for (let i = 0; i < ns.length; i++) {
    const grad = gradientAt(g, ns[i], i);
    const value = tf.engine().registeredVariables[ns[i]];
    if (!value) return false;
    if (grad && (!here(grad) || !here(value) || grad.size !== value.size)) return false;
  }
  return extra.every((t) => !t || here(t));
}

function scalarValue(t: tf.Tensor): number {
  return t.dataSync()[0];
}

/** Runs the update kernel and assigns its outputs to the variables, in this order: value, m, v. */
function update(kind: number, targets: tf.Variable[], inputs: Record<string, tf.Tensor>, hyper: number[]): void {
  const outs = tf.engine().runKernel(OPTIMIZER_UPDATE_KERNEL, inputs as unknown as tf.NamedTensorMap, { kind, hyper } as unknown as tf.NamedAttrMap) as tf.Tensor[];
  targets.forEach((v, i) => v.assign(outs[i]));
  tf.dispose(outs);
}

// The optimizers' fields this file reads (protected or untyped in tfjs's declarations).
interface SgdFields { c: tf.Scalar; incrementIterations(): void }
interface MomentumFields extends SgdFields {
  m: tf.Scalar;
  useNesterov: boolean;
  accumulations: { originalName: string; variable: tf.Variable }[];
}
interface AdamFields {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: { originalName: string; variable: tf.Variable }[];
  accumulatedSecondMoment: { originalName: string; variable: tf.Variable }[];
  incrementIterations(): void;
}

function zeroState(value: tf.Variable): tf.Variable {
  return tf.tidy(() => tf.zerosLike(value).variable(false));
}

function sgdApply(this: SgdFields, g: Grads, original: (g: Grads) => void): void {
  if (!fusable(g, [this.c])) return original.call(this, g);
  const c = scalarValue(this.c);
  names(g).forEach((name, i) => {
    const grad = gradientAt(g, name, i);
    if (!grad) return;
    const value = tf.engine().registeredVariables[name];
    update(SGD, [value], { w: value, g: grad }, [c]);
  });
  this.incrementIterations();
}

function momentumApply(this: MomentumFields, g: Grads, original: (g: Grads) => void): void {
  if (!fusable(g, [this.c, this.m, ...this.accumulations.map((a) => a?.variable)])) return original.call(this, g);
  const hyper = [scalarValue(this.c), scalarValue(this.m), this.useNesterov ? 1 : 0];
  names(g).forEach((name, i) => {
    const value = tf.engine().registeredVariables[name];
    if (this.accumulations[i] == null) this.accumulations[i] = { originalName: `${name}/momentum`, variable: zeroState(value) };
    const grad = gradientAt(g, name, i);
    if (!grad) return;
    const acc = this.accumulations[i].variable;
    update(MOMENTUM, [value, acc], { w: value, g: grad, m: acc }, hyper);
  });
  this.incrementIterations();
}

function adamApply(this: AdamFields, g: Grads, original: (g: Grads) => void): void {
  const state = [...this.accumulatedFirstMoment, ...this.accumulatedSecondMoment].map((a) => a?.variable);
  if (!fusable(g, [this.accBeta1, this.accBeta2, ...state])) return original.call(this, g);
  const f = Math.fround;
  const accBeta1 = scalarValue(this.accBeta1);
  const accBeta2 = scalarValue(this.accBeta2);
  // Each number as tfjs makes it: a JS number becomes a float32 scalar; 1 - accBeta is a float32 subtraction.
  const hyper = [f(this.beta1), f(1 - this.beta1), f(this.beta2), f(1 - this.beta2), f(1 - accBeta1), f(1 - accBeta2), f(this.epsilon), f(-this.learningRate)];
  names(g).forEach((name, i) => {
    const value = tf.engine().registeredVariables[name];
    if (this.accumulatedFirstMoment[i] == null) this.accumulatedFirstMoment[i] = { originalName: `${name}/m`, variable: zeroState(value) };
    if (this.accumulatedSecondMoment[i] == null) this.accumulatedSecondMoment[i] = { originalName: `${name}/v`, variable: zeroState(value) };
    const grad = gradientAt(g, name, i);
    if (!grad) return;
    const m = this.accumulatedFirstMoment[i].variable;
    const v = this.accumulatedSecondMoment[i].variable;
    update(ADAM, [value, m, v], { w: value, g: grad, m, v }, hyper);
  });
  // accBeta·β in float32: the double product of two float32s is exact, so fround rounds it as float32 would.
  tf.tidy(() => {
    this.accBeta1.assign(tf.scalar(f(accBeta1 * f(this.beta1))));
    this.accBeta2.assign(tf.scalar(f(accBeta2 * f(this.beta2))));
  });
  this.incrementIterations();
}

type Apply<T> = (this: T, g: Grads, original: (g: Grads) => void) => void;

function patch<T>(proto: { applyGradients(g: Grads): void }, apply: Apply<T>): void {
  const original = proto.applyGradients;
  proto.applyGradients = function (this: T, g: Grads) {
    apply.call(this, g, original);
  } as (g: Grads) => void;
}

/**
 * Register the update kernel for `backendName` and route tfjs's SGD, momentum and Adam optimizers
 * through it (once per process; every optimizer, also those made before, takes the fused path while
 * that backend is active).
 */
export function installFusedOptimizers(backendName: string, kernelFunc: tf.KernelFunc): void {
  if (!tf.getKernel(OPTIMIZER_UPDATE_KERNEL, backendName)) tf.registerKernel({ kernelName: OPTIMIZER_UPDATE_KERNEL, backendName, kernelFunc });
  if (installed) return;
  installed = true;
  patch(tf.SGDOptimizer.prototype, sgdApply as Apply<unknown>);
  patch(tf.MomentumOptimizer.prototype, momentumApply as Apply<unknown>);
  patch(tf.AdamOptimizer.prototype, adamApply as Apply<unknown>);
}
