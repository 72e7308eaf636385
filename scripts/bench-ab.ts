/**
 * A/B timing of the `blas` backend's fused paths against tfjs's own ops, interleaved in one process so
 * that both variants see the same machine load: for each round, every variant runs `--steps` timed steps
 * of the row (after warm-up), in alternating order; the table gives each variant's median over all rounds
 * and the load average before and after. Timings on a loaded machine compare variants, they are not final
 * figures (npm run bench is the measurement). Beside wall time it reports the process's CPU time per
 * step (user + system, all threads), which waiting for a core under load inflates much less.
 * Usage: npx tsx scripts/bench-ab.ts [--rows=mlp-student-step,cnn-teacher-step] [--rounds=7] [--steps=5]
 *        [--variants=all-fused,no-optimizer]
 */
import * as os from "node:os";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/src/core/backend";
import { setUpdateThreads } from "../lib/src/core/blas-backend";
import { parseCliArgs } from "../lib/src/core/config";
import { setFusedCrossEntropy } from "../lib/src/core/fused-cross-entropy";
import { setFusedLayers } from "../lib/src/core/fused-layers";
import { setFusedOptimizers } from "../lib/src/core/fused-optimizers";
import { ROWS } from "./bench";

/** Each variant switches the fused paths on or off before its steps. */
const set = (optimizer: boolean, crossEntropy: boolean, layers: boolean, updateThreads = 1) => () => {
  setFusedOptimizers(optimizer);
  setFusedCrossEntropy(crossEntropy);
  setFusedLayers(layers);
  setUpdateThreads(updateThreads);
};
const VARIANTS: Record<string, () => void> = {
  "all-fused": () => set(true, true, true)(),
  "no-optimizer": () => set(false, true, true)(),
  "no-xent": () => set(true, false, true)(),
  "no-layers": () => set(true, true, false)(),
  "update-2-threads": () => set(true, true, true, 2)(),
  "none": () => set(false, false, false)(),
};

const DEFAULTS = { rows: "mlp-student-step", rounds: 7, steps: 5, warmup: 3, variants: Object.keys(VARIANTS).join(",") };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(): Promise<void> {
  const cfg = parseCliArgs(process.argv.slice(2), DEFAULTS);
  const variants = cfg.variants.split(",").map((v) => v.trim());
  for (const v of variants) if (!VARIANTS[v]) throw new Error(`--variants names ${v}; known: ${Object.keys(VARIANTS).join(", ")}`);
  const choice = await initBackend("blas");
  console.log(`[ab] ${choice.reason}`);
  for (const name of cfg.rows.split(",").map((r) => r.trim())) {
    const row = ROWS.find((r) => r.name === name);
    if (!row) throw new Error(`--rows names ${name}; known: ${ROWS.map((r) => r.name).join(", ")}`);
    const loadBefore = os.loadavg()[0];
    const times: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
    const cpu: Record<string, number[]> = Object.fromEntries(variants.map((v) => [v, []]));
    const r = row.setup();
    try {
      for (const v of variants) {
        VARIANTS[v]();
        for (let i = 0; i < cfg.warmup; i++) await r.run();
      }
      for (let round = 0; round < cfg.rounds; round++) {
        const order = round % 2 ? [...variants].reverse() : variants;
        for (const v of order) {
          VARIANTS[v]();
          await r.run(); // one untimed step after switching
          for (let i = 0; i < cfg.steps; i++) {
            const c0 = process.cpuUsage();
            const t0 = performance.now();
            await r.run();
            times[v].push(performance.now() - t0);
            const c = process.cpuUsage(c0);
            cpu[v].push((c.user + c.system) / 1000);
          }
        }
      }
    } finally {
      VARIANTS["all-fused"]();
      r.dispose();
    }
    const base = median(times[variants[0]]);
    const cpuBase = median(cpu[variants[0]]);
    console.log(`[ab] ${name}: load ${loadBefore.toFixed(2)} -> ${os.loadavg()[0].toFixed(2)}, ${cfg.rounds} rounds x ${cfg.steps} steps, tensors ${tf.memory().numTensors}`);
    for (const v of variants) {
      const m = median(times[v]);
      const c = median(cpu[v]);
      console.log(
        `[ab]   ${v.padEnd(14)} wall ${m.toFixed(2)} ms (${((m / base - 1) * 100).toFixed(1)}%)  cpu ${c.toFixed(2)} ms (${((c / cpuBase - 1) * 100).toFixed(1)}%)  vs ${variants[0]}`,
      );
    }
  }
}

main().catch((e) => {
  console.error(`[ab] failed: ${(e as Error).message}`);
  process.exit(1);
});
