/**
 * Loads the native addon (native/kdh_blas.c, kdh_dnnl.c, kdh_pool.c, kdh_optim.c, kdh_distill.c, kdh_dropout.c) that the `blas` backend calls for
 * matrix products (OpenBLAS), convolutions (oneDNN, or im2col + OpenBLAS without it) and pooling. It is
 * built by `npm install` (postinstall: `node native/build.mjs`); when it is missing, for instance after
 * `npm install --ignore-scripts`, we try the same few-second build once before giving up, and the error
 * says exactly what is missing and how to get it.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { repoRoot } from "./paths";

/** The addon's functions. Offsets and strides count float32 elements, not bytes. */
export interface BlasNative {
  /** For i < batch: C_i[m,n] = op(A_i) op(B_i) (row-major); a stride of 0 broadcasts one matrix. */
  sgemmBatched(
    a: Float32Array, aOff: number, aStride: number,
    b: Float32Array, bOff: number, bStride: number,
    c: Float32Array, cOff: number, cStride: number,
    batch: number, transA: number, transB: number, m: number, n: number, k: number,
  ): void;
  /**
   * In place on C[rows, cols]: add bias (length cols or 1, or null) then apply activation code `act`
   * (`alpha` is the leaky-relu slope; prelu slopes come from `prelu`, length cols or 1).
   */
  biasActivation(
    c: Float32Array, cOff: number, rows: number, cols: number,
    bias: Float32Array | null, biasOff: number, biasLen: number, act: number, alpha: number,
    prelu: Float32Array | null, preluOff: number, preluLen: number,
  ): void;
  /**
   * NHWC convolution; geometry = [n,h,w,c,kh,kw,sh,sw,dh,dw,padTop,padLeft,oh,ow,co]. A per-channel
   * bias (length co) and an activation code may be passed: oneDNN fuses them into the convolution and
   * the call returns true; when it returns false (im2col path) the caller must apply them itself.
   */
  conv2d(
    x: Float32Array, xOff: number, filter: Float32Array, fOff: number, y: Float32Array, yOff: number, geometry: Int32Array,
    bias?: Float32Array | null, biasOff?: number, act?: number, alpha?: number,
  ): boolean;
  conv2dBackpropInput(dy: Float32Array, dyOff: number, filter: Float32Array, fOff: number, dx: Float32Array, dxOff: number, geometry: Int32Array): void;
  conv2dBackpropFilter(x: Float32Array, xOff: number, dy: Float32Array, dyOff: number, dw: Float32Array, dwOff: number, geometry: Int32Array): void;
  /** NHWC max pooling; geometry = [n,h,w,c,fh,fw,sh,sw,dh,dw,padTop,padLeft,oh,ow]. */
  maxPool(x: Float32Array, xOff: number, y: Float32Array, yOff: number, geometry: Int32Array): void;
  /** dx = gradient of max pooling: each dy goes to its window's first maximum in x. */
  maxPoolGrad(dy: Float32Array, dyOff: number, x: Float32Array, xOff: number, dx: Float32Array, dxOff: number, geometry: Int32Array): void;
  /** out[j] = sum over r of x[r, j] for x of shape [rows, cols] (double accumulation). */
  columnSum(x: Float32Array, xOff: number, rows: number, cols: number, out: Float32Array, outOff: number): void;
  /**
   * One optimizer step for one variable of n floats, into fresh outputs (native/kdh_optim.c).
   * kind 0 SGD, 1 momentum, 2 Adam; offsets = [w, g, m, v, outW, outM, outV] into heap (-1 = unused);
   * hyper: SGD [c = -lr]; momentum [c, momentum, nesterov 0/1]; Adam [β1, 1-β1, β2, 1-β2, 1-β1^t, 1-β2^t, ε, -lr].
   */
  optimizerUpdate(kind: number, heap: Float32Array, offsets: Float64Array, n: number, hyper: Float32Array): void;
  /**
   * The distillation loss and the gradients asked for, one pass per row in float64 (native/kdh_distill.c);
   * the contract is DistillationLossFn's (fused-distillation.ts). Absent from an addon built before it.
   */
  distillationLoss?(heap: Float32Array, offsets: Float64Array, rows: number, classes: number, params: Float64Array): void;
  /**
   * y = x · mask over n floats of heap, the mask being dropoutMask(seed, n, rate)'s (dropout.ts) computed on the
   * fly (native/kdh_dropout.c); y may be x. Absent from an addon built before it.
   */
  dropout?(heap: Float32Array, xOff: number, yOff: number, n: number, seed: number, rate: number): void;
  /**
   * Max-norm of w [rows, cols] in heap: returns how many columns have a norm above c (double accumulation);
   * only when that is > 0 is out (not overlapping w) written, with those columns scaled to norm c and the others
   * copied. Absent from an addon built before it.
   */
  maxNorm?(heap: Float32Array, wOff: number, outOff: number, rows: number, cols: number, c: number): number;
  /** Threads an optimizer update may split a large variable between (setThreads sets it too; loadBlasNative then sets KDH_UPDATE_THREADS or 1). */
  setUpdateThreads(n: number): void;
  /** dz = dy where y > 0 else 0, and db[c] = sum over rows of dz[r, c] (double accumulation); all offsets into one heap. */
  reluBackward(heap: Float32Array, dyOff: number, yOff: number, dzOff: number, dbOff: number, rows: number, cols: number): void;
  /** Which path convolutions take; "onednn-any" lets oneDNN keep activations in its own layout. Throws when oneDNN is absent. */
  setConvPath(path: ConvPath): void;
  /** OpenBLAS threads, and OpenMP threads of oneDNN when it is built in. */
  setThreads(n: number): void;
  info(): BlasNativeInfo;
}

export type ConvPath = "onednn" | "onednn-any" | "im2col";

export interface BlasNativeInfo {
  threads: number;
  config: string;
  core: string;
  /** The path convolutions take now. */
  convPath: "onednn" | "im2col";
  /** "oneDNN 2.6.3 (OpenMP)", or why oneDNN is not used. */
  onednn: string;
  /** The oneDNN implementation of the last convolution primitive created (e.g. "brg:avx512_core"). */
  onednnLastImpl?: string;
  /** Convolutions run so far, per path and kind. */
  convCalls: Record<"onednn" | "im2col", { forward: number; backpropInput: number; backpropFilter: number }>;
}

/** Threads a fused optimizer update may split a large variable between (default 1). */
export const UPDATE_THREADS_ENV = "KDH_UPDATE_THREADS";

/** The update thread count KDH_UPDATE_THREADS asks for (1 when unset); throws on anything but a positive integer. */
export function updateThreadsFrom(raw: string | undefined): number {
  const n = raw ? Number(raw) : 1;
  if (!Number.isInteger(n) || n < 1) throw new Error(`${UPDATE_THREADS_ENV}=${JSON.stringify(raw)} is not a positive integer; unset it for one thread.`);
  return n;
}

/** Set to 1 to keep convolutions on im2col + OpenBLAS even when the addon has oneDNN. */
export const NO_DNNL_ENV = "KDH_NO_DNNL";

let cached: BlasNative | undefined;

/**
 * How long idle worker threads spin before sleeping, for the two thread pools in this process: OpenBLAS's
 * (2^20 cycles, ~0.4 ms, instead of 2^28, ~0.1 s) and libgomp's behind oneDNN (10,000 spins instead of
 * 300,000). With 2 cores, a pool that spins after its call steals the core the other pool's next call
 * needs: a CNN step alternates OpenBLAS products with oneDNN convolutions, and with the libraries'
 * defaults it burned about twice the CPU time of the work itself. Short spins keep workers warm across
 * the back-to-back products of an MLP step. Both are read once, when the libraries load, so they are set
 * just for the addon's load and then removed again (child processes such as the PyTorch peer of the
 * benchmark must see the environment the user gave). A value the user set is left alone.
 */
const SPIN_LIMITS: Record<string, string> = { OPENBLAS_THREAD_TIMEOUT: "20", GOMP_SPINCOUNT: "10000" };

function requireWithSpinLimits(file: string): BlasNative | Error {
  const added = Object.keys(SPIN_LIMITS).filter((k) => process.env[k] === undefined);
  for (const k of added) process.env[k] = SPIN_LIMITS[k];
  try {
    return tryRequire(file);
  } finally {
    for (const k of added) delete process.env[k];
  }
}

/** Where the addon lives: native/ at the repository root. */
export function blasNativeDir(): string {
  return path.join(repoRoot(), "native");
}

function tryRequire(file: string): BlasNative | Error {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    return require(file) as BlasNative;
  } catch (e) {
    return e instanceof Error ? e : new Error(String(e));
  }
}

/**
 * Load the addon once per process and set OpenBLAS and oneDNN to one thread per core (KDH_BLAS_THREADS
 * overrides); KDH_NO_DNNL=1 sends convolutions to im2col + OpenBLAS.
 * Throws one error naming what is missing and the command that fixes it.
 */
export function loadBlasNative(): BlasNative {
  if (cached) return cached;
  const dir = blasNativeDir();
  const file = path.join(dir, "build", "kdh_blas.node");
  let lib = fs.existsSync(file) ? requireWithSpinLimits(file) : undefined;
  if (!lib || lib instanceof Error) {
    // Not built (or built for another Node ABI): one attempt at the same build npm install runs.
    const build = path.join(dir, "build.mjs");
    if (!fs.existsSync(build)) throw new Error(`the blas addon's build script ${build} is missing; restore native/ from git.`);
    const r = spawnSync(process.execPath, [build, "--strict", "--quiet"], { encoding: "utf8" });
    if (r.status !== 0) {
      const why = (r.stdout + r.stderr).trim().split("\n").pop() ?? `exit ${r.status}`;
      throw new Error(`the OpenBLAS addon is not built and building it failed: ${why.replace(/^\[kdh_blas\] /, "")}`);
    }
    lib = requireWithSpinLimits(file);
    if (lib instanceof Error) {
      throw new Error(
        `the OpenBLAS addon ${file} was built but does not load (${lib.message.split("\n")[0]}); ` +
          `is libopenblas0-pthread installed? Rebuild with 'node native/build.mjs --strict'.`,
      );
    }
  }
  const raw = process.env.KDH_BLAS_THREADS;
  const threads = raw ? Number(raw) : os.availableParallelism();
  if (!Number.isInteger(threads) || threads < 1) {
    throw new Error(`KDH_BLAS_THREADS=${JSON.stringify(raw)} is not a positive integer; unset it to use one thread per core.`);
  }
  lib.setThreads(threads);
  // Optimizer updates on one thread unless KDH_UPDATE_THREADS says otherwise: interleaved A/B runs
  // (scripts/bench-ab.ts) on a loaded 2-core machine found a second thread cost CPU and wall time (its
  // start competes with OpenBLAS's workers, still spinning after the backward products).
  lib.setUpdateThreads(updateThreadsFrom(process.env[UPDATE_THREADS_ENV]));
  const noDnnl = process.env[NO_DNNL_ENV];
  if (noDnnl !== undefined && noDnnl !== "" && noDnnl !== "0" && noDnnl !== "1") {
    throw new Error(`${NO_DNNL_ENV}=${JSON.stringify(noDnnl)} must be 1 (convolutions through im2col + OpenBLAS) or 0/unset (oneDNN when built in).`);
  }
  if (noDnnl === "1") lib.setConvPath("im2col");
  cached = lib;
  return lib;
}
