import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { gaussianTail, gaussianInputs, machineErrorRate, machineLabels } from "./perceptron";
import { pairAtOverlaps } from "./tree-pair.fixture";
import {
  parityCriticalAlpha,
  parityEnergetic,
  parityEnergeticSlope,
  parityEntropySlope,
  parityErrorFromOverlaps,
  parityGibbsEntropy,
  parityGibbsState,
} from "./parity-theory";

/** E[m^2n] for m = 1 − 2H(γt), t ~ N(0,1), n = 1..nMax, by a plain trapezoid. */
function evenMoments(R: number, nMax: number): Float64Array {
  const g = Math.sqrt(R / (1 - R));
  const mom = new Float64Array(nMax + 1);
  const h = 0.002;
  for (let t = -10; t <= 10; t += h) {
    const m = 1 - 2 * gaussianTail(g * t);
    const wt = (h * Math.exp(-0.5 * t * t)) / Math.sqrt(2 * Math.PI);
    let mp = 1;
    for (let n = 1; n <= nMax; n++) {
      mp *= m * m;
      mom[n] += wt * mp;
    }
  }
  return mom;
}

test("parityEnergetic against the series −ln 2 + Σ (E[m^2n])²/(2n(2n−1)) (independent branches, x = m₁m₂)", () => {
  for (const R of [0.2, 0.6, 0.9]) {
    const mom = evenMoments(R, 3000);
    let series = Math.log(0.5);
    for (let n = 1; n < mom.length; n++) series += (mom[n] * mom[n]) / (2 * n * (2 * n - 1));
    assert.ok(Math.abs(parityEnergetic(R) - series) < 1e-4, `R=${R}: ${parityEnergetic(R)} vs series ${series}`);
  }
  assert.equal(parityEnergetic(0), Math.log(0.5));
});

test("dG₂/dR and ds/dR match central finite differences", () => {
  for (const R of [0.05, 0.3, 0.7, 0.95]) {
    const h = 1e-5 * Math.min(1, 1 - R) ;
    const fd = (parityEnergetic(R + h) - parityEnergetic(R - h)) / (2 * h);
    assert.ok(Math.abs(fd - parityEnergeticSlope(R)) < 1e-5 * Math.max(1, Math.abs(fd)), `R=${R}: ${fd} vs ${parityEnergeticSlope(R)}`);
    const fs = (parityGibbsEntropy(R + h, 2) - parityGibbsEntropy(R - h, 2)) / (2 * h);
    assert.ok(Math.abs(fs - parityEntropySlope(R, 2)) < 1e-5 * Math.max(1, Math.abs(fs)));
  }
});

test("near R = 0: s(R) − s(0) ≈ R²(2α/π² − ¼) − R³/6, and R = 0 carries s = −α ln 2", () => {
  for (const a of [0.5, 1, 2]) {
    assert.ok(Math.abs(parityGibbsEntropy(0, a) + a * Math.LN2) < 1e-12);
    const R = 0.01;
    const predicted = R * R * ((2 * a) / Math.PI ** 2 - 0.25) - R ** 3 / 6;
    const got = parityGibbsEntropy(R, a) - parityGibbsEntropy(0, a);
    assert.ok(Math.abs(got - predicted) < 2e-7, `α=${a}: ${got} vs ${predicted}`); // O(R⁴) ≈ 1e-8 and quadrature error
  }
});

test("memorisation up to α_c = π²/8, then generalisation that leaves ε = ½ continuously", () => {
  assert.ok(Math.abs(parityCriticalAlpha(1, 2) - Math.PI ** 2 / 8) < 1e-6);
  for (const a of [0.3, 0.7, 1, 1.2]) {
    const s = parityGibbsState(a);
    assert.equal(s.error, 0.5, `α=${a}`);
    assert.equal(s.generalisingR, undefined, `α=${a}: a separate maximum at R=${s.generalisingR} would make the transition first order`);
  }
  let prev = 0.5;
  for (const a of [1.3, 1.5, 2, 3, 5, 8]) {
    const s = parityGibbsState(a);
    assert.ok(s.R > 0 && s.error < prev, `α=${a}: ε=${s.error} after ${prev}`);
    prev = s.error;
    // The saddle point: finite-difference slope ≈ 0, and a maximum.
    const h = 1e-5 * (1 - s.R);
    const fd = (parityGibbsEntropy(s.R + h, a) - parityGibbsEntropy(s.R - h, a)) / (2 * h);
    assert.ok(Math.abs(fd) < 1e-4, `α=${a}: ds/dR=${fd}`);
    const d = 0.02 * Math.min(s.R, 1 - s.R);
    assert.ok(s.entropy > parityGibbsEntropy(s.R - d, a) && s.entropy > parityGibbsEntropy(s.R + d, a));
  }
  // Just above α_c: R* ≈ 8(α − α_c)/π².
  const a = Math.PI ** 2 / 8 + 0.02;
  assert.ok(Math.abs(parityGibbsState(a).R / ((8 * 0.02) / Math.PI ** 2) - 1) < 0.05);
});

test("α → ∞: ε·α → 1/(√2 π|C|) ≈ 0.625, the perceptron's asymptote", () => {
  const big = 200;
  const c = parityGibbsState(big).error * big;
  assert.ok(Math.abs(c - 0.6247) < 0.005, `ε·α at α=${big} is ${c}`);
});

test("parityErrorFromOverlaps: hand values and a Monte Carlo over real tree parity machines", () => {
  assert.equal(parityErrorFromOverlaps(1, 1), 0);
  assert.ok(Math.abs(parityErrorFromOverlaps(0, 0.7) - 0.5) < 1e-12);
  assert.ok(Math.abs(parityErrorFromOverlaps(1, Math.SQRT1_2) - 0.25) < 1e-12); // ε₂ = ¼, ε = ½(1 − ½)
  assert.ok(Math.abs(parityErrorFromOverlaps(-0.6, -0.6) - parityErrorFromOverlaps(0.6, 0.6)) < 1e-12); // both flipped: same function
  // Teacher and student built at branch overlaps 0.8 and 0.5 (n = 200 inputs each), 40,000 test inputs.
  const rng = makeRng(3);
  const n = 200;
  const Rs = [0.8, 0.5];
  const { T, S } = pairAtOverlaps("parity", Rs, n, rng);
  const x = gaussianInputs(40000, 2 * n, rng);
  const err = machineErrorRate(S, x, machineLabels(T, x));
  const expected = parityErrorFromOverlaps(Rs[0], Rs[1]);
  assert.ok(Math.abs(err - expected) < 4 * Math.sqrt((expected * (1 - expected)) / 40000), `${err} vs ${expected}`);
});

test("bad input names the value", () => {
  assert.throws(() => parityGibbsState(-2), /alpha=-2/);
  assert.throws(() => parityEnergetic(1), /overlap R=1/);
  assert.throws(() => parityCriticalAlpha(2, 3), /bracket \[2, 3\]/);
});
