import { test } from "node:test";
import assert from "node:assert/strict";
import { checkPayload, jobKey, makePayload, MAX_PAYLOAD_BYTES } from "./payload";
import { findSweepRecipe } from "./recipes";
import { SELFTEST_RECIPE } from "./selftest-recipe";

const CODE = "0123456789abcdef";
const valid = makePayload(SELFTEST_RECIPE, { params: { variant: 1, rounds: 10, sleepMs: 0, failSeeds: [2], tag: "unit" }, seed: 3 }, CODE);
const check = (raw: unknown, jobId?: string) => checkPayload(raw, findSweepRecipe, { code: CODE, jobId });

test("a valid payload passes and its key is the job id", () => {
  const r = check(valid, jobKey(valid));
  assert.ok(r.ok, r.ok ? "" : r.reason);
  if (r.ok) assert.equal(r.key, jobKey(valid));
});

test("job keys: stable under key order, different for any change of parameters, seed, recipe or code", () => {
  const reordered = { code: CODE, seed: 3, params: { tag: "unit", failSeeds: [2], sleepMs: 0, rounds: 10, variant: 1 }, recipe: "selftest", v: 1 };
  assert.equal(jobKey(reordered), jobKey(valid));
  const keys = new Set([valid, { ...valid, seed: 4 }, { ...valid, code: "fedcba9876543210" }, { ...valid, params: { ...valid.params, rounds: 11 } }, { ...valid, recipe: "03_temperature" }].map(jobKey));
  assert.equal(keys.size, 5);
  assert.match(jobKey(valid), /^selftest-s3-[0-9a-f]{24}$/);
});

const p = valid.params;
const BAD: Array<[string, unknown, RegExp, string?]> = [
  ["not an object", [1, 2], /payload is number\[\], expected an object/],
  ["unknown payload key", { ...valid, path: "/etc" }, /unknown payload key\(s\) "path"/],
  ["wrong version", { ...valid, v: 2 }, /payload version 2, expected 1/],
  ["recipe name with a slash", { ...valid, recipe: "../selftest" }, /recipe name "\.\.\/selftest" is not 1-64 letters/],
  ["unknown recipe", { ...valid, recipe: "rm" }, /unknown recipe "rm"/],
  ["inherited name as recipe", { ...valid, recipe: "constructor" }, /unknown recipe "constructor"/],
  ["other code version", { ...valid, code: "fedcba9876543210" }, /made by code version fedcba9876543210; this worker runs 0123456789abcdef/],
  ["negative seed", { ...valid, seed: -1 }, /seed -1 is not a whole number/],
  ["fractional seed", { ...valid, seed: 1.5 }, /seed 1.5 is not a whole number/],
  ["params not an object", { ...valid, params: "x" }, /params is string, expected an object/],
  ["path-like key", { ...valid, params: { ...p, "../../x": 1 } }, /parameter name "\.\.\/\.\.\/x" is not a plain identifier/],
  ["prototype key", JSON.parse(`{"v":1,"recipe":"selftest","code":"${CODE}","seed":3,"params":{"variant":1,"rounds":10,"sleepMs":0,"failSeeds":[2],"tag":"unit","__proto__":{"x":1}}}`), /parameter name "__proto__" is not a plain identifier/],
  ["unknown parameter", { ...valid, params: { ...p, epochs: 3 } }, /unknown parameter "epochs" for recipe selftest/],
  ["inherited parameter name", { ...valid, params: { ...p, toString: 3 } }, /unknown parameter "toString"/],
  ["missing parameter", { ...valid, params: { variant: 1 } }, /missing parameter\(s\) rounds, sleepMs, failSeeds, tag/],
  ["number as string", { ...valid, params: { ...p, rounds: "10" } }, /parameter rounds="10" is a string, expected number/],
  ["out of range", { ...valid, params: { ...p, rounds: -5 } }, /rounds.*-5 is not a whole number, between 0 and 100000000/],
  ["not a whole number", { ...valid, params: { ...p, variant: 0.5 } }, /variant.*0.5 is not a whole number/],
  ["string in a number list", { ...valid, params: { ...p, failSeeds: ["1"] } }, /failSeeds=\["1"\] is a string\[\], expected number\[\]/],
  ["path in a string", { ...valid, params: { ...p, tag: "a/b" } }, /strings must be plain words/],
  ["dot-dot in a string", { ...valid, params: { ...p, tag: "a..b" } }, /strings must be plain words/],
  ["shell in a string", { ...valid, params: { ...p, tag: "$(reboot)" } }, /strings must be plain words/],
  ["oversized", { ...valid, params: { ...p, failSeeds: Array.from({ length: 5000 }, (_, i) => i) } }, new RegExp(`bytes, more than the ${MAX_PAYLOAD_BYTES} allowed`)],
  ["job id of another payload", valid, /job id "selftest-s3-x" is not the key of its payload/, "selftest-s3-x"],
];

test("hostile or malformed payloads are rejected with a reason naming the bad part", () => {
  for (const [what, raw, re, id] of BAD) {
    const r = check(raw, id);
    assert.equal(r.ok, false, `${what}: accepted`);
    if (!r.ok) assert.match(r.reason, re, `${what}: ${r.reason}`);
  }
});
