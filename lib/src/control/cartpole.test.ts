import { test } from "node:test";
import assert from "node:assert/strict";
import { BARTO_CARTPOLE, cartPoleFailure, cartPoleStep, checkState } from "./cartpole";
import { controllerMargin, expertAction, expertSoftAction } from "./expert";
import { runEpisode, runEpisodes, meanReturn, randomPolicy } from "./episodes";

// One Euler step worked by hand from the equations in cartpole.ts (m_c = 1, m = 0.1, l = 0.5, g = 9.8,
// μc = 0.0005, μp = 0.000002, τ = 0.02), rounded to 6 significant digits on paper:
// Case A: s = (0, 0, 0.1, 0), F = +10 N. sgn(ẋ) = 0 and θ̇ = 0, so both friction terms vanish.
//   sin 0.1 = 0.0998334, cos 0.1 = 0.995004; inner = −10/1.1 = −9.09091
//   θ̈ = (9.8·0.0998334 + 0.995004·(−9.09091)) / (0.5·(4/3 − 0.1·0.990033/1.1)) = −8.06712 / 0.621665 = −12.9766
//   ẍ = (10 − 0.05·(−12.9766)·0.995004) / 1.1 = 9.67781
//   s' = (0 + 0.02·0, 0 + 0.02·9.67781, 0.1 + 0.02·0, 0 + 0.02·(−12.9766)) = (0, 0.193556, 0.1, −0.259533)
// Case B: s = (0.1, 0.5, −0.05, 0.2), F = −10 N (friction active: sgn(ẋ) = +1).
//   sin(−0.05) = −0.0499792, cos = 0.998750; ml θ̇² sin θ = 0.05·0.04·(−0.0499792) = −0.0000999584
//   inner = (10 + 0.0000999584 + 0.0005) / 1.1 = 9.09145; pole friction 0.000002·0.2/0.05 = 0.000008
//   θ̈ = (9.8·(−0.0499792) + 0.998750·9.09145 − 0.000008) / (0.5·(4/3 − 0.1·0.997502/1.1)) = 8.59029 / 0.621326 = 13.8257
//   ẍ = (−10 + 0.05·(0.04·(−0.0499792) − 13.8257·0.998750) − 0.0005) / 1.1 = −9.71911
//   s' = (0.1 + 0.01, 0.5 − 0.194382, −0.05 + 0.004, 0.2 + 0.276515) = (0.11, 0.305618, −0.046, 0.476515)
const handSteps: { name: string; s: [number, number, number, number]; action: number; expected: number[] }[] = [
  { name: "A: pole leaning right, push right, at rest", s: [0, 0, 0.1, 0], action: 1, expected: [0, 0.193556, 0.1, -0.259533] },
  { name: "B: moving cart, push left, friction active", s: [0.1, 0.5, -0.05, 0.2], action: 0, expected: [0.11, 0.305618, -0.046, 0.476515] },
];

for (const c of handSteps) {
  test(`one Euler step matches the hand computation (${c.name})`, () => {
    const got = cartPoleStep(c.s, c.action);
    c.expected.forEach((e, i) => assert.ok(Math.abs(got[i] - e) < 2e-6 * Math.max(1, Math.abs(e)) + 1e-6, `component ${i}: ${got[i]} vs ${e}`));
  });
}

test("without friction and force the upright pole at rest stays put (an equilibrium)", () => {
  const p = { ...BARTO_CARTPOLE, cartFriction: 0, poleFriction: 0 };
  // A +10 N push cancelled by a −10 N disturbance: no net force, so nothing moves.
  const s1 = cartPoleStep([0, 0, 0, 0], 1, p, -p.forceMagnitude);
  assert.deepEqual(s1, [0, 0, 0, 0]);
});

test("failure thresholds: 12 degrees and 2.4 m", () => {
  const lim = (12 * Math.PI) / 180;
  const cases: [number[], string | undefined][] = [
    [[0, 0, lim * 0.999, 0], undefined],
    [[0, 0, lim * 1.001, 0], "pole fell"],
    [[0, 0, -lim * 1.001, 0], "pole fell"],
    [[2.39, 0, 0, 0], undefined],
    [[-2.41, 0, 0, 0], "cart left the track"],
  ];
  for (const [s, want] of cases) assert.equal(cartPoleFailure(s), want, JSON.stringify(s));
});

test("bad states and actions give clear errors", () => {
  const bad: [() => unknown, RegExp][] = [
    [() => cartPoleStep([0, NaN, 0, 0], 1), /state\[1\] \(ẋ\) = NaN is not a finite number/],
    [() => cartPoleStep([0, 0, Infinity, 0], 1), /state\[2\] \(θ\) = Infinity is not a finite number/],
    [() => cartPoleStep([0, 0, 0], 1), /state must hold 4 numbers \[x, ẋ, θ, θ̇\], got 3 value\(s\)/],
    [() => cartPoleStep([0, 0, 0, 0, 0], 1), /got 5 value\(s\)/],
    [() => cartPoleStep([0, 0, 0, 0], 2), /action=2 is not 0 \(push left\) or 1 \(push right\)/],
    [() => cartPoleStep([0, 0, 0, 0], 1, BARTO_CARTPOLE, NaN), /disturbance=NaN must be a finite force/],
    [() => checkState(undefined as never), /state must hold 4 numbers/],
    [() => expertSoftAction([0, 0, 0, 0], 0), /temperature=0 must be a finite number > 0/],
    [() => controllerMargin([0, 0, 0, 0], [1, 2]), /gains must be 4 finite numbers/],
    [() => runEpisode(() => 1, { seed: 0, maxSteps: 0, initRange: 0.05, forceNoise: 0 }), /maxSteps=0 must be a positive whole number/],
    [() => runEpisode(() => 1, { seed: 0, maxSteps: 5, initRange: -1, forceNoise: 0 }), /initRange=-1 must be a finite number ≥ 0/],
    [() => runEpisode(() => 0.5, { seed: 0, maxSteps: 5, initRange: 0.05, forceNoise: 0 }), /the policy returned 0.5 at step 0/],
    [() => runEpisode(() => 1, { seed: 0, maxSteps: 5, initRange: 0.05, forceNoise: 0, params: { ...BARTO_CARTPOLE, halfPoleLength: NaN } }), /state after step 0/],
  ];
  for (const [call, re] of bad) assert.throws(call, re);
});

test("the expert: sign of the margin, soft action σ(margin/T), and it balances every seeded episode", () => {
  const s: [number, number, number, number] = [0.1, -0.2, 0.03, 0.1];
  const m = 1 * 0.1 + 1.5 * -0.2 + 18 * 0.03 + 3 * 0.1; // 0.64 by hand
  assert.ok(Math.abs(controllerMargin(s) - 0.64) < 1e-12);
  assert.equal(expertAction(s), 1);
  assert.equal(expertAction([0, 0, -0.01, 0]), 0);
  assert.ok(Math.abs(expertSoftAction(s, 0.5) - 1 / (1 + Math.exp(-m / 0.5))) < 1e-12);
  assert.ok(Math.abs(expertSoftAction([0, 0, 0, 0], 1) - 0.5) < 1e-12);
  assert.ok(expertSoftAction([0, 0, 100, 0], 0.01) === 1 && expertSoftAction([0, 0, -100, 0], 0.01) >= 0);
  const eps = runEpisodes((x) => expertAction(x), 10, { seed: 3, maxSteps: 500, initRange: 0.05, forceNoise: 5 });
  assert.equal(meanReturn(eps), 500);
});

test("episodes repeat with their seed, differ across seeds, and a random policy fails fast", () => {
  const opts = { seed: 7, maxSteps: 200, initRange: 0.05, forceNoise: 2 };
  const a = runEpisode((x) => expertAction(x), opts);
  const b = runEpisode((x) => expertAction(x), opts);
  assert.deepEqual(a.states, b.states);
  const c = runEpisode((x) => expertAction(x), { ...opts, seed: 8 });
  assert.notDeepEqual(a.states[0], c.states[0]);
  assert.equal(a.states.length, a.actions.length + 1);
  const r = runEpisodes(randomPolicy(1), 20, { ...opts, forceNoise: 0 });
  assert.ok(meanReturn(r) < 60, `random policy mean return ${meanReturn(r)}`);
  for (const e of r) assert.ok(e.end === "pole fell" || e.end === "cart left the track" || e.end === "time limit");
});
