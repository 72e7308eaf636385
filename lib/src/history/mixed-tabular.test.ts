import { test } from "node:test";
import assert from "node:assert/strict";
import { encodeMixed, mixedTabular, randomMixedPseudoData } from "./mixed-tabular";
import { munge } from "./munge";

const spec = { n: 400, continuous: 3, nominal: 2, levels: 4, labelNoise: 0, seed: 1 };

test("mixedTabular: nominal codes are levels, labels follow one rule for train and test, both classes occur", () => {
  const t = mixedTabular(spec, 9);
  assert.deepEqual(t.nominalMask, [false, false, false, true, true]);
  for (let i = 0; i < t.n; i++) for (const a of [3, 4]) assert.ok([0, 1, 2, 3].includes(t.x[i * 5 + a]));
  const ones = t.labels.reduce((s, y) => s + y, 0);
  assert.ok(ones > 40 && ones < 360, `class balance ${ones}/400`);
  assert.deepEqual(mixedTabular(spec, 9).x, t.x);
  // Same rule, other rows: a row copied into another draw gets the same label (no noise), so the rule is shared.
  const u = mixedTabular({ ...spec, seed: 2 }, 9);
  assert.notDeepEqual(u.x, t.x);
  assert.throws(() => mixedTabular({ ...spec, levels: 1 }, 9), /levels=1/);
  assert.throws(() => mixedTabular({ ...spec, labelNoise: 0.5 }, 9), /labelNoise=0.5/);
});

test("encodeMixed: one-hot by hand; a non-level value is named", () => {
  const e = encodeMixed({ x: new Float32Array([0.5, 2, -1, 0]), n: 2, dim: 2 }, [false, true], 3);
  assert.equal(e.dim, 4);
  assert.deepEqual(Array.from(e.x), [0.5, 0, 0, 1, -1, 1, 0, 0]);
  assert.throws(() => encodeMixed({ x: new Float32Array([0.5, 1.5]), n: 1, dim: 2 }, [false, true], 3), /value 1.5, not a level/);
});

test("MUNGE keeps nominal codes valid (swap), random pseudo-data too", () => {
  const t = mixedTabular(spec, 9);
  const m = munge(t, { p: 0.5, s: 2, multiplier: 3, seed: 4, nominal: t.nominalMask });
  const r = randomMixedPseudoData(t, t.nominalMask, 4, 500, 5);
  for (const tab of [m, r]) for (let i = 0; i < tab.n; i++) for (const a of [3, 4]) assert.ok([0, 1, 2, 3].includes(tab.x[i * 5 + a]), `row ${i} attr ${a}: ${tab.x[i * 5 + a]}`);
  assert.throws(() => randomMixedPseudoData(t, t.nominalMask, 4, 0, 5), /count=0/);
});
