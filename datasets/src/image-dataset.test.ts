import { test } from "node:test";
import assert from "node:assert/strict";
import { downsampleImages, filterClasses, ImageDataset, splitDataset } from "./image-dataset";
import { loadFashionMnist, loadMnistDigits } from "./mnist-family";

function tiny(n: number, rows: number, cols: number): ImageDataset {
  const images = Float32Array.from({ length: n * rows * cols }, (_, i) => i % (rows * cols));
  const labels = Uint8Array.from({ length: n }, (_, i) => i % 3);
  return { name: "tiny", images, labels, n, rows, cols, classes: 3, classNames: ["a", "b", "c"] };
}

test("downsampling by 2 averages each 2x2 block (hand arithmetic)", () => {
  const ds = downsampleImages(tiny(1, 4, 4), 2, 2);
  // pixels 0..15 row-major; top-left block {0,1,4,5} averages 2.5, etc.
  assert.deepEqual(Array.from(ds.images), [2.5, 4.5, 10.5, 12.5]);
});

test("downsampling 3 → 2 weights partial overlaps and keeps the mean", () => {
  const ds = downsampleImages(tiny(1, 3, 3), 2, 2);
  const meanIn = (0 + 1 + 2 + 3 + 4 + 5 + 6 + 7 + 8) / 9;
  const meanOut = ds.images.reduce((a, b) => a + b, 0) / 4;
  assert.ok(Math.abs(meanIn - meanOut) < 1e-6);
  // top-left output covers rows/cols [0, 1.5): weights 2/3 and 1/3 in each direction
  const expected = ((0 * 2 + 1) * 2 + (3 * 2 + 4)) / 9;
  assert.ok(Math.abs(ds.images[0] - expected) < 1e-6, `${ds.images[0]} vs ${expected}`);
});

test("splits are disjoint, sized as asked, and repeat for a seed", () => {
  const ds = tiny(50, 2, 2);
  const [a, b] = splitDataset(ds, [30, 15], 7);
  const [a2] = splitDataset(ds, [30, 15], 7);
  assert.equal(a.n, 30);
  assert.equal(b.n, 15);
  assert.deepEqual(a.images, a2.images);
  assert.throws(() => splitDataset(ds, [40, 20], 1), /exceed the 50 examples/);
});

test("filterClasses keeps or drops the named classes", () => {
  const ds = tiny(9, 1, 1);
  assert.deepEqual(Array.from(filterClasses(ds, [1]).labels), [1, 1, 1]);
  assert.ok(!Array.from(filterClasses(ds, [1], false).labels).includes(1));
});

test("the 10,000 npm digits load shuffled (not sorted by class) with every class present", () => {
  const ds = loadMnistDigits();
  assert.equal(ds.n, 10000);
  const first100 = new Set(Array.from(ds.labels.subarray(0, 100)));
  assert.equal(first100.size, 10);
  assert.ok(ds.images.every((v) => v >= 0 && v <= 1));
});

test("Fashion-MNIST test split has the official 10,000 images of 28x28", () => {
  const ds = loadFashionMnist("test");
  assert.equal(ds.n, 10000);
  assert.equal(ds.rows, 28);
  assert.equal(loadFashionMnist("test", { limit: 100 }).n, 100);
});

test("a missing Fashion-MNIST folder says how to install it", () => {
  const old = process.env.FASHION_MNIST_DIR;
  process.env.FASHION_MNIST_DIR = "/nonexistent/fashion";
  try {
    assert.throws(() => loadFashionMnist("train"), /missing data file \/nonexistent\/fashion\/train-images-idx3-ubyte/);
  } finally {
    if (old === undefined) delete process.env.FASHION_MNIST_DIR;
    else process.env.FASHION_MNIST_DIR = old;
  }
});
