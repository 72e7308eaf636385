/**
 * Memory soak: repeats a quick-mode training workload for a fixed time and samples the process's
 * resident memory and the tfjs tensor count after every round. A leak of tensors or of native/wasm
 * memory shows up as a count or an RSS that keeps climbing; a healthy run plateaus after warm-up.
 *
 *   npx tsx scripts/soak.ts --minutes=10 [--backend=wasm] [--out=reports/soak/soak.json]
 *
 * Each round: build a fresh MLP teacher and student, train the teacher one epoch on 2,000 digits,
 * distil it into the student (soft targets at T = 4 computed once), evaluate both, save and reload
 * the student through the checksummed store, dispose everything.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import {
  buildMlp,
  crossEntropyLoss,
  evaluateClassifier,
  initBackend,
  loadNetwork,
  oneHot,
  parseCliArgs,
  reportsDir,
  saveNetwork,
  trainNetwork,
  writeJsonAtomic,
} from "@kdh/lib";
import { loadMnistDigits, splitDataset } from "@kdh/datasets";

const DEFAULTS = { minutes: 10, backend: "", out: "", examples: 2000 };

/** Soft cross-entropy at temperature T against teacher logits held in the targets, weighted by T². */
function softLoss(T: number) {
  return (teacherLogits: tf.Tensor2D, logits: tf.Tensor2D) =>
    tf.tidy(() => {
      const q = tf.softmax(tf.div(teacherLogits, T));
      const logp = tf.logSoftmax(tf.div(logits, T));
      return tf.mul(T * T, tf.neg(tf.mean(tf.sum(tf.mul(q, logp), 1)))) as tf.Scalar;
    });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main() {
  const opts = parseCliArgs(process.argv.slice(2), DEFAULTS);
  if (!(opts.minutes > 0)) throw new Error(`--minutes=${opts.minutes} must be > 0`);
  const choice = await initBackend(opts.backend || undefined);
  const [train, test] = splitDataset(loadMnistDigits(), [opts.examples, 1000], 0);
  const x = tf.tensor2d(train.images, [train.n, 784]);
  const y = oneHot(train.labels, 10);
  const xTest = tf.tensor2d(test.images, [test.n, 784]);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "soak-"));
  const samples: { round: number; seconds: number; rssMb: number; heapMb: number; tensors: number; teacherAcc: number; studentAcc: number }[] = [];
  const start = Date.now();
  const deadline = start + opts.minutes * 60_000;
  console.log(`soak on ${choice.name} for ${opts.minutes} min`);
  for (let round = 1; Date.now() < deadline; round++) {
    const teacher = buildMlp({ inputSize: 784, hidden: [256, 256], classes: 10, dropout: 0.2, seed: round });
    await trainNetwork(teacher, { x, targets: y, labels: train.labels }, crossEntropyLoss, { epochs: 1, seed: round }, { progress: null });
    const teacherLogits = teacher.predict(x);
    const student = buildMlp({ inputSize: 784, hidden: [64], classes: 10, seed: round + 1000 });
    await trainNetwork(student, { x, targets: teacherLogits }, softLoss(4), { epochs: 1, learningRate: 0.01, seed: round }, { progress: null });
    const teacherAcc = evaluateClassifier(teacher, xTest, test.labels).accuracy;
    saveNetwork(path.join(tmp, "student"), student);
    const loaded = loadNetwork(path.join(tmp, "student"));
    if (!loaded.ok) throw new Error(`reload failed: ${loaded.reason}`);
    const studentAcc = evaluateClassifier(loaded.net, xTest, test.labels).accuracy;
    [teacher, student, loaded.net].forEach((n) => n.dispose());
    teacherLogits.dispose();
    if (global.gc) global.gc();
    const m = process.memoryUsage();
    const s = { round, seconds: (Date.now() - start) / 1000, rssMb: m.rss / 2 ** 20, heapMb: m.heapUsed / 2 ** 20, tensors: tf.memory().numTensors, teacherAcc, studentAcc };
    samples.push(s);
    console.log(`round ${round}  t=${s.seconds.toFixed(0)} s  rss ${s.rssMb.toFixed(0)} MB  heap ${s.heapMb.toFixed(0)} MB  tensors ${s.tensors}  acc ${teacherAcc.toFixed(3)}/${studentAcc.toFixed(3)}`);
  }
  tf.dispose([x, y, xTest]);
  fs.rmSync(tmp, { recursive: true, force: true });
  if (samples.length < 4) throw new Error(`only ${samples.length} rounds in ${opts.minutes} min; run longer to judge a trend`);
  const q = Math.max(1, Math.floor(samples.length / 4));
  // Compare the second quarter (after warm-up allocations) with the last quarter.
  const early = median(samples.slice(q, 2 * q).map((s) => s.rssMb));
  const late = median(samples.slice(-q).map((s) => s.rssMb));
  const tensorGrowth = samples[samples.length - 1].tensors - samples[0].tensors;
  const summary = { backend: choice.name, minutes: opts.minutes, rounds: samples.length, rssEarlyMb: early, rssLateMb: late, rssGrowthMb: late - early, tensorGrowth, samples };
  const out = opts.out || path.join(reportsDir(), "soak", "soak.json");
  writeJsonAtomic(out, summary);
  console.log(`\n${samples.length} rounds; RSS median ${early.toFixed(0)} MB (2nd quarter) → ${late.toFixed(0)} MB (last quarter); tensor count change ${tensorGrowth}; written to ${out}`);
  // A plateau allows allocator noise; a leak of one model per round (~1 MB+) over a 10-minute soak would exceed this.
  const ok = tensorGrowth === 0 && late - early < Math.max(50, 0.15 * early);
  console.log(ok ? "memory flat: PASS" : "memory grew: FAIL");
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(2);
});
