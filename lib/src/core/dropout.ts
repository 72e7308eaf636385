/**
 * Seeded dropout (Hinton et al. 2012; Srivastava et al. 2014) whose mask comes from a counter-based hash of
 * (seed, element index). tf.dropout with a seed draws its uniforms through tfjs-core's seeded randomUniform
 * (seedrandom's alea, about 12 ns per element), which made the paper-scale teacher's forward pass twice as
 * slow as without dropout. A hash needs no generator state and gives the same mask on every backend for a
 * given seed and shape.
 *
 * Two paths, one mask: on the `blas` backend one native kernel (native/kdh_dropout.c) hashes and multiplies
 * in a single pass; its gradient is the same kernel applied to dy (dx = mask · dy, and the mask is a function
 * of seed and index alone, so nothing is saved for the backward pass). Elsewhere dropoutMask below computes
 * the mask in plain JS and one tf.mul applies it (its autodiff gives mask · dy). The JS loop costs about as
 * much per element as alea, so only the native path makes dropout cheap.
 *
 * Inverted dropout: kept units are scaled by 1/(1-rate) so evaluation needs no rescaling.
 */
import * as tf from "@tensorflow/tfjs";

/** The `blas` backend's dropout kernel: input {x}, attrs DropoutKernelAttrs, output x · mask. */
export const DROPOUT_KERNEL = "KdhDropout";

export interface DropoutKernelAttrs {
  rate: number;
  seed: number;
}

tf.registerGradient({
  kernelName: DROPOUT_KERNEL,
  gradFunc: (dy, _saved, attrs) => ({ x: () => tf.engine().runKernel(DROPOUT_KERNEL, { x: dy as tf.Tensor }, attrs) as tf.Tensor }),
});

let nativeEnabled = true;

/** Use the native kernel where the backend has one (default) or the JS mask everywhere: tests compare both paths. */
export function setNativeDropout(on: boolean): void {
  nativeEnabled = on;
}

/** Whether seededDropout takes the native kernel on the active backend right now. */
export function nativeDropoutActive(): boolean {
  return nativeEnabled && tf.getKernel(DROPOUT_KERNEL, tf.getBackend()) !== undefined;
}

/** murmur3's 32-bit finaliser: a bijection of uint32 in which every input bit flips each output bit with probability ~1/2. */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkRate(rate: number): void {
  if (!Number.isFinite(rate) || rate < 0 || rate >= 1) throw new Error(`dropout rate=${rate} must be in [0, 1) (0 keeps every unit)`);
}

function checkSeed(seed: number): void {
  if (!Number.isInteger(seed) || seed < 0 || seed > 0xffffffff) throw new Error(`dropout seed=${seed} must be a whole number in [0, 2^32); derive one per step, e.g. with deriveSeed`);
}

/**
 * The dropout mask for `size` elements: 0 where a unit is dropped, 1/(1-rate) where it is kept.
 * Element i is kept when hash(seed, i) ≥ rate·2^32, so each unit is kept with probability 1-rate (to 2^-32).
 * hash(seed, i) = fmix32((i·φ + k1) xor k2) with k1, k2 mixed from the seed: for one seed the inputs are
 * distinct for every index below 2^32 (odd multiplier, then add and xor), and the xor after the add keeps
 * two seeds' masks from being shifted copies of one sequence, as they would be with the add alone.
 * Everything stays in int32 (the sign bit flipped to compare as unsigned) so V8 keeps the loop unboxed.
 * native/kdh_dropout.c does the same operations in uint32; the tests check that both give the same mask.
 */
export function dropoutMask(seed: number, size: number, rate: number): Float32Array {
  checkRate(rate);
  checkSeed(seed);
  if (!Number.isInteger(size) || size < 0) throw new Error(`dropout mask size=${size} must be a non-negative whole number`);
  const mask = new Float32Array(size);
  const keep = 1 / (1 - rate);
  const threshold = (Math.floor(rate * 4294967296) - 0x80000000) | 0;
  const k1 = fmix32((seed ^ 0x9e3779b9) >>> 0) | 0;
  const k2 = fmix32((seed + 0x7f4a7c15) >>> 0) | 0;
  for (let i = 0; i < size; i++) {
    let h = (Math.imul(i, 0x9e3779b9) + k1) ^ k2;
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
    mask[i] = (h ^ 0x80000000) >= threshold ? keep : 0;
  }
  return mask;
}

/** x with each element dropped (zeroed) with probability `rate` and the rest scaled by 1/(1-rate); rate 0 returns x itself. */
export function seededDropout<T extends tf.Tensor>(x: T, rate: number, seed: number): T {
  checkRate(rate);
  checkSeed(seed);
  if (rate === 0) return x;
  if (x.dtype !== "float32") throw new Error(`dropout needs a float32 tensor, got ${x.dtype}; cast it first (tf.cast(x, "float32"))`);
  if (nativeDropoutActive()) return tf.engine().runKernel(DROPOUT_KERNEL, { x }, { rate, seed } as unknown as tf.NamedAttrMap) as T;
  return tf.tidy(() => tf.mul(x, tf.tensor(dropoutMask(seed, x.size, rate), x.shape, "float32"))) as T;
}
