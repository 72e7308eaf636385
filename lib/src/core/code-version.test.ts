import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { codeVersion, NATIVE_KERNELS, TRAINING_CODE_MODULES } from "./code-version";
import { repoRoot } from "./paths";

test("codeVersion: sha-256 over the sorted modules' names and bytes, order-independent", () => {
  const mods = ["core/train.ts", "core/models.ts"];
  const h = createHash("sha256");
  for (const m of [...mods].sort()) {
    h.update(`${m}\0`);
    h.update(fs.readFileSync(path.join(repoRoot(), "lib", "src", m)));
    h.update("\0");
  }
  assert.equal(codeVersion(mods), h.digest("hex").slice(0, 16));
  assert.equal(codeVersion([...mods].reverse()), codeVersion(mods));
  assert.notEqual(codeVersion(["core/train.ts"]), codeVersion(["core/models.ts"]));
  assert.match(codeVersion(TRAINING_CODE_MODULES), /^[0-9a-f]{16}$/);
});

test("codeVersion: a misnamed module is an error naming it", () => {
  assert.throws(() => codeVersion(["core/nope.ts"]), /core\/nope\.ts not found/);
  assert.throws(() => codeVersion(["../../etc/passwd"]), /must look like "area\/file\.ts"/);
});

test("codeVersion: the native kernels' C sources are part of the training code version", () => {
  const dir = path.join(repoRoot(), "native");
  const sources = fs.readdirSync(dir).filter((f) => /^kdh_[a-z0-9_]+\.[ch]$/.test(f)).sort();
  assert.ok(sources.includes("kdh_optim.c") && sources.includes("kdh_distill.h"), `found ${sources}`);
  const h = createHash("sha256");
  h.update(`${NATIVE_KERNELS}\0`);
  for (const f of sources) {
    h.update(`${f}\0`);
    h.update(fs.readFileSync(path.join(dir, f)));
    h.update("\0");
  }
  h.update("\0");
  assert.equal(codeVersion([NATIVE_KERNELS]), h.digest("hex").slice(0, 16), "the hash of every native/kdh_*.c and .h, by name and bytes");
  assert.ok(TRAINING_CODE_MODULES.includes(NATIVE_KERNELS), "every trained network's cache key covers the native code");
});
