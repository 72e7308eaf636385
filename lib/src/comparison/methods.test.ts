import { test } from "node:test";
import assert from "node:assert/strict";
import { COMPARISON_DEFAULTS, COMPARISON_METHODS, comparisonMethod, comparisonMethodNames, ensembleSeeds } from "./methods";
import { compareMethods, MethodSummary } from "./summary";
import { stableStringify } from "../core/store";

test("the registry rejects unknown names and lists the valid ones", () => {
  for (const bad of ["distill", "OBD", "", "teacher "]) {
    assert.throws(
      () => comparisonMethod(bad),
      (e: Error) => e.message.includes(JSON.stringify(bad)) && comparisonMethodNames().every((n) => e.message.includes(n)),
      `unknown name ${JSON.stringify(bad)}`,
    );
  }
  for (const name of comparisonMethodNames()) assert.equal(comparisonMethod(name).name, name);
});

test("every entry is complete, uniquely named, and its config is JSON-able and changes with its own keys", () => {
  const names = comparisonMethodNames();
  assert.equal(new Set(names).size, names.length, "names are unique");
  for (const m of COMPARISON_METHODS) {
    assert.ok(m.label && m.paper && /^[0-9]{2}_[a-z0-9_]+$/.test(m.notebook), `${m.name}: label, paper and a notebook name`);
    assert.ok(m.year >= 1960 && m.year <= 2025, `${m.name}: year ${m.year}`);
    const cfg = m.config(COMPARISON_DEFAULTS);
    assert.deepEqual(JSON.parse(stableStringify(cfg)), JSON.parse(JSON.stringify(cfg)), `${m.name}: config survives JSON`);
  }
  // A row must be recomputed when something it depends on changes, and only then.
  const changed = { ...COMPARISON_DEFAULTS, studentEpochs: COMPARISON_DEFAULTS.studentEpochs + 1 };
  const moves = (name: string) => stableStringify(comparisonMethod(name).config(COMPARISON_DEFAULTS)) !== stableStringify(comparisonMethod(name).config(changed));
  assert.equal(moves("hardStudent"), true);
  assert.equal(moves("distillEnsemble"), true);
  assert.equal(moves("teacher"), false);
  assert.equal(moves("obd"), false);
  assert.equal(moves("gmdh"), false);
});

test("ensemble members: the row's own teacher first, then the other row seeds, then derived seeds", () => {
  assert.deepEqual(ensembleSeeds(3, 3, [1, 2, 3, 4, 5]), [3, 4, 5]);
  assert.deepEqual(ensembleSeeds(5, 3, [1, 2, 3, 4, 5]), [5, 1, 2]);
  const q = ensembleSeeds(2, 3, [1, 2]);
  assert.deepEqual(q.slice(0, 2), [2, 1]);
  assert.ok(![1, 2].includes(q[2]), "a derived third member");
  const s = ensembleSeeds(1, 3);
  assert.equal(s.length, 3);
  assert.equal(s[0], 1);
  assert.equal(new Set(s).size, 3);
  assert.deepEqual(ensembleSeeds(1, 3), s, "deterministic");
  assert.throws(() => ensembleSeeds(1, 0), /ensembleSize=0/);
});

test("compareMethods: the one significance rule, paired by seed (hand-computed)", () => {
  const row = (method: string, accuracies: number[], seeds = [1, 2, 3]): MethodSummary => {
    const n = accuracies.length;
    const mean = accuracies.reduce((x, y) => x + y, 0) / n;
    const sd = n > 1 ? Math.sqrt(accuracies.reduce((x, y) => x + (y - mean) ** 2, 0) / (n - 1)) : 0;
    return { method, label: method.toUpperCase(), year: 2015, paper: "", notebook: "", source: "computed", seeds, accuracies, n,
      accuracyMean: mean, accuracySd: sd, nonZeroParams: 1, inferenceMsPer1000: 1, trainSeconds: 1, epochs: 1, details: "", onParetoFront: false };
  };
  // a − b per seed: 0.02, 0.03, 0.01: mean 0.02, sd 0.01, se 0.01/√3 = 0.005774; 2se = 0.0115 < 0.02: supported.
  // Unpaired the seeds' spread (a: 0.90, 0.95, 0.85) would hide it: se = sqrt(0.05²/3 + 0.05²/3) = 0.0408.
  const s = [row("a", [0.92, 0.98, 0.86]), row("b", [0.9, 0.95, 0.85]), row("c", [0.93, 0.9, 0.96]), row("d", [0.5], [1])];
  const ab = compareMethods(s, "a", "b", "A beats B")!;
  assert.ok(Math.abs(ab.difference - 0.02) < 1e-12);
  assert.ok(Math.abs(ab.standardError - 0.01 / Math.sqrt(3)) < 1e-12);
  assert.equal(ab.design, "paired");
  assert.equal(ab.aBetter, true);
  assert.match(ab.sentence, /^Supported/);
  // a − c: −0.01, 0.08, −0.10: mean −0.01, not significant.
  const ac = compareMethods(s, "a", "c", "A beats C")!;
  assert.equal(ac.aBetter || ac.bBetter, false);
  assert.match(ac.sentence, /^Not settled/);
  const ba = compareMethods(s, "b", "a", "B beats A")!;
  assert.equal(ba.bBetter, true);
  assert.match(ba.sentence, /^Contradicted/);
  // A deterministic row (one value, e.g. GMDH) is a constant: one-sample against the other side's seeds.
  // a: mean 0.92, sd 0.06, se 0.03464; d = 0.5: difference 0.42 > 2se.
  const ad = compareMethods(s, "a", "d", "A beats D")!;
  assert.equal(ad.design, "one-sample");
  assert.ok(Math.abs(ad.standardError - 0.06 / Math.sqrt(3)) < 1e-9);
  assert.equal(ad.aBetter, true);
  assert.match(compareMethods([row("a", [0.9, 0.91], [1, 2]), row("b", [0.8, 0.81], [1, 2])], "a", "b", "two seeds")!.sentence, /^Not settled.*2 seeds: the rule needs 3/);
  assert.equal(compareMethods(s, "a", "zzz", "?"), undefined);
});
