import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { encodeIdx, readIdx } from "./idx";
import { loadFashionMnist, loadIdxPair } from "./mnist-family";

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "idx-test-"));
const images = Uint8Array.from({ length: 3 * 2 * 2 }, (_, i) => i * 20);
const labels = Uint8Array.from([0, 2, 1]);

function write(name: string, bytes: Uint8Array, gzip = false): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, gzip ? zlib.gzipSync(bytes) : bytes);
  return file;
}

test("reads a plain and a gzipped IDX file with the shape of its header", () => {
  for (const gzip of [false, true]) {
    const file = write(`img${gzip ? ".gz" : ""}`, encodeIdx([3, 2, 2], images), gzip);
    const idx = readIdx(file);
    assert.deepEqual(idx.shape, [3, 2, 2]);
    assert.deepEqual(Array.from(idx.data), Array.from(images));
  }
});

test("an image/label pair becomes a dataset scaled to [0, 1]", () => {
  const ds = loadIdxPair(write("i", encodeIdx([3, 2, 2], images)), write("l", encodeIdx([3], labels)), "tiny", ["a", "b", "c"]);
  assert.equal(ds.n, 3);
  assert.equal(ds.images[5], Math.fround((5 * 20) / 255));
  assert.deepEqual(Array.from(ds.labels), [0, 2, 1]);
});

// Each kind of damage is named as what it is; every message names the file and ends with the fix.
const FIX = "reinstall dataset-fashion-mnist (sudo apt-get install --reinstall dataset-fashion-mnist), or point FASHION_MNIST_DIR at a good copy";
const corruptCount = (): Uint8Array => {
  const b = encodeIdx([3, 2, 2], images);
  new DataView(b.buffer).setUint32(4, 0x7a3f9c01, false); // a flipped count field
  return b;
};
const corruptRows = (): Uint8Array => {
  const b = encodeIdx([3, 2, 2], images);
  new DataView(b.buffer).setUint32(8, 0x00ff00ff, false);
  return b;
};
const bad: [string, () => Uint8Array | Buffer, RegExp][] = [
  ["truncated data", () => encodeIdx([3, 2, 2], images).subarray(0, 20), /: the file is truncated: its header promises 3x2x2 = 12 bytes of data but the file holds 4 \(1 of 3 items complete\)/],
  ["truncated header", () => encodeIdx([3, 2, 2], images).subarray(0, 9), /: the file is truncated: it ends inside its header \(9 of 16 bytes\)/],
  ["empty file", () => new Uint8Array(0), /: the file is empty \(0 bytes/],
  ["corrupt count in the header", corruptCount, /: corrupt header: it promises 2050989057x2x2 = \d+ bytes of data, not a plausible image or label file \(the file holds 12\)/],
  ["corrupt size in the header", corruptRows, /: corrupt header: it promises 3x16711935x2/],
  ["zero dimension", () => encodeIdx([0, 2, 2], new Uint8Array(0)), /: corrupt header: a zero dimension \(0x2x2\)/],
  ["wrong magic", () => Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), /: not an IDX file: bad magic number 0x504b0304 \(it looks like a zip archive\)/],
  ["an html page", () => Buffer.from("<!DOCTYPE html><html>404</html>"), /not an IDX file: bad magic number 0x3c21444f \(it looks like an HTML or XML page: a failed download\?\)/],
  ["unsupported element type", () => { const b = encodeIdx([3], labels); b[2] = 0x0d; return b; }, /: corrupt header: element type 0xd \(float\) where MNIST-family files hold 0x08/],
  ["too many dimensions", () => { const b = encodeIdx([3], labels); b[3] = 9; return b; }, /: corrupt header: 9 dimensions, expected 1 \(labels\) to 3 \(images\)/],
  ["extra bytes", () => Uint8Array.from([...encodeIdx([3], labels), 7]), /: corrupt: the file holds 4 bytes of data but its header promises 3 = 3/],
  ["corrupt gzip", () => zlib.gzipSync(encodeIdx([3], labels)).subarray(0, 15), /: the gzip data is corrupt or truncated/],
];
for (const [what, bytes, message] of bad) {
  test(`rejects ${what}, naming the file, the damage and the fix`, () => {
    const file = write(what.replace(/ /g, "_"), bytes());
    assert.throws(() => readIdx(file, FIX), (e: Error) => {
      assert.match(e.message, message);
      assert.ok(e.message.startsWith(file + ": "), e.message);
      assert.ok(e.message.endsWith(`; ${FIX}.`), e.message);
      return true;
    });
  });
}

test("Fashion-MNIST through FASHION_MNIST_DIR: a corrupt header says so and how to fix it", () => {
  const fashion = fs.mkdtempSync(path.join(os.tmpdir(), "fashion-bad-"));
  const old = process.env.FASHION_MNIST_DIR;
  try {
    fs.writeFileSync(path.join(fashion, "t10k-images-idx3-ubyte"), corruptCount());
    fs.writeFileSync(path.join(fashion, "t10k-labels-idx1-ubyte"), encodeIdx([3], labels));
    process.env.FASHION_MNIST_DIR = fashion;
    assert.throws(() => loadFashionMnist("test"), (e: Error) => {
      assert.match(e.message, /t10k-images-idx3-ubyte: corrupt header: .*; reinstall dataset-fashion-mnist .*, or point FASHION_MNIST_DIR at a good copy\.$/);
      assert.doesNotMatch(e.message, /truncated/);
      return true;
    });
  } finally {
    if (old === undefined) delete process.env.FASHION_MNIST_DIR;
    else process.env.FASHION_MNIST_DIR = old;
    fs.rmSync(fashion, { recursive: true, force: true });
  }
});

test("a missing file names the path", () => {
  assert.throws(() => readIdx(path.join(dir, "nope")), /cannot read IDX file .*nope/);
});

test("an image/label count mismatch is refused", () => {
  assert.throws(
    () => loadIdxPair(write("i2", encodeIdx([3, 2, 2], images)), write("l2", encodeIdx([2], labels.subarray(0, 2))), "x", ["a", "b", "c"]),
    /holds 3 images but .* holds 2 labels/,
  );
});
