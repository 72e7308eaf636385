/**
 * A/B timing of the `blas` backend's fused paths against tfjs's own ops, interleaved in one process so
 * that every variant and every row sees the same machine load: in each round, every (row, variant) pair
 * runs `--steps` timed steps (after warm-up), in an order that alternates between rounds; the table gives
 * each pair's median over all rounds and the load average before and after. Beside wall time it reports
 * the process's CPU time per step (user + system, all threads), which waiting for a core under load
 * inflates much less. When both mlp-student-step and kd-student-step (or ce-loss and kd-loss) are timed,
 * it also prints the KD loss's overhead per variant: the median over rounds of that round's KD median
 * over its cross-entropy median, minus 1 (pairing by round cancels slow drifts of the load).
 * Timings on a loaded machine compare variants; they are not final figures (npm run bench is the
 * measurement).
 *
 * Rows: those of bench.ts, plus two that time the loss alone (value and gradient with respect to the
 * [128, 10] logits, 20 calls per step, no network): ce-loss (plain cross-entropy) and kd-loss (the
 * distillation loss as bench.ts's kd-student-step calls it). Their difference is what the KD loss adds
 * to a student step, without the matrix products whose timings a loaded machine scatters most.
 * Variants: all-fused (everything on, the KD loss's per-row pass native), kd-js (that pass in JS),
 * kd-ops (the KD loss op by op), no-optimizer, no-xent, no-layers, update-2-threads, none (all off).
 * Usage: npx tsx scripts/bench-ab.ts [--rows=mlp-student-step,kd-student-step] [--rounds=7] [--steps=5]
 *        [--variants=all-fused,kd-js,kd-ops]
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../lib/src/core/backend";
import { setUpdateThreads } from "../lib/src/core/blas-backend";
import { parseCliArgs } from "../lib/src/core/config";
import { setFusedCrossEntropy } from "../lib/src/core/fused-cross-entropy";
import { setDistillationKernelPath, setFusedDistillation } from "../lib/src/core/fused-distillation";
import { setFusedLayers } from "../lib/src/core/fused-layers";
import { setFusedOptimizers } from "../lib/src/core/fused-optimizers";
import { crossEntropyLoss } from "../lib/src/core/train";
import { distillationLoss } from "../lib/src/distillation/losses";
import { ROWS, type BenchRow } from "./bench";

interface Switches {
  optimizer?: boolean;
  crossEntropy?: boolean;
  layers?: boolean;
  distillation?: boolean;
  distillationPath?: "native" | "js";
  updateThreads?: number;
}

/** Each variant switches the fused paths before its steps; what it does not name is on (one update thread). */
const set = (s: Switches) => () => {
  setFusedOptimizers(s.optimizer ?? true);
  setFusedCrossEntropy(s.crossEntropy ?? true);
  setFusedLayers(s.layers ?? true);
  setFusedDistillation(s.distillation ?? true);
  setDistillationKernelPath(s.distillationPath ?? "native");
  setUpdateThreads(s.updateThreads ?? 1);
};
const VARIANTS: Record<string, () => void> = {
  "all-fused": set({}),
  "kd-js": set({ distillationPath: "js" }),
  "kd-ops": set({ distillation: false }),
  "no-optimizer": set({ optimizer: false }),
  "no-xent": set({ crossEntropy: false }),
  "no-layers": set({ layers: false }),
  "update-2-threads": set({ updateThreads: 2 }),
  "none": set({ optimizer: false, crossEntropy: false, layers: false, distillation: false }),
};

/** The loss alone, value and gradient with respect to the logits, as the student steps of bench.ts call it. */
function lossRow(name: string, kd: boolean): BenchRow {
  return {
    name,
    examples: 128,
    describe: `${kd ? "distillation loss (T=4, w=0.9, cached teacher logits)" : "cross-entropy"} and its gradient on [128, 10] logits, 20 calls`,
    setup() {
      const rng = makeRng(8);
      const tensor = (scale: number) => tf.tensor2d(Float32Array.from({ length: 1280 }, () => rng.normal() * scale), [128, 10]);
      const logits = tensor(2);
      const teacher = tensor(3);
      const labels = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: 128 }, () => rng.int(10)), "int32"), 10) as tf.Tensor2D);
      const loss = kd
        ? (z: tf.Tensor) => distillationLoss(z, teacher, labels, { T: 4, softWeight: 0.9, teacherIs: "logits" }, false)
        : (z: tf.Tensor) => crossEntropyLoss(labels, z as tf.Tensor2D);
      const grad = tf.valueAndGrad(loss);
      return {
        run() {
          for (let i = 0; i < 20; i++) {
            tf.tidy(() => {
              const { value, grad: g } = grad(logits);
              value.dataSync();
              g.dataSync();
            });
          }
        },
        dispose: () => tf.dispose([logits, teacher, labels]),
      };
    },
  };
}
const LOSS_ROWS = [lossRow("ce-loss", false), lossRow("kd-loss", true)];

/** Pairs whose ratio is the KD loss's overhead: [cross-entropy row, distillation row]. */
const KD_PAIRS: [string, string][] = [["mlp-student-step", "kd-student-step"], ["ce-loss", "kd-loss"]];

const DEFAULTS = { rows: "mlp-student-step,kd-student-step", rounds: 7, steps: 5, warmup: 3, variants: Object.keys(VARIANTS).join(",") };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const cfg = parseCliArgs(process.argv.slice(2), DEFAULTS);
  const variants = cfg.variants.split(",").map((v) => v.trim());
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`--variants names ${v}; known: ${Object.keys(VARIANTS).join(", ")}`);
  const known = [...ROWS, ...LOSS_ROWS];
  const rows = cfg.rows.split(",").map((name) => {
    const row = known.find((r) => r.name === name.trim());
    if (!row) throw new Error(`--rows names ${name}; known: ${known.map((r) => r.name).join(", ")}`);
    return row;
  });
  const choice = await initBackend("blas");
  console.log(`[ab] ${choice.reason}`);
  const loadBefore = os.loadavg()[0];
  const pairs = rows.flatMap((row) => variants.map((v) => ({ row: row.name, v, key: `${row.name} ${v}` })));
  // Per pair and round: the timed steps' wall and CPU milliseconds.
  const wall = new Map(pairs.map((p) => [p.key, [] as number[][]]));
  const cpu = new Map(pairs.map((p) => [p.key, [] as number[][]]));
  const runs = rows.map((r) => ({ name: r.name, ...r.setup() }));
  const run = (name: string) => runs.find((r) => r.name === name)!.run();
  const tensorsAfterWarmup: number[] = [];
  try {
    for (const p of pairs) {
      VARIANTS[p.v]();
      for (let i = 0; i < cfg.warmup; i++) await run(p.row);
    }
    tensorsAfterWarmup.push(tf.memory().numTensors);
    for (let round = 0; round < cfg.rounds; round++) {
      const order = round % 2 ? [...pairs].reverse() : pairs;
      for (const p of order) {
        VARIANTS[p.v]();
        await run(p.row); // one untimed step after switching
        const w: number[] = [], c: number[] = [];
        for (let i = 0; i < cfg.steps; i++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await run(p.row);
          w.push(performance.now() - t0);
          const dc = process.cpuUsage(c0);
          c.push((dc.user + dc.system) / 1000);
        }
        wall.get(p.key)!.push(w);
        cpu.get(p.key)!.push(c);
      }
    }
    tensorsAfterWarmup.push(tf.memory().numTensors);
  } finally {
    VARIANTS["all-fused"]();
    for (const r of runs) r.dispose();
  }
  const loadAfter = os.loadavg()[0];
  console.log(
    `[ab] load average ${loadBefore.toFixed(2)} -> ${loadAfter.toFixed(2)} on ${os.availableParallelism()} cores; ${cfg.rounds} rounds x ${cfg.steps} steps per pair; ` +
      `tensors ${tensorsAfterWarmup.join(" -> ")} (after warm-up -> at the end)`,
  );
  const all = (m: Map<string, number[][]>, key: string) => m.get(key)!.flat();
  for (const row of rows) {
    const base = `${row.name} ${variants[0]}`;
    const wBase = median(all(wall, base)), cBase = median(all(cpu, base));
    console.log(`[ab] ${row.name}:`);
    for (const v of variants) {
      const key = `${row.name} ${v}`;
      const w = median(all(wall, key)), c = median(all(cpu, key));
      console.log(
        `[ab]   ${v.padEnd(16)} wall ${w.toFixed(3)} ms (${((w / wBase - 1) * 100).toFixed(1)}%)  cpu ${c.toFixed(3)} ms (${((c / cBase - 1) * 100).toFixed(1)}%)  vs ${variants[0]}`,
      );
    }
  }
  for (const [ce, kd] of KD_PAIRS) {
    if (!rows.some((r) => r.name === ce) || !rows.some((r) => r.name === kd)) continue;
    console.log(`[ab] KD loss overhead, ${kd} over ${ce} (median over rounds of the per-round ratio of medians):`);
    for (const v of variants) {
      const ratios = (m: Map<string, number[][]>) => {
        const a = m.get(`${ce} ${v}`)!, b = m.get(`${kd} ${v}`)!;
        return median(a.map((steps, i) => median(b[i]) / median(steps) - 1));
      };
      const diff = median(all(wall, `${kd} ${v}`)) - median(all(wall, `${ce} ${v}`));
      console.log(`[ab]   ${v.padEnd(16)} wall ${(ratios(wall) * 100).toFixed(1)}%  cpu ${(ratios(cpu) * 100).toFixed(1)}%  (difference of wall medians ${diff.toFixed(3)} ms)`);
    }
  }
}

main().catch((e) => {
  console.error(`[ab] failed: ${(e as Error).message}`);
  process.exit(1);
});
