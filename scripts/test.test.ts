/** Tests for the test runner's own parsing: test discovery and pass/fail counts. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { findTestFiles, stageCounts, tapCounts } from "./test";

test("findTestFiles finds *.test.ts recursively, skipping node_modules and dist", () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-find-"));
  for (const f of ["lib/src/a.test.ts", "lib/src/deep/b.test.ts", "lib/src/c.ts", "lib/dist/d.test.ts", "lib/src/node_modules/e.test.ts", "scripts/f.test.ts"]) {
    fs.mkdirSync(path.dirname(path.join(root, f)), { recursive: true });
    fs.writeFileSync(path.join(root, f), "");
  }
  assert.deepEqual(findTestFiles(root, ["lib/src", "scripts", "absent"]), ["lib/src/a.test.ts", "lib/src/deep/b.test.ts", "scripts/f.test.ts"]);
  fs.rmSync(root, { recursive: true, force: true });
});

test("counts are read from TAP summaries and stage outputs", () => {
  assert.deepEqual(tapCounts("ok 1\n# tests 5\n# pass 4\n# fail 1\n# cancelled 2\n"), { passed: 4, failed: 3 });
  assert.equal(tapCounts("garbage"), undefined);
  assert.deepEqual(stageCounts("x: 9 passed, 9 failed\n3 passed, 1 failed in 20 s"), { passed: 3, failed: 1 });
  assert.equal(stageCounts("crash"), undefined);
});
