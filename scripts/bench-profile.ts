/**
 * Where a benchmark row's time goes, kernel by kernel (tf.profile): each kernel name and input shapes
 * with its mean time per step and its share of the kernels' total. On a loaded machine read the shares,
 * not the milliseconds. `--fused=false` switches the blas backend's fused optimizer updates, losses
 * (cross-entropy and distillation) and layers off, to see the op-by-op picture.
 * Usage: npx tsx scripts/bench-profile.ts [--row=mlp-student-step] [--steps=10] [--warmup=5] [--top=30] [--fused=true]
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../lib/src/core/backend";
import { parseCliArgs } from "../lib/src/core/config";
import { setFusedCrossEntropy } from "../lib/src/core/fused-cross-entropy";
import { setFusedDistillation } from "../lib/src/core/fused-distillation";
import { setFusedLayers } from "../lib/src/core/fused-layers";
import { setFusedOptimizers } from "../lib/src/core/fused-optimizers";
import { ROWS } from "./bench";

const DEFAULTS = { row: "mlp-student-step", steps: 10, warmup: 5, top: 30, fused: true };

async function main(): Promise<void> {
  const cfg = parseCliArgs(process.argv.slice(2), DEFAULTS);
  const row = ROWS.find((r) => r.name === cfg.row);
  if (!row) throw new Error(`--row=${cfg.row} is not a benchmark row; known: ${ROWS.map((r) => r.name).join(", ")}`);
  const choice = await initBackend();
  console.log(`[profile] ${choice.reason}`);
  setFusedOptimizers(cfg.fused);
  setFusedCrossEntropy(cfg.fused);
  setFusedDistillation(cfg.fused);
  setFusedLayers(cfg.fused);
  const r = row.setup();
  const perKernel = new Map<string, { ms: number; calls: number }>();
  try {
    for (let i = 0; i < cfg.warmup; i++) await r.run();
    for (let i = 0; i < cfg.steps; i++) {
      const info = await tf.profile(async () => {
        await r.run();
      });
      for (const k of info.kernels) {
        const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
        const a = perKernel.get(key) ?? { ms: 0, calls: 0 };
        a.ms += (await k.kernelTimeMs) as number;
        a.calls += 1;
        perKernel.set(key, a);
      }
    }
  } finally {
    r.dispose();
  }
  const rows = [...perKernel.entries()].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((s, [, v]) => s + v.ms, 0);
  const calls = rows.reduce((s, [, v]) => s + v.calls, 0);
  console.log(`[profile] ${cfg.row}, fused=${cfg.fused}: ${(total / cfg.steps).toFixed(2)} ms in ${calls / cfg.steps} kernels per step`);
  for (const [key, v] of rows.slice(0, cfg.top)) {
    console.log(`${(v.ms / cfg.steps).toFixed(3).padStart(8)} ms ${((100 * v.ms) / total).toFixed(1).padStart(5)}%  x${v.calls / cfg.steps}  ${key}`);
  }
}

main().catch((e) => {
  console.error(`[profile] failed: ${(e as Error).message}`);
  process.exit(1);
});
