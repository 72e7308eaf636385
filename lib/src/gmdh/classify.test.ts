import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { initBackend } from "../core/backend";
import { classifyGmdh, countGmdhClassifierParams, fitGmdhClassifier, gmdhAccuracy, gmdhClassScores } from "./classify";
import { selectColumns, varyingColumns } from "./columns";
import { countGmdhParams, predictGmdh } from "./network";

test("one-vs-rest GMDH separates three classes defined by quadratic boundaries", async () => {
  await initBackend();
  const rng = makeRng(3);
  const make = (n: number) => {
    const x: number[][] = [];
    const labels: number[] = [];
    for (let r = 0; r < n; r++) {
      const v = [rng.normal(), rng.normal(), rng.normal()];
      const radius = v[0] ** 2 + v[1] ** 2;
      x.push(v);
      labels.push(radius < 0.7 ? 0 : v[0] * v[1] > 0 ? 1 : 2); // a disc, then two pairs of quadrants
    }
    return { x, labels };
  };
  const train = make(600);
  const testSet = make(300);
  const { classifier, fits } = await fitGmdhClassifier({ ...train, classes: 3 }, { keep: 3, maxLayers: 3 });
  assert.equal(fits.length, 3);
  const acc = gmdhAccuracy(classifier, testSet.x, testSet.labels);
  assert.ok(acc > 0.9, `accuracy ${acc}`);
  // Scores are the per-class networks' outputs, and the class is their argmax.
  const scores = gmdhClassScores(classifier, testSet.x.slice(0, 5));
  const direct = classifier.models.map((m) => predictGmdh(m, testSet.x.slice(0, 5)));
  for (let r = 0; r < 5; r++) for (let c = 0; c < 3; c++) assert.equal(scores[r * 3 + c], direct[c][r]);
  const cls = classifyGmdh(classifier, testSet.x.slice(0, 5));
  for (let r = 0; r < 5; r++) assert.equal(cls[r], [0, 1, 2].reduce((b, c) => (direct[c][r] > direct[b][r] ? c : b), 0));
  assert.equal(countGmdhClassifierParams(classifier), classifier.models.reduce((s, m) => s + countGmdhParams(m), 0));
});

test("labels outside 0..classes-1 are rejected", async () => {
  await assert.rejects(fitGmdhClassifier({ x: [[0, 1], [1, 0]], labels: [0, 3], classes: 3 }), /label 3 in row 1 is outside 0..2/);
});

test("varyingColumns and selectColumns (hand-checked)", () => {
  const data = [1, 5, 0, 1, 6, 0, 1, 7, 0]; // 3 rows × 3 cols; columns 0 and 2 constant
  assert.deepEqual(varyingColumns(data, 3, 3), [1]);
  assert.deepEqual(Array.from(selectColumns(data, 3, 3, [1, 0])), [5, 1, 6, 1, 7, 1]);
});
