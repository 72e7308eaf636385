import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "./backend";
import { applyMaxNorm, nativeMaxNormActive, setNativeMaxNorm } from "./max-norm";

/** Runs `body` once on the native kernel and once on the tfjs ops; the native run skips (with the reason) off the blas backend. */
function testBothPaths(title: string, body: () => void): void {
  for (const native of [true, false]) {
    test(`${title} (${native ? "native kernel" : "tfjs ops"})`, async (t) => {
      await initBackend();
      setNativeMaxNorm(native);
      try {
        if (native && !nativeMaxNormActive()) return t.skip(`no native max-norm kernel on the ${tf.getBackend()} backend`);
        body();
      } finally {
        setNativeMaxNorm(true);
      }
    });
  }
}

/** The float64 reference: column j scaled by min(1, c / max(norm_j, 1e-12)), the norm summed in double. */
function reference(w: Float32Array, rows: number, cols: number, c: number): Float64Array {
  const norm = new Float64Array(cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) norm[j] += w[i * cols + j] ** 2;
  return Float64Array.from(w, (v, k) => v * Math.min(1, c / Math.max(Math.sqrt(norm[k % cols]), 1e-12)));
}

/**
 * A [rows, cols] matrix whose column j has norm targets[j] (a smooth pattern scaled in float64, then
 * rounded to float32, so the stored norm is within ~1e-7 relative of the target).
 */
function withColumnNorms(rows: number, targets: number[]): Float32Array {
  const cols = targets.length;
  const w = new Float32Array(rows * cols);
  for (let j = 0; j < cols; j++) {
    const col = Array.from({ length: rows }, (_, i) => Math.sin(1 + i * 7 + j * 13));
    const norm = Math.hypot(...col);
    col.forEach((v, i) => (w[i * cols + j] = (v / norm) * targets[j]));
  }
  return w;
}

testBothPaths("columns above c are scaled to c as a float64 reference does; one exactly at c, below c and all-zero columns are untouched", () => {
  const [rows, c] = [40, 5];
  const targets = [0.5, 4.999, 5.001, 7, 400, 0, 5];
  const w = withColumnNorms(rows, targets);
  // The last column is exactly at c in float32 too: 3 and 4 in two rows, zeros elsewhere (3² + 4² = 5², exact).
  for (let i = 0; i < rows; i++) w[i * targets.length + 6] = i === 0 ? 3 : i === 1 ? 4 : 0;
  const W = tf.variable(tf.tensor2d(w, [rows, targets.length]));
  const expected = reference(w, rows, targets.length, c);
  const before = tf.memory().numTensors;
  assert.equal(applyMaxNorm(W, c), 3, "columns 2, 3 and 4 exceed c");
  assert.equal(tf.memory().numTensors, before);
  const got = W.dataSync();
  // float32 in and out: the tfjs path sums 40 squares in float32 (relative error ~40·6e-8 in the norm, half
  // that in its root) and rounds the scale and product once more; 1e-6 relative covers both paths.
  expected.forEach((e, k) => assert.ok(Math.abs(got[k] - e) <= 1e-6 * Math.abs(e), `W[${k}]=${got[k]}, float64 reference ${e}`));
  // Columns with a scale of exactly 1 must come back bit for bit, not merely close.
  for (let k = 0; k < w.length; k++) if ([0, 1, 5, 6].includes(k % targets.length)) assert.equal(got[k], w[k], `untouched W[${k}] changed`);
  W.dispose();
});

testBothPaths("when no column exceeds c the variable keeps its memory (no assign); a rescale leaves tensors sharing the old memory unchanged", () => {
  const w = withColumnNorms(30, [1, 2, 0, 2.9]);
  const W = tf.variable(tf.tensor2d(w, [30, 4]));
  const id = W.dataId;
  assert.equal(applyMaxNorm(W, 3), 0);
  assert.equal(W.dataId, id, "W was reassigned although no column exceeds c");
  assert.deepEqual(W.dataSync(), w);
  // A clone shares the variable's memory (Identity on the blas backend): it must keep the values it had.
  const alias = W.clone();
  assert.equal(applyMaxNorm(W, 1.5), 2);
  assert.deepEqual(alias.dataSync(), w);
  const norms = tf.tidy(() => tf.sqrt(tf.sum(tf.square(W), 0)).dataSync());
  [1, 1.5, 0, 1.5].forEach((e, j) => assert.ok(Math.abs(norms[j] - e) < 1e-6, `column ${j}: norm ${norms[j]}, expected ${e}`));
  tf.dispose([alias, W]);
});

testBothPaths("a NaN column becomes all NaN (divergence shows) and counts as exceeding; others follow the rule", () => {
  const w = withColumnNorms(10, [1, 9, 1]);
  w[3 * 3] = NaN; // row 3, column 0
  const W = tf.variable(tf.tensor2d(w, [10, 3]));
  assert.equal(applyMaxNorm(W, 3), 2);
  const got = W.dataSync();
  for (let i = 0; i < 10; i++) {
    assert.ok(Number.isNaN(got[i * 3]), `W[${i}, 0]=${got[i * 3]} should be NaN`);
    assert.equal(got[i * 3 + 2], w[i * 3 + 2]);
  }
  W.dispose();
});

testBothPaths("no tensor is left over across repeated calls, and bad c or shapes are refused with the value named", () => {
  const W = tf.variable(tf.tensor2d(withColumnNorms(20, [4, 1, 8]), [20, 3]));
  const counts: number[] = [];
  for (let step = 0; step < 4; step++) {
    tf.tidy(() => W.assign(tf.mul(W, 1.5)));
    applyMaxNorm(W, 3);
    counts.push(tf.memory().numTensors);
  }
  assert.deepEqual(counts, counts.map(() => counts[0]), `tensor counts across steps: ${counts}`);
  assert.throws(() => applyMaxNorm(W, 0), /max-norm c=0 must be a finite number > 0/);
  assert.throws(() => applyMaxNorm(W, NaN), /c=NaN/);
  const v = tf.variable(tf.ones([2, 2, 2]));
  assert.throws(() => applyMaxNorm(v, 1), /float32 \[in, out\] weight matrix, got float32 \[2,2,2\]/);
  tf.dispose([v, W]);
});
