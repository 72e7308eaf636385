/** The API reference builds offline from lib/'s doc comments, and carries those comments. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { apiReferenceFresh, buildApiReference } from "./api-docs";

test("TypeDoc builds the API reference of @kdh/lib with the doc comments of its functions", { timeout: 180_000 }, () => {
  const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "kdh-api-")), "api");
  try {
    assert.equal(apiReferenceFresh(dir), false, "an absent reference is stale");
    const r = buildApiReference(dir, { force: true });
    assert.equal(r.built, true);
    assert.ok(fs.existsSync(path.join(dir, "index.html")));
    // One page per exported function, holding the formula from its doc comment.
    const page = fs.readFileSync(path.join(dir, "functions", "distillationLoss.html"), "utf8");
    assert.match(page, /Hinton et al\. \(2015\)/);
    assert.match(page, /studentLogits/);
    assert.equal(apiReferenceFresh(dir), true, "a reference just built is fresh");
    assert.equal(buildApiReference(dir).built, false, "a fresh reference is not rebuilt");
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
