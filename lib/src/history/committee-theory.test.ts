import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { gibbsOverlap, gaussianTail } from "./perceptron";
import {
  committee3Energetic,
  committee3GibbsEntropy,
  committee3GibbsError,
  committee3GibbsOverlap,
  committeeAsymptoticCoefficient,
  committeeEntropySlope,
  committeeGibbsEntropy,
  committeeGibbsError,
  committeeGibbsOverlap,
  committeeOutputOverlap,
  energeticTailConstant,
} from "./committee-theory";
import { perceptronEnergetic } from "./gibbs-integrals";

test("committeeOutputOverlap: hand values of (2/π) arcsin R and the K = 1 identity", () => {
  for (const [R, v] of [
    [0, 0],
    [1, 1],
    [0.5, 1 / 3], // arcsin ½ = π/6
    [Math.SQRT1_2, 0.5], // arcsin(1/√2) = π/4
  ]) {
    assert.ok(Math.abs(committeeOutputOverlap(R) - v) < 1e-12, `R=${R}`);
    assert.equal(committeeOutputOverlap(R, "perceptron"), R);
  }
  assert.throws(() => committeeOutputOverlap(0.5, "K=3" as never), /unknown committee limit "K=3"/);
});

test("the K → ∞ step: a committee of 301 branches at overlap R errs with probability arccos((2/π) arcsin R)/π (Monte Carlo)", () => {
  // Independent of the replica algebra: hidden signs of teacher and student agree branch by branch with
  // probability 1 − arccos(R)/π, independently (tree machine, Gaussian inputs); vote both and count.
  const rng = makeRng(7);
  const K = 301;
  const trials = 20000;
  for (const R of [0.3, 0.8]) {
    const flip = Math.acos(R) / Math.PI;
    let wrong = 0;
    for (let n = 0; n < trials; n++) {
      let t = 0;
      let s = 0;
      for (let k = 0; k < K; k++) {
        const tk = rng.next() < 0.5 ? 1 : -1;
        t += tk;
        s += rng.next() < flip ? -tk : tk;
      }
      if (Math.sign(t) !== Math.sign(s)) wrong++;
    }
    const expected = Math.acos(committeeOutputOverlap(R)) / Math.PI;
    const se = Math.sqrt((expected * (1 - expected)) / trials);
    // 4 standard errors of the Monte Carlo plus O(1/K) finite-K bias.
    assert.ok(Math.abs(wrong / trials - expected) < 4 * se + 0.01, `R=${R}: simulated ${wrong / trials}, K→∞ ${expected}`);
  }
});

test("K = 1 reduces to the perceptron's Gibbs equation R/√(1−R) = (α/π) I(R) (gibbsOverlap)", () => {
  for (const a of [0.1, 0.5, 1, 3, 10, 50]) {
    const R = committeeGibbsOverlap(a, "perceptron");
    assert.ok(Math.abs(R - gibbsOverlap(a)) < 1e-9, `α=${a}: ${R} vs ${gibbsOverlap(a)}`);
  }
});

test("perceptronEnergetic against its power series −ln 2 + Σ E[m^2n]/(2n(2n−1)), m = 1 − 2H(γt)", () => {
  // (1+x)ln(1+x)/2 + (1−x)ln(1−x)/2 = Σ x^2n/(2n(2n−1)); a plain trapezoid on a wide grid for E[·].
  for (const rho of [0.2, 0.5, 0.8]) {
    const g = Math.sqrt(rho / (1 - rho));
    const moments = new Float64Array(4001);
    const h = 0.002;
    for (let t = -10; t <= 10; t += h) {
      const m = 1 - 2 * gaussianTail(g * t);
      const wt = (h * Math.exp(-0.5 * t * t)) / Math.sqrt(2 * Math.PI);
      let mp = 1;
      for (let n = 1; n < moments.length; n++) {
        mp *= m * m;
        moments[n] += wt * mp;
      }
    }
    let series = Math.log(0.5);
    for (let n = 1; n < moments.length; n++) series += moments[n] / (2 * n * (2 * n - 1));
    // Truncation after 4000 terms leaves < Σ_{n>4000} 1/(4n²) ≈ 6e-5.
    assert.ok(Math.abs(perceptronEnergetic(rho) - series) < 1e-4, `ρ=${rho}: ${perceptronEnergetic(rho)} vs ${series}`);
  }
  assert.ok(Math.abs(perceptronEnergetic(0) - Math.log(0.5)) < 1e-12);
  // The two integration forms meet at γ = 1 (ρ = ½).
  assert.ok(Math.abs(perceptronEnergetic(0.5 - 1e-9) - perceptronEnergetic(0.5 + 1e-9)) < 1e-7);
});

test("saddle point: ds/dR matches finite differences of s, vanishes at R(α), and R(α) is a maximum", () => {
  for (const limit of ["perceptron", "large-K"] as const) {
    for (const a of [0.5, 2, 8]) {
      for (const R of [0.2, 0.6, 0.9]) {
        const h = 1e-5;
        const fd = (committeeGibbsEntropy(R + h, a, limit) - committeeGibbsEntropy(R - h, a, limit)) / (2 * h);
        assert.ok(Math.abs(fd - committeeEntropySlope(R, a, limit)) < 1e-5 * Math.max(1, Math.abs(fd)), `${limit} α=${a} R=${R}: ${fd} vs ${committeeEntropySlope(R, a, limit)}`);
      }
      const Rs = committeeGibbsOverlap(a, limit);
      const h = 1e-5 * (1 - Rs);
      const fd = (committeeGibbsEntropy(Rs + h, a, limit) - committeeGibbsEntropy(Rs - h, a, limit)) / (2 * h);
      assert.ok(Math.abs(fd) < 1e-4, `${limit} α=${a}: ds/dR at the saddle is ${fd}`);
      const s = committeeGibbsEntropy(Rs, a, limit);
      const d = 0.02 * (1 - Rs);
      assert.ok(s > committeeGibbsEntropy(Rs - d, a, limit) && s > committeeGibbsEntropy(Rs + d, a, limit), `${limit} α=${a}: not a maximum`);
    }
  }
});

test("limits: α → 0 gives R ≈ 4α/π² and ε ≈ ½ − 8α/π⁴; α → ∞ gives ε ≈ √2/(π|C|α), twice the perceptron's 0.625/α", () => {
  const a = 1e-3;
  assert.ok(Math.abs(committeeGibbsOverlap(a) / ((4 * a) / Math.PI ** 2) - 1) < 0.01);
  assert.ok(Math.abs((0.5 - committeeGibbsError(a)) / ((8 * a) / Math.PI ** 4) - 1) < 0.01);
  // C by a plain trapezoid, independent of the Simpson panels.
  let C = 0;
  for (let u = -12; u <= 12; u += 1e-3) {
    const Hu = gaussianTail(-u);
    if (Hu > 0) C += (1e-3 * Hu * Math.log(Hu)) / Math.sqrt(2 * Math.PI);
  }
  assert.ok(Math.abs(energeticTailConstant() - C) < 1e-6, `C=${energeticTailConstant()} vs ${C}`);
  // Engel & Van den Broeck: the perceptron's Gibbs error ≈ 0.625/α.
  assert.ok(Math.abs(committeeAsymptoticCoefficient("perceptron") - 0.625) < 0.002);
  assert.ok(Math.abs(committeeAsymptoticCoefficient() - 2 * committeeAsymptoticCoefficient("perceptron")) < 1e-12);
  for (const limit of ["perceptron", "large-K"] as const) {
    const big = 400;
    const c = committeeGibbsError(big, limit) * big;
    assert.ok(Math.abs(c / committeeAsymptoticCoefficient(limit) - 1) < 0.005, `${limit}: ε·α at α=${big} is ${c}`);
  }
});

test("the committee's curve decays gradually: no jump between neighbouring α, and it lies above the perceptron's", () => {
  let prev = 0.5;
  for (let a = 0.25; a <= 10; a += 0.25) {
    const e = committeeGibbsError(a);
    assert.ok(e < prev && prev - e < 0.04, `α=${a.toFixed(2)}: ε=${e} after ${prev}`);
    assert.ok(e > committeeGibbsError(a, "perceptron"));
    prev = e;
  }
});

test("K = 3: the triple integral against Monte Carlo, and G₃ between K = 1 and K → ∞", () => {
  const rng = makeRng(11);
  for (const R of [0.3, 0.8]) {
    const g = Math.sqrt(R / (1 - R));
    const M = 100000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < M; i++) {
      const [a, b, c] = [rng.normal(), rng.normal(), rng.normal()].map((t) => gaussianTail(-g * t));
      const P = a * b + a * c + b * c - 2 * a * b * c; // the majority of three says +1
      const v = (P > 0 ? P * Math.log(P) : 0) + (P < 1 ? (1 - P) * Math.log(1 - P) : 0);
      s += v;
      s2 += v * v;
    }
    const mean = s / M;
    const se = Math.sqrt((s2 / M - mean * mean) / M);
    const G3 = committee3Energetic(R);
    assert.ok(Math.abs(G3 - mean) < 4 * se + 1e-4, `R=${R}: quadrature ${G3}, Monte Carlo ${mean} ± ${se}`);
    assert.ok(G3 < perceptronEnergetic(R) && G3 > perceptronEnergetic(committeeOutputOverlap(R)));
  }
});

test("K = 3 learning curve: a maximum of s(R), between the perceptron's and the K → ∞ curve", () => {
  for (const a of [1, 4]) {
    const R = committee3GibbsOverlap(a);
    const d = 0.01 * (1 - R);
    const s = committee3GibbsEntropy(R, a);
    assert.ok(s >= committee3GibbsEntropy(R - d, a) && s >= committee3GibbsEntropy(R + d, a), `α=${a}: R=${R} is not a maximum`);
    const e = committee3GibbsError(a);
    assert.ok(e > committeeGibbsError(a, "perceptron") && e < committeeGibbsError(a), `α=${a}: ε₃=${e}`);
  }
});

test("bad input names the value", () => {
  assert.throws(() => committeeGibbsOverlap(-1), /alpha=-1/);
  assert.throws(() => committeeGibbsOverlap(NaN), /alpha=NaN/);
  assert.throws(() => committeeGibbsEntropy(1, 1), /overlap R=1 must lie in \[0, 1\)/);
});
