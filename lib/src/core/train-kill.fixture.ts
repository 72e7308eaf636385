/**
 * Child process for the SIGKILL test in train.test.ts: trains a small net with checkpoints and, in
 * "kill" mode, kills itself with SIGKILL in the middle of epoch 3; "resume" mode trains to the end
 * and prints the final weights as JSON.
 */
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { twoClassBlobs } from "@kdh/datasets";
import { initBackend } from "./backend";
import { buildMlp } from "./models";
import { crossEntropyLoss, oneHot, trainNetwork } from "./train";

(async () => {
  const [dir, mode] = process.argv.slice(2);
  await initBackend();
  const ds = twoClassBlobs({ n: 256, dim: 6, separation: 3, seed: 1 });
  const data = { x: tf.tensor2d(ds.x, [ds.n, 6]), targets: oneHot(ds.labels, 2) };
  const net = buildMlp({ inputSize: 6, hidden: [8], classes: 2, dropout: 0.2, seed: 9 });
  let steps = 0;
  const h = await trainNetwork(net, data, crossEntropyLoss, { epochs: 4, batchSize: 32, optimizer: "momentum", seed: 4 }, {
    progress: null,
    checkpointDir: path.join(dir, "ckpt"),
    afterStep: () => {
      // 8 steps per epoch: step 20 is in the middle of epoch 3.
      if (mode === "kill" && ++steps === 20) process.kill(process.pid, "SIGKILL");
    },
  });
  console.log(JSON.stringify({ resumedFrom: h.resumedFrom ?? null, weights: net.variables.map((v) => Array.from(v.dataSync())) }));
})();
