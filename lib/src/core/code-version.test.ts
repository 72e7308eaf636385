import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { codeVersion, TRAINING_CODE_MODULES } from "./code-version";
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
