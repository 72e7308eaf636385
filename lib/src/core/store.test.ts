import { test } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { readBlobSet, stableHash, withFileLock, writeBlobSet, writeFileAtomic } from "./store";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "store-"));

test("atomic writes leave no temporary files and replace the old content", () => {
  const dir = tmp();
  const file = path.join(dir, "a", "b.json");
  writeFileAtomic(file, "one");
  writeFileAtomic(file, "two");
  assert.equal(fs.readFileSync(file, "utf8"), "two");
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ["b.json"]);
});

test("blob sets round-trip, and a flipped byte, a truncation or a missing manifest is reported", () => {
  const dir = tmp();
  writeBlobSet(dir, { "w.bin": new Uint8Array([1, 2, 3, 4]), "s.json": "{}" }, { epoch: 3 });
  const ok = readBlobSet(dir);
  assert.ok(ok.ok && ok.meta.epoch === 3 && ok.blobs["w.bin"][2] === 3);
  fs.writeFileSync(path.join(dir, "w.bin"), new Uint8Array([1, 2, 9, 4]));
  const flipped = readBlobSet(dir);
  assert.ok(!flipped.ok && /fails its SHA-256 checksum/.test(flipped.reason));
  fs.writeFileSync(path.join(dir, "w.bin"), new Uint8Array([1, 2]));
  const cut = readBlobSet(dir);
  assert.ok(!cut.ok && /has 2 bytes, manifest says 4/.test(cut.reason));
  fs.rmSync(path.join(dir, "manifest.json"));
  assert.ok(!readBlobSet(dir).ok);
});

test("stable hashes ignore key order and see value changes", () => {
  assert.equal(stableHash({ a: 1, b: [1, 2] }), stableHash({ b: [1, 2], a: 1 }));
  assert.notEqual(stableHash({ a: 1 }), stableHash({ a: 2 }));
});

test("the file lock serialises concurrent holders and takes over from a dead one", async () => {
  const dir = tmp();
  const target = path.join(dir, "entry");
  const order: string[] = [];
  await Promise.all(
    ["a", "b", "c"].map((name) =>
      withFileLock(target, async () => {
        order.push(`${name}+`);
        await new Promise((r) => setTimeout(r, 30));
        order.push(`${name}-`);
      }),
    ),
  );
  // Each holder leaves before the next enters.
  for (let i = 0; i < order.length; i += 2) assert.equal(order[i].slice(0, -1), order[i + 1].slice(0, -1));
  // A lock left by a process that no longer exists is taken over.
  const child = spawn(process.execPath, ["-e", "0"]);
  await new Promise((r) => child.on("exit", r));
  fs.writeFileSync(`${target}.lock`, String(child.pid));
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...a: unknown[]) => void warnings.push(a.join(" "));
  try {
    assert.equal(await withFileLock(target, () => 42, 5000), 42);
  } finally {
    console.warn = warn;
  }
  assert.deepEqual(warnings, [`taking over ${target}.lock: pid ${child.pid} that held it is no longer running (a killed run).`]);
});
