import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as zlib from "node:zlib";
import { encodeIdx, readIdx } from "./idx";
import { loadIdxPair } from "./mnist-family";

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

const bad: [string, () => Uint8Array | Buffer, RegExp][] = [
  ["truncated data", () => encodeIdx([3, 2, 2], images).subarray(0, 20), /truncated/],
  ["truncated header", () => encodeIdx([3, 2, 2], images).subarray(0, 9), /ends inside the header/],
  ["empty file", () => new Uint8Array(0), /too short/],
  ["wrong magic", () => Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0, 0, 0]), /bad magic number 0x504b0304/],
  ["unsupported element type", () => { const b = encodeIdx([3], labels); b[2] = 0x0d; return b; }, /element type 0xd \(float\) is not supported/],
  ["extra bytes", () => Uint8Array.from([...encodeIdx([3], labels), 7]), /longer than its header says/],
  ["corrupt gzip", () => zlib.gzipSync(encodeIdx([3], labels)).subarray(0, 15), /gzip data is corrupt or truncated/],
];
for (const [what, bytes, message] of bad) {
  test(`rejects ${what} with a message naming the file`, () => {
    const file = write(what.replace(/ /g, "_"), bytes());
    assert.throws(() => readIdx(file), (e: Error) => message.test(e.message) && e.message.includes(file));
  });
}

test("a missing file names the path", () => {
  assert.throws(() => readIdx(path.join(dir, "nope")), /cannot read IDX file .*nope/);
});

test("an image/label count mismatch is refused", () => {
  assert.throws(
    () => loadIdxPair(write("i2", encodeIdx([3, 2, 2], images)), write("l2", encodeIdx([2], labels.subarray(0, 2))), "x", ["a", "b", "c"]),
    /holds 3 images but .* holds 2 labels/,
  );
});
