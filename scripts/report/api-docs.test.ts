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
    // Only the public API gets pages: an entry point does, a helper exported from its own file does not.
    assert.ok(fs.existsSync(path.join(dir, "functions", "fitGmdh.html")));
    assert.ok(!fs.existsSync(path.join(dir, "functions", "checkTemperature.html")), "checkTemperature (a helper of distillation/temperature.ts) is not public");
    // The compact theme: an interface page keeps its preview and every member with its doc comment, without
    // the member summary and menu that repeat the preview's list.
    const iface = fs.readFileSync(path.join(dir, "interfaces", "TrainConfig.html"), "utf8");
    assert.match(iface, /<span class="tsd-signature-keyword">interface<\/span>/, "the interface preview");
    assert.match(iface, /id="validationfraction"/, "a member's own section");
    assert.match(iface, /Side of the square images, needed for jitter/, "a member's doc comment");
    assert.doesNotMatch(iface, /tsd-index-group|tsd-page-navigation/, "no repeated member lists");
    // A class has no preview, so its page keeps the "On This Page" menu.
    assert.match(fs.readFileSync(path.join(dir, "classes", "Mlp.html"), "utf8"), /tsd-page-navigation/);
    assert.equal(apiReferenceFresh(dir), true, "a reference just built is fresh");
    assert.equal(buildApiReference(dir).built, false, "a fresh reference is not rebuilt");
  } finally {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  }
});
