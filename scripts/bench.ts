/**
 * `npm run bench`: training and inference speed of the suite's models on every TensorFlow.js backend
 * that loads here, against PyTorch on the same machine in the same run (scripts/bench_peer.py).
 *
 * Rows (medians of --repeats timed runs after --warmup untimed ones):
 *   mlp-teacher-step   one SGD step of Hinton et al. (2015)'s 784-1200-1200-10 teacher at batch 128
 *   mlp-student-step   the 784-800-800-10 student, plain cross-entropy
 *   kd-student-step    the same student step with the distillation loss on cached teacher logits (T=4):
 *                      compared with mlp-student-step it gives the overhead of the KD loss
 *   cnn-teacher-step   conv5x5x32-pool-conv5x5x64-pool-dense128-10 at batch 64
 *   infer-*            one forward pass over 1,000 examples
 * Adding a row (e.g. an OBD Hessian-diagonal pass, a GMDH layer fit): append a BenchRow to ROWS below;
 * give it the same name in bench_peer.py if PyTorch should measure it too. `--only=a,b` picks rows.
 *
 * Output: a table on stdout and reports/bench/bench.json (machine, backends, config, every timing);
 * with --only, reports/bench/bench-only.json, so a run of some rows leaves the full table in place.
 * After the table: the KD loss's overhead, the teacher step's GFLOP/s beside OpenBLAS sgemm's peak
 * measured in the same run (--peakSize, 0 = skip), and the wall times of the latest quick suite and
 * full-mode notebook runs (from reports/status.json and reports/results/*.json; "not run" when absent).
 * Usage: npx tsx scripts/bench.ts [--repeats=10] [--warmup=20] [--cpuRepeats=2] [--backends=blas,wasm,cpu]
 *        [--only=row1,row2] [--peer=true] [--peakSize=1536]
 * One row, quickly: --only=mlp-teacher-step --backends=blas --repeats=2 --warmup=1 --peer=false
 */
import { spawnSync } from "node:child_process";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { fusedConv2d, fusedDense } from "../lib/src/core/fused-layers";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../lib/src/core/backend";
import { blasInfo } from "../lib/src/core/blas-backend";
import { loadBlasNative } from "../lib/src/core/blas-native";
import { listNotebooks } from "./reproduce";
import { formatRunTimes, readRunTimes } from "./bench-runtimes";
import { parseCliArgs } from "../lib/src/core/config";
import { buildMlp, type Mlp } from "../lib/src/core/models";
import { reportsDir, repoRoot } from "../lib/src/core/paths";
import { writeJsonAtomic } from "../lib/src/core/store";
import { crossEntropyLoss } from "../lib/src/core/train";
import { distillationLoss } from "../lib/src/distillation/losses";
import { disposeLayers, randomDenseLayers } from "../lib/src/pruning/dense";
import { gradientPass, hessianDiagonal } from "../lib/src/pruning/hessian-diagonal";
import { fitLayer } from "../lib/src/gmdh/network";
import { referenceFunction } from "../lib/src/gmdh/polynomial";

const DEFAULTS = {
  repeats: 10,
  // 20, not 3: V8 compiles a kernel's JS wrapper only after some calls, and the first ~20 KD loss calls ran many times
  // slower than the settled ones (0.6–7.5 ms against 0.2), which a 3-step warm-up counted as the loss's overhead. PyTorch gets the same.
  warmup: 20,
  /** The cpu backend is ~50x slower: fewer repetitions keep the run in minutes. */
  cpuRepeats: 2,
  backends: "blas,wasm,cpu",
  /** Comma-separated row names; empty = all. */
  only: "",
  peer: true,
  /** Edge of the square sgemm that measures OpenBLAS's peak (0 = skip). */
  peakSize: 1536,
};
type BenchConfig = typeof DEFAULTS;

/** One measured thing. `setup` builds its tensors on the current backend; `run` is what gets timed. */
export interface BenchRow {
  name: string;
  /** Examples processed by one run (examples/s = examples / seconds per run). */
  examples: number;
  describe: string;
  /** Backends this row does not run on, with the reason printed in the table. */
  skip?: Partial<Record<string, string>>;
  setup(): { run(): void | Promise<void>; dispose(): void };
}

// ---- data and models ---------------------------------------------------------------------------
const rng = makeRng(8);
function uniform(shape: number[]): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  for (let i = 0; i < n; i++) v[i] = rng.next();
  return tf.tensor(v, shape);
}
function labels(n: number, classes = 10): tf.Tensor2D {
  return tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: n }, () => rng.int(classes)), "int32"), classes) as tf.Tensor2D);
}

/** The bench CNN: variables and a forward pass (NHWC, 'same' convolutions, 28x28x1 inputs). */
function buildCnn(seed: number) {
  const r = makeRng(seed);
  const v = (shape: number[], fanIn: number) => {
    const n = shape.reduce((a, b) => a * b, 1);
    const a = new Float32Array(n);
    const s = Math.sqrt(2 / fanIn);
    for (let i = 0; i < n; i++) a[i] = r.normal() * s;
    return tf.tidy(() => tf.variable(tf.tensor(a, shape))); // tidy: the initial tensor would outlive dispose()
  };
  const zeros = (n: number) => tf.tidy(() => tf.variable(tf.zeros([n])));
  const p = {
    k1: v([5, 5, 1, 32], 25), c1: zeros(32),
    k2: v([5, 5, 32, 64], 800), c2: zeros(64),
    w3: v([7 * 7 * 64, 128], 3136), b3: zeros(128),
    w4: v([128, 10], 128), b4: zeros(10),
  };
  const forward = (x: tf.Tensor): tf.Tensor2D =>
    tf.tidy(() => {
      const h1 = tf.maxPool(fusedConv2d({ x: x as tf.Tensor4D, filter: p.k1 as tf.Tensor4D, strides: 1, pad: "same", bias: p.c1, activation: "relu" }), 2, 2, "valid");
      const h2 = tf.maxPool(fusedConv2d({ x: h1, filter: p.k2 as tf.Tensor4D, strides: 1, pad: "same", bias: p.c2, activation: "relu" }), 2, 2, "valid");
      const h3 = fusedDense({ a: tf.reshape(h2, [x.shape[0], 7 * 7 * 64]) as tf.Tensor2D, b: p.w3 as tf.Tensor2D, bias: p.b3, activation: "relu" });
      return fusedDense({ a: h3, b: p.w4 as tf.Tensor2D, bias: p.b4 }) as tf.Tensor2D;
    });
  return { forward, variables: Object.values(p), dispose: () => Object.values(p).forEach((t) => t.dispose()) };
}

/** One SGD step: forward, loss, backward, update; reading the loss forces the work to finish. */
function sgdStep(forward: (x: tf.Tensor) => tf.Tensor2D, x: tf.Tensor, loss: (logits: tf.Tensor2D) => tf.Scalar, vars: tf.Variable[]) {
  const opt = tf.train.sgd(0.01);
  return {
    run() {
      const l = opt.minimize(() => loss(forward(x)), true, vars);
      l!.dataSync();
      l!.dispose();
    },
    dispose() {
      opt.dispose();
    },
  };
}

function mlpStepRow(name: string, hidden: number[], describe: string, kd: boolean): BenchRow {
  return {
    name,
    examples: 128,
    describe,
    setup() {
      const net: Mlp = buildMlp({ inputSize: 784, hidden, classes: 10, seed: 1 });
      const x = uniform([128, 784]);
      const y = labels(128);
      const teacherLogits = tf.tidy(() => tf.mul(uniform([128, 10]), 6)); // cached teacher outputs, as in distillation
      const loss = kd
        ? (z: tf.Tensor2D) => distillationLoss(z, teacherLogits, y, { T: 4, softWeight: 0.9, teacherIs: "logits" }, false)
        : (z: tf.Tensor2D) => crossEntropyLoss(y, z);
      const step = sgdStep((v) => net.forward(v, { training: true }), x, loss, net.variables);
      return { run: step.run, dispose: () => { step.dispose(); net.dispose(); tf.dispose([x, y, teacherLogits]); } };
    },
  };
}

function inferRow(name: string, describe: string, build: () => { forward: (x: tf.Tensor) => tf.Tensor2D; dispose(): void }, inputShape: number[], skip?: BenchRow["skip"]): BenchRow {
  return {
    name,
    examples: 1000,
    describe,
    skip,
    setup() {
      const m = build();
      const x = uniform([1000, ...inputShape]);
      return {
        run() {
          const z = m.forward(x);
          z.dataSync();
          z.dispose();
        },
        dispose() { m.dispose(); x.dispose(); },
      };
    },
  };
}

const CNN_ON_CPU = "the cpu backend takes about a minute per CNN step (FACTS.md); skipped";

/** Every row the benchmark knows. Others append here (keep names stable: they key the JSON and the peer). */
export const ROWS: BenchRow[] = [
  mlpStepRow("mlp-teacher-step", [1200, 1200], "SGD step, MLP 784-1200-1200-10, batch 128", false),
  mlpStepRow("mlp-student-step", [800, 800], "SGD step, MLP 784-800-800-10, batch 128, cross-entropy", false),
  mlpStepRow("kd-student-step", [800, 800], "same step with the KD loss on cached teacher logits (T=4)", true),
  {
    name: "cnn-teacher-step",
    examples: 64,
    describe: "SGD step, CNN conv5x5x32-pool-conv5x5x64-pool-128-10, batch 64",
    skip: { cpu: CNN_ON_CPU, wasm: "tfjs-backend-wasm has no Conv2DBackpropFilter kernel, so it cannot train conv layers" },
    setup() {
      const cnn = buildCnn(2);
      const x = uniform([64, 28, 28, 1]);
      const y = labels(64);
      const step = sgdStep(cnn.forward, x, (z) => crossEntropyLoss(y, z), cnn.variables as tf.Variable[]);
      return { run: step.run, dispose: () => { step.dispose(); cnn.dispose(); tf.dispose([x, y]); } };
    },
  },
  inferRow("infer-mlp-teacher", "forward pass, 1,000 examples, teacher MLP", () => {
    const n = buildMlp({ inputSize: 784, hidden: [1200, 1200], classes: 10, seed: 1 });
    return { forward: (x) => n.forward(x), dispose: () => n.dispose() };
  }, [784]),
  inferRow("infer-mlp-student", "forward pass, 1,000 examples, student MLP", () => {
    const n = buildMlp({ inputSize: 784, hidden: [800, 800], classes: 10, seed: 1 });
    return { forward: (x) => n.forward(x), dispose: () => n.dispose() };
  }, [784]),
  inferRow("infer-cnn-teacher", "forward pass, 1,000 examples, CNN", () => buildCnn(2), [28, 28, 1], { cpu: CNN_ON_CPU }),
  obdPassRow("obd-hessian-pass", "OBD Hessian diagonal (2nd-order backprop), MLP 784-300-100-10, 2,000 examples", true),
  obdPassRow("obd-gradient-pass", "gradient pass on the same net and data (the yardstick for the row above)", false),
  {
    name: "gmdh-layer-fit",
    examples: 10_000,
    describe: "one GMDH layer: all 2016 pairs of 64 inputs fitted and ranked on 10,000 rows",
    skip: { cpu: "minutes on the cpu backend; the target concerns the default backend" },
    setup() {
      const m = 64;
      const n = 10_000;
      const x = new Float64Array(n * m).map(() => rng.normal());
      const raw = new Float64Array(n).map((_, r) => x[r * m] * x[r * m + 1] - 0.5 * x[r * m + 2] ** 2 + 0.1 * rng.normal());
      // fitLayer takes a standardised target, as fitGmdh passes it.
      const mean = raw.reduce((a, b) => a + b, 0) / n;
      const sd = Math.sqrt(raw.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
      const y = raw.map((v) => (v - mean) / sd);
      const nB = Math.round(n / 3);
      const B = Int32Array.from({ length: nB }, (_, r) => r);
      const A = Int32Array.from({ length: n - nB }, (_, r) => nB + r);
      const names = Array.from({ length: m }, (_, c) => `x${c + 1}`);
      const f = referenceFunction("quadratic");
      return {
        run: async () => {
          await fitLayer(x, m, y, A, B, f, "regularity", 1e-6, names);
        },
        dispose() {},
      };
    },
  },
];

/** One full pass over 2,000 examples of OBD's Hessian diagonal or of the plain gradient, batches of 500. */
function obdPassRow(name: string, describe: string, hessian: boolean): BenchRow {
  return {
    name,
    examples: 2000,
    describe,
    skip: { cpu: "slow on the cpu backend; the ratio is measured on the others" },
    setup() {
      const sizes = [784, 300, 100, 10];
      const layers = randomDenseLayers(sizes, ["tanh", "tanh", "linear"], 3);
      const x = uniform([2000, 784]) as tf.Tensor2D;
      const targets = labels(2000);
      const data = { x, targets };
      return {
        run() {
          if (hessian) hessianDiagonal(layers, data, "cross-entropy", { batchSize: 500 });
          else gradientPass(layers, data, "cross-entropy", { batchSize: 500 });
        },
        dispose() {
          disposeLayers(layers);
          tf.dispose([x, targets]);
        },
      };
    },
  };
}

// ---- arithmetic rate ----------------------------------------------------------------------------------
/**
 * Floating-point operations in the matrix products of one SGD step of an MLP (2 per multiply-add):
 * forward x·W for every layer, the weight gradient for every layer, and the input gradient for every
 * layer but the first (nothing asks for d/dx of the data). Biases, activations and the loss are left
 * out: they are O(batch·width), the products O(batch·width²).
 */
export function mlpStepFlops(sizes: number[], batch: number): number {
  let flops = 0;
  for (let l = 0; l + 1 < sizes.length; l++) {
    const product = 2 * batch * sizes[l] * sizes[l + 1];
    flops += product * (l === 0 ? 2 : 3);
  }
  return flops;
}

/** OpenBLAS sgemm on an n×n×n product: median GFLOP/s of 5 runs after 2, with the backend's threads. */
function sgemmPeak(n: number): { gflops: number; ms: number; n: number } {
  const lib = loadBlasNative();
  const a = new Float32Array(n * n).map((_, i) => ((i * 7919) % 1000) / 1000 - 0.5);
  const b = a.slice().reverse();
  const c = new Float32Array(n * n);
  const run = () => lib.sgemmBatched(a, 0, 0, b, 0, 0, c, 0, 0, 1, 0, 0, n, n, n);
  run();
  run();
  const times: number[] = [];
  for (let i = 0; i < 5; i++) {
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  const ms = median(times);
  return { gflops: (2 * n ** 3) / (ms * 1e6), ms, n };
}

// ---- measuring --------------------------------------------------------------------------------------
function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface Measurement {
  row: string;
  backend: string;
  ms?: number;
  examplesPerSec?: number;
  repeats?: number;
  times?: number[];
  skipped?: string;
  /** The row threw on this backend (the rest of the benchmark still runs). */
  error?: string;
  /** Growth of tf.memory().numTensors over the timed runs: must be 0 (a leak would also skew timings). */
  tensorGrowth?: number;
}

async function measure(row: BenchRow, backend: string, repeats: number, warmup: number): Promise<Measurement> {
  const skipped = row.skip?.[backend];
  if (skipped) return { row: row.name, backend, skipped };
  let r: ReturnType<BenchRow["setup"]> | undefined;
  try {
    r = row.setup();
    for (let i = 0; i < warmup; i++) await r.run();
    const before = tf.memory().numTensors;
    const times: number[] = [];
    for (let i = 0; i < repeats; i++) {
      const t0 = performance.now();
      await r.run();
      times.push(performance.now() - t0);
    }
    const tensorGrowth = tf.memory().numTensors - before;
    if (tensorGrowth !== 0) console.warn(`[bench] ${row.name} on ${backend}: ${tensorGrowth} more tensors after ${repeats} runs (a leak)`);
    const ms = median(times);
    return { row: row.name, backend, ms, examplesPerSec: (row.examples * 1000) / ms, repeats, times: times.map((t) => +t.toFixed(2)), tensorGrowth };
  } catch (e) {
    return { row: row.name, backend, error: (e as Error).message.split("\n")[0] };
  } finally {
    r?.dispose();
  }
}

interface PeerResult {
  missing?: string;
  torch?: string;
  threads?: number;
  blas?: string;
  rows?: Record<string, { ms: number; examples: number; repeats: number }>;
}

function runPeer(cfg: BenchConfig, rows: string[]): PeerResult {
  const script = path.join(repoRoot(), "scripts", "bench_peer.py");
  const r = spawnSync("/usr/bin/python3", [script, `--repeats=${cfg.repeats}`, `--warmup=${cfg.warmup}`, `--only=${rows.join(",")}`], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: String(os.availableParallelism()) },
  });
  if (r.error) return { missing: `could not run /usr/bin/python3 (${r.error.message})` };
  if (r.status !== 0) return { missing: `bench_peer.py exited with ${r.status}: ${(r.stderr || "").trim().split("\n").pop()}` };
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop()!) as PeerResult;
  } catch {
    return { missing: `bench_peer.py printed no JSON: ${r.stdout.slice(0, 200)}` };
  }
}

function table(lines: string[][]): string {
  const widths = lines[0].map((_, c) => Math.max(...lines.map((l) => l[c].length)));
  return lines.map((l) => l.map((cell, c) => (c === 0 || c === 1 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join("  ")).join("\n");
}

async function main(): Promise<void> {
  const cfg = parseCliArgs(process.argv.slice(2), DEFAULTS);
  const only = cfg.only.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = only.filter((n) => !ROWS.some((r) => r.name === n));
  if (unknown.length) throw new Error(`--only names unknown rows ${unknown.join(", ")}; valid rows: ${ROWS.map((r) => r.name).join(", ")}`);
  const rows = only.length ? ROWS.filter((r) => only.includes(r.name)) : ROWS;
  const backends = cfg.backends.split(",").map((s) => s.trim()).filter(Boolean);

  const defaultChoice = await initBackend();
  console.log(`[bench] default backend: ${defaultChoice.reason}`);
  const measurements: Measurement[] = [];
  const loaded: Record<string, string> = {};
  for (const b of backends) {
    try {
      await initBackend(b);
      loaded[b] = "ok";
    } catch (e) {
      loaded[b] = (e as Error).message.split("\n")[0];
      console.log(`[bench] backend ${b} skipped: ${loaded[b]}`);
      continue;
    }
    const repeats = b === "cpu" ? Math.min(cfg.cpuRepeats, cfg.repeats) : cfg.repeats;
    const warmup = b === "cpu" ? Math.min(1, cfg.warmup) : cfg.warmup;
    for (const row of rows) {
      const m = await measure(row, b, repeats, warmup);
      measurements.push(m);
      const what = m.error ? `FAILED: ${m.error}` : m.skipped ? `skipped: ${m.skipped}` : `${m.ms!.toFixed(1)} ms`;
      console.log(`[bench] ${row.name.padEnd(18)} ${b.padEnd(5)} ${what}`);
    }
  }

  let peer: PeerResult = { missing: "disabled with --peer=false" };
  if (cfg.peer) {
    peer = runPeer(cfg, rows.map((r) => r.name));
    if (peer.missing) console.log(`[bench] PyTorch peer missing: ${peer.missing}`);
    else console.log(`[bench] PyTorch peer: torch ${peer.torch}, ${peer.threads} threads, BLAS ${peer.blas}`);
  }

  // ratio ours/peer = our throughput / PyTorch's throughput (1 = as fast; the issue's target is >= 0.5).
  const lines = [["row", "backend", "ms", "examples/s", "ours/peer"]];
  for (const row of rows) {
    const p = peer.rows?.[row.name];
    for (const m of measurements.filter((x) => x.row === row.name)) {
      const ratio = p && m.ms ? (p.ms / m.ms).toFixed(2) : "-";
      lines.push([row.name, m.backend, m.ms ? m.ms.toFixed(1) : m.skipped ? "skipped" : m.error ? "failed" : "-", m.examplesPerSec ? m.examplesPerSec.toFixed(0) : "-", ratio]);
    }
    if (p) lines.push([row.name, "pytorch", p.ms.toFixed(1), ((row.examples * 1000) / p.ms).toFixed(0), "1.00"]);
  }
  const printed = table(lines);
  console.log("\n" + printed);
  const kd = measurements.filter((m) => m.row === "kd-student-step" && m.ms);
  for (const m of kd) {
    const ce = measurements.find((x) => x.row === "mlp-student-step" && x.backend === m.backend && x.ms);
    if (ce) console.log(`[bench] KD loss overhead on ${m.backend}: ${(((m.ms! - ce.ms!) / ce.ms!) * 100).toFixed(1)}% over the cross-entropy step`);
  }
  for (const h of measurements.filter((m) => m.row === "obd-hessian-pass" && m.ms)) {
    const g = measurements.find((x) => x.row === "obd-gradient-pass" && x.backend === h.backend && x.ms);
    if (g) console.log(`[bench] OBD Hessian-diagonal pass / gradient pass on ${h.backend}: ${(h.ms! / g.ms!).toFixed(2)}x (target ≤ 3)`);
  }
  for (const m of measurements.filter((x) => x.row === "gmdh-layer-fit" && x.ms)) {
    console.log(`[bench] GMDH layer of 2016 pairs on 10,000 rows on ${m.backend}: ${(m.ms! / 1000).toFixed(2)} s (target < 2 s)`);
  }

  // How close the teacher step comes to the machine: its matrix-product rate beside OpenBLAS's own peak.
  const teacherFlops = mlpStepFlops([784, 1200, 1200, 10], 128);
  let peak: ReturnType<typeof sgemmPeak> | undefined;
  if (cfg.peakSize > 0 && loaded.blas === "ok") {
    peak = sgemmPeak(cfg.peakSize);
    console.log(`[bench] OpenBLAS sgemm peak: ${peak.gflops.toFixed(1)} GFLOP/s (${peak.n}x${peak.n}x${peak.n}, ${peak.ms.toFixed(1)} ms, ${blasInfo()?.threads} threads)`);
  }
  const teacherRates: Record<string, number> = {};
  for (const m of measurements.filter((x) => x.row === "mlp-teacher-step" && x.ms)) teacherRates[m.backend] = teacherFlops / (m.ms! * 1e6);
  const peerTeacher = peer.rows?.["mlp-teacher-step"];
  if (peerTeacher) teacherRates.pytorch = teacherFlops / (peerTeacher.ms * 1e6);
  for (const [b, gflops] of Object.entries(teacherRates)) {
    const share = peak ? ` = ${((gflops / peak.gflops) * 100).toFixed(0)}% of the sgemm peak` : "";
    console.log(`[bench] teacher step on ${b}: ${gflops.toFixed(1)} GFLOP/s in its matrix products (${(teacherFlops / 1e9).toFixed(2)} GFLOP per step)${share}`);
  }

  // What a user waits for: the latest quick-suite and full-mode notebook runs.
  const notebooks = listNotebooks();
  const runTimes = readRunTimes(reportsDir(), notebooks, path.join(repoRoot(), "results", "reference"));
  for (const line of formatRunTimes(runTimes, notebooks.length)) console.log(`[bench] ${line}`);

  const cpus = os.cpus();
  // A run of some rows (--only) must not replace the full table that the README is built from.
  const out = path.join(reportsDir(), "bench", only.length ? "bench-only.json" : "bench.json");
  writeJsonAtomic(out, {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus[0]?.model ?? "unknown",
      cores: os.availableParallelism(),
      memoryGB: +(os.totalmem() / 2 ** 30).toFixed(1),
      platform: `${os.platform()} ${os.release()}`,
      node: process.version,
      loadAverage: os.loadavg().map((x) => +x.toFixed(2)),
    },
    defaultBackend: defaultChoice.name,
    backends: loaded,
    openblas: blasInfo() ?? null,
    sgemmPeak: peak ?? null,
    teacherStep: { flops: teacherFlops, gflopsByBackend: teacherRates },
    runTimes,
    tfjs: tf.version.tfjs,
    config: cfg,
    rows: rows.map((r) => ({ name: r.name, examples: r.examples, describe: r.describe })),
    measurements,
    peer,
    table: printed,
  });
  console.log(`[bench] wrote ${path.relative(repoRoot(), out)}`);
}

if (require.main === module) main().catch((e) => {
  console.error(`[bench] failed: ${(e as Error).stack?.split("\n").slice(0, 4).join("\n")}`);
  process.exit(1);
});
