/**
 * The distillation loss's per-row pass, native (native/kdh_distill.c) and JS (distillationLossJs), on
 * plain Float32Array heaps: the loss against an independent float64 reference written straight from the
 * formula (log-softmax by max subtraction, sums over classes), every gradient against central finite
 * differences of that reference, the two implementations against each other, hand arithmetic for one
 * row, the incoming-gradient scaling, and the native call's errors. The tfjs side (kernels, registered
 * gradient, training steps) is tested in distillation/fused-loss.test.ts.
 */
import { test } from "node:test";
import { spawnSync } from "node:child_process";
import * as assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { loadBlasNative, type BlasNative } from "./blas-native";
import { distillationLossJs, distillationParams, fusedDistillationEnabled, type DistillationKernelAttrs, type DistillationLossFn } from "./fused-distillation";

let native: BlasNative | undefined;
let nativeWhy = "";
try {
  native = loadBlasNative();
  if (!native.distillationLoss) nativeWhy = "the addon has no distillationLoss (rebuild it: node native/build.mjs --force)";
} catch (e) {
  nativeWhy = `no native addon here: ${(e as Error).message}`;
}
const nativeFn: DistillationLossFn | undefined = native?.distillationLoss ? native.distillationLoss.bind(native) : undefined;

const rng = makeRng(2015);

type Labels = "none" | "float32" | "int32";
interface Case {
  name: string;
  rows: number;
  classes: number;
  o: DistillationKernelAttrs;
  labels: Labels;
  /** Standard deviation of the logits. */
  scale: number;
}

/** The loss from the formula, in float64 (the oracle): w T² soft + (1 - w) hard, averaged over rows. */
function referenceLoss(c: Case, z: Float64Array, v: Float64Array, y: Float64Array | null): number {
  const logSoftmax = (x: number[]) => {
    const m = Math.max(...x);
    const lse = m + Math.log(x.reduce((s, a) => s + Math.exp(a - m), 0));
    return x.map((a) => a - lse);
  };
  const { T, softWeight: w } = c.o;
  let total = 0;
  for (let r = 0; r < c.rows; r++) {
    const row = (a: Float64Array) => Array.from(a.subarray(r * c.classes, (r + 1) * c.classes));
    const zr = row(z), vr = row(v);
    if (w > 0) {
      const logQ = logSoftmax(zr.map((a) => a / T));
      const logP = c.o.teacherIs === "probs" ? vr.map((p) => (p > 0 ? Math.log(p) : 0)) : logSoftmax(vr.map((a) => a / T));
      const p = c.o.teacherIs === "probs" ? vr : logP.map(Math.exp);
      let soft = 0;
      for (let i = 0; i < c.classes; i++) {
        if (c.o.softTerm === "kl") soft += p[i] > 0 ? p[i] * (logP[i] - logQ[i]) : 0;
        else soft -= p[i] * logQ[i];
      }
      total += w * T * T * soft;
    }
    if (w < 1 && y) {
      const ls = logSoftmax(zr);
      total -= (1 - w) * row(y).reduce((s, yi, i) => s + yi * ls[i], 0);
    }
  }
  return total / c.rows;
}

/** Inputs exactly representable in float32, so that the kernels and the reference see the same numbers. */
function inputs(c: Case) {
  const n = c.rows * c.classes;
  const z = Float64Array.from({ length: n }, () => Math.fround(rng.normal() * c.scale));
  let v = Float64Array.from({ length: n }, () => Math.fround(rng.normal() * c.scale));
  if (c.o.teacherIs === "probs") {
    // Rows of probabilities at T, with an exact zero in the first row to exercise 0 log 0.
    v = v.map((a) => Math.exp(a / c.scale));
    if (c.classes > 1) v[0] = 0;
    for (let r = 0; r < c.rows; r++) {
      let s = 0;
      for (let i = 0; i < c.classes; i++) s += v[r * c.classes + i];
      for (let i = 0; i < c.classes; i++) v[r * c.classes + i] = Math.fround(v[r * c.classes + i] / s);
    }
  }
  let y: Float64Array | null = null;
  if (c.labels !== "none") {
    y = new Float64Array(n);
    for (let r = 0; r < c.rows; r++) y[r * c.classes + rng.int(c.classes)] = 1;
  }
  return { z, v, y };
}

interface Outputs { loss: number; dz: Float32Array; dv: Float32Array; dy: Float32Array }

/**
 * Lays the inputs out in one heap at odd offsets, fills the outputs with NaN (so an element left unwritten
 * shows), and runs `fn` as the kernels do: the loss alone, then each gradient alone with incoming gradient g.
 */
function run(fn: DistillationLossFn, c: Case, d: ReturnType<typeof inputs>, g = 1, together = false): Outputs {
  const n = c.rows * c.classes;
  const at = { z: 3, v: 3 + n + 1, y: 3 + 2 * n + 2, loss: 3 + 3 * n + 3, g: 3 + 3 * n + 5, dz: 3 + 3 * n + 7, dv: 3 + 4 * n + 8, dy: 3 + 5 * n + 9 };
  const heap = new Float32Array(3 + 6 * n + 12).fill(NaN);
  heap.set(d.z, at.z);
  heap.set(d.v, at.v);
  if (d.y && c.labels === "int32") new Int32Array(heap.buffer, at.y * 4, n).set(d.y);
  else if (d.y) heap.set(d.y, at.y);
  heap[at.g] = g;
  const params = distillationParams(c.o, c.labels === "int32");
  const y = d.y ? at.y : -1;
  if (together) {
    fn(heap, Float64Array.of(at.z, at.v, y, at.loss, at.dz, at.dv, d.y ? at.dy : -1, at.g), c.rows, c.classes, params);
  } else {
    fn(heap, Float64Array.of(at.z, at.v, y, at.loss, -1, -1, -1, -1), c.rows, c.classes, params);
    fn(heap, Float64Array.of(at.z, at.v, y, -1, at.dz, -1, -1, at.g), c.rows, c.classes, params);
    fn(heap, Float64Array.of(at.z, at.v, y, -1, -1, at.dv, -1, at.g), c.rows, c.classes, params);
    if (d.y) fn(heap, Float64Array.of(at.z, at.v, y, -1, -1, -1, at.dy, at.g), c.rows, c.classes, params);
  }
  return { loss: heap[at.loss], dz: heap.slice(at.dz, at.dz + n), dv: heap.slice(at.dv, at.dv + n), dy: d.y ? heap.slice(at.dy, at.dy + n) : new Float32Array(0) };
}

/** Central finite differences of the reference loss with respect to each entry of `x` (one of z, v, y). */
function finiteDifferences(c: Case, d: ReturnType<typeof inputs>, which: "z" | "v" | "y"): Float64Array {
  const x = d[which]!;
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const keep = x[i];
    // A teacher probability of exactly 0 sits on the edge of the domain of p log p (KL): no two-sided difference.
    if (which === "v" && c.o.teacherIs === "probs" && c.o.softTerm === "kl" && keep === 0) {
      out[i] = NaN;
      continue;
    }
    // The step follows the softmaxes' length scale (T for the soft term, 1 for the hard one); small
    // enough that the cubic term is negligible, large enough that float64 rounding of a loss of up to
    // ~1e3 (T² log N at T = 20) stays below 1e-8 in the quotient. A teacher probability's step is relative
    // to it: the KL term's p log p curves on the scale of p itself.
    const h = which === "v" && c.o.teacherIs === "probs" ? 1e-4 * (keep > 0 ? keep : 1) : 1e-4 * Math.min(1, c.o.T);
    x[i] = keep + h;
    const up = referenceLoss(c, d.z, d.v, d.y);
    x[i] = keep - h;
    const down = referenceLoss(c, d.z, d.v, d.y);
    x[i] = keep;
    out[i] = (up - down) / (2 * h);
  }
  return out;
}

/**
 * Gradients: the kernels compute in float64 and round each entry to float32 once (relative error 6e-8);
 * the central differences (see finiteDifferences for the step) are good to about 1e-8 of the gradient's
 * scale here. A tolerance of 1e-6 of the largest entry leaves room for both and still catches any
 * wrong term, which would be off by a sizeable fraction of that scale.
 */
function assertGradClose(got: Float32Array, want: Float64Array, label: string): void {
  assert.equal(got.length, want.length, `${label}: length`);
  let scale = 0;
  for (const w of want) if (Number.isFinite(w)) scale = Math.max(scale, Math.abs(w));
  const tol = 1e-6 * scale + 1e-12;
  for (let i = 0; i < want.length; i++) {
    if (Number.isNaN(want[i])) continue; // no finite difference there (see finiteDifferences)
    if (!(Math.abs(got[i] - want[i]) <= tol)) assert.fail(`${label}[${i}]: kernel ${got[i]}, finite difference ${want[i]} (tolerance ${tol})`);
  }
}

/** The loss: both sides are float64 from the same float32 inputs; the kernel rounds once to float32 (2^-24 relative). */
function assertLossClose(got: number, want: number, label: string): void {
  const tol = 2 ** -23 * Math.abs(want) + 1e-12;
  if (!(Math.abs(got - want) <= tol)) assert.fail(`${label}: kernel ${got}, reference ${want} (tolerance ${tol})`);
}

const CASES: Case[] = [];
for (const teacherIs of ["logits", "probs"] as const) {
  for (const softTerm of ["cross-entropy", "kl"] as const) {
    for (const T of [1, 4, 20]) {
      for (const softWeight of [0, 0.5, 1]) {
        for (const labels of ["none", "float32", "int32"] as const) {
          CASES.push({
            name: `${teacherIs}, ${softTerm}, T=${T}, w=${softWeight}, labels ${labels}`,
            rows: 1 + rng.int(9), classes: [1, 3, 5, 7, 11, 13][rng.int(6)], o: { T, softWeight, teacherIs, softTerm }, labels, scale: 3,
          });
        }
      }
    }
  }
}
const EXTREME: Case[] = [
  { name: "logits ~1e4 at T = 1 (exp would overflow without the max shift)", rows: 5, classes: 10, o: { T: 1, softWeight: 0.5, teacherIs: "logits", softTerm: "kl" }, labels: "int32", scale: 1e4 },
  { name: "logits ~1e3 at T = 0.05 (z/T ~ 2e4)", rows: 4, classes: 7, o: { T: 0.05, softWeight: 0.9, teacherIs: "logits", softTerm: "cross-entropy" }, labels: "float32", scale: 1e3 },
  { name: "logits ~1e4 at T = 20, probabilities", rows: 3, classes: 9, o: { T: 20, softWeight: 1, teacherIs: "probs", softTerm: "cross-entropy" }, labels: "none", scale: 1e4 },
  { name: "the bench's shape: 128 x 10, T = 4, w = 0.9", rows: 128, classes: 10, o: { T: 4, softWeight: 0.9, teacherIs: "logits", softTerm: "cross-entropy" }, labels: "int32", scale: 3 },
];

const impls: [string, DistillationLossFn | undefined, string][] = [
  ["js", distillationLossJs, ""],
  ["native", nativeFn, nativeWhy],
];

for (const [implName, fn, why] of impls) {
  for (const c of [...CASES, ...EXTREME]) {
    test(`distillation pass (${implName}) = float64 reference and its finite differences: ${c.name}, [${c.rows}, ${c.classes}]`, (t) => {
      if (!fn) return t.skip(why);
      const d = inputs(c);
      const got = run(fn, c, d);
      assertLossClose(got.loss, referenceLoss(c, d.z, d.v, d.y), "loss");
      assert.ok(Number.isFinite(got.loss), `loss ${got.loss}`);
      assertGradClose(got.dz, finiteDifferences(c, d, "z"), "dL/dlogits");
      assertGradClose(got.dv, finiteDifferences(c, d, "v"), "dL/dteacher");
      if (d.y) assertGradClose(got.dy, finiteDifferences(c, d, "y"), "dL/dlabels");
    });
  }
}

test("native and JS passes agree to float32 rounding, one call for everything = one call per output, g scales every gradient", (t) => {
  if (!nativeFn) return t.skip(nativeWhy);
  for (const c of [...CASES.filter((_, i) => i % 7 === 0), ...EXTREME]) {
    const d = inputs(c);
    const a = run(nativeFn, c, d, -2.5);
    const b = run(distillationLossJs, c, d, -2.5);
    const all = run(nativeFn, c, d, -2.5, true);
    const one = run(nativeFn, c, d, 1);
    // Same float64 loop; only libm's exp/log and V8's may differ in the last bit before the float32 rounding.
    const close = (x: number, y: number, scale: number) => Math.abs(x - y) <= 2 ** -22 * Math.abs(scale) + 1e-30;
    assert.ok(close(a.loss, b.loss, a.loss), `${c.name}: loss native ${a.loss}, js ${b.loss}`);
    assert.equal(all.loss, one.loss, `${c.name}: loss alone or with the gradients`);
    for (const k of ["dz", "dv", "dy"] as const) {
      const scale = Math.max(...Array.from(a[k], Math.abs));
      a[k].forEach((x, i) => {
        assert.ok(close(x, b[k][i], scale), `${c.name}: ${k}[${i}] native ${x}, js ${b[k][i]}`);
        assert.equal(all[k][i], x, `${c.name}: ${k}[${i}] in one call or alone`);
        assert.ok(Math.abs(x - -2.5 * one[k][i]) <= 2 ** -22 * 2.5 * scale + 1e-30, `${c.name}: ${k}[${i}] with g = -2.5: ${x}, g = 1: ${one[k][i]}`);
      });
    }
  }
});

test("hand arithmetic: one row, two classes", () => {
  // z = [ln 3, 0] → q = [3/4, 1/4]; teacher logits [0, 0] → p = [1/2, 1/2]; T = 1, w = 1.
  // CE = -(1/2)(ln 3/4 + ln 1/4) = (1/2) ln(16/3); KL = CE - ln 2 = (1/2) ln(4/3); dL/dz = q - p = [1/4, -1/4].
  const c: Case = { name: "hand", rows: 1, classes: 2, o: { T: 1, softWeight: 1, teacherIs: "logits", softTerm: "cross-entropy" }, labels: "none", scale: 1 };
  const d = { z: Float64Array.of(Math.fround(Math.log(3)), 0), v: Float64Array.of(0, 0), y: null };
  for (const [, fn] of impls) {
    if (!fn) continue;
    const ce = run(fn, c, d);
    assertLossClose(ce.loss, 0.5 * Math.log(16 / 3), "CE");
    assert.ok(Math.abs(ce.dz[0] - 0.25) < 1e-7 && Math.abs(ce.dz[1] + 0.25) < 1e-7, `dz ${ce.dz}`);
    const kl = run(fn, { ...c, o: { ...c.o, softTerm: "kl" } }, d);
    assertLossClose(kl.loss, 0.5 * Math.log(4 / 3), "KL");
    // Hard term only, label 0: L = -ln q_0 at T = 1 = ln(4/3); dL/dz = q - y = [-1/4, 1/4].
    const hard = run(fn, { ...c, o: { ...c.o, softWeight: 0 }, labels: "float32" }, { ...d, y: Float64Array.of(1, 0) });
    assertLossClose(hard.loss, Math.log(4 / 3), "hard");
    assert.ok(Math.abs(hard.dz[0] + 0.25) < 1e-7 && Math.abs(hard.dz[1] - 0.25) < 1e-7, `dz ${hard.dz}`);
  }
});

test("the native pass rejects bad offsets and parameters with a message naming them", (t) => {
  if (!nativeFn) return t.skip(nativeWhy);
  const heap = new Float32Array(64);
  const params = distillationParams({ T: 2, softWeight: 0.5, teacherIs: "logits", softTerm: "kl" }, false);
  const call = (offsets: number[], p = params, rows = 2, classes = 5) => () => nativeFn(heap, Float64Array.from(offsets), rows, classes, p);
  assert.throws(call([0, 10, 20, 30, 58, -1, -1, -1]), /'dz' range \[58, 68\) is outside its array of 64 floats/);
  assert.throws(call([0, 60, -1, 30, -1, -1, -1, -1]), /'v' range \[60, 70\) is outside/);
  assert.throws(call([-1, 10, -1, 30, -1, -1, -1, -1]), /needs the offsets of z and v/);
  assert.throws(call([0, 10, -1, 30, -1, -1, -1, 64]), /'g' range \[64, 65\) is outside/);
  assert.throws(call([0, 10, -1, 30, -1, -1, -1]), /offsets must be a Float64Array of 8/);
  assert.throws(call([0, 10, -1, 30, -1, -1, -1, -1], Float64Array.of(0, 0.5, 0, 0, 0)), /finite T > 0 and softWeight in \[0, 1\], got T = 0, softWeight = 0.5/);
  assert.throws(call([0, 10, -1, 30, -1, -1, -1, -1], Float64Array.of(2, 1.5, 0, 0, 0)), /softWeight = 1.5/);
  assert.throws(call([0, 10, -1, 30, -1, -1, -1, -1], params, 2, 0), /rows >= 0 and classes >= 1/);
});

test("KDH_FUSED=0 starts a process with the fused distillation loss off; unset, it is on", () => {
  assert.equal(fusedDistillationEnabled(), process.env.KDH_FUSED !== "0");
  const probe = `console.log(require(${JSON.stringify(require.resolve("./fused-distillation"))}).fusedDistillationEnabled())`;
  for (const [value, want] of [["0", "false"], ["1", "true"]]) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", probe], { env: { ...process.env, KDH_FUSED: value }, encoding: "utf8" });
    assert.equal(r.stdout.trim(), want, `KDH_FUSED=${value}: ${r.stderr}`);
  }
});
