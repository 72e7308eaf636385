/**
 * Child process for regulariser.test.ts: runs a tiny section 5 grid with its caches in argv[2]; with
 * argv[3] = "kill" it SIGKILLs itself once `argv[4]` runs have finished (mid-grid, as a user's Ctrl-C or an
 * out-of-memory kill would), otherwise it finishes and prints the result as one JSON line.
 */
import { initBackend } from "../core/backend";
import { loadRegulariserData, runSoftTargetRegulariser, type RegulariserConfig } from "./regulariser";

export const TINY_GRID: RegulariserConfig = {
  teacher: "mlp", cnnChannels: [4, 8], cnnDense: 16, cnnDropout: 0, cnnEpochs: 1,
  mlpHidden: [32], mlpDropout: 0.2, mlpInputDropout: 0, mlpMaxNorm: 3.5, mlpEpochs: 3, jitterPixels: 0, teacherLr: 0.01, teacherBatchSize: 32,
  studentHidden: [16], shares: [0.1, 0.5, 1], lrGrid: [0.01, 0.003], maxEpochs: 3, patience: 2, roundImages: 100, batchSize: 32, T: 4, softWeight: 1, seeds: [0, 1, 2],
};

async function main(): Promise<void> {
  const [dir, mode, after] = process.argv.slice(2);
  process.env.KDH_CACHE_DIR = dir;
  await initBackend();
  const data = loadRegulariserData({ source: "digits", trainSize: 300, valSize: 100, testSize: 100, imageSize: 8, seed: 0 });
  const killAfter = mode === "kill" ? Number(after) : Infinity;
  const r = await runSoftTargetRegulariser(data, TINY_GRID, {
    experiment: "kill-test",
    log: () => undefined,
    progress: (p) => {
      if (p.done >= killAfter) process.kill(process.pid, "SIGKILL");
    },
  });
  data.dispose();
  console.log(JSON.stringify({ runsFromCache: r.runsFromCache, runsComputed: r.runsComputed, results: r.results }));
}

void main();
