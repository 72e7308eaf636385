import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { Mlp } from "../core/models";
import { CartPoleState } from "./cartpole";
import { expertAction, expertSoftAction } from "./expert";
import { runEpisodes, meanReturn } from "./episodes";
import { actionAgreement, cloneBehaviour, greedyPolicy, trainClassifier } from "./cloning";
import { behaviouralCloningFromObservation, inverseFeatures, transitionsOf } from "./bco";
import { fitStandardiser, freezeMlp, mlpLogits } from "./policy-network";

before(async () => {
  await initBackend();
});

const env = { seed: 0, maxSteps: 500, initRange: 0.05, forceNoise: 5 };
const train = { hidden: [16], steps: 150, batchSize: 64, learningRate: 0.01, seed: 1 };

test("the frozen copy of an MLP gives the tfjs logits (float32 tolerance)", () => {
  const net = new Mlp({ inputSize: 4, hidden: [8, 5], classes: 2, activation: "relu", seed: 3 });
  const rows = [[0.1, -0.2, 0.03, 0.4], [1, 2, -3, 0.5], [0, 0, 0, 0]];
  const st = fitStandardiser(rows);
  const f = freezeMlp(net, st);
  const ref = mlpLogits(net, rows, st);
  rows.forEach((r, i) => f.logits(r).forEach((z, j) => assert.ok(Math.abs(z - ref[i][j]) < 1e-5 * Math.max(1, Math.abs(z)), `${z} vs ${ref[i][j]}`)));
  net.dispose();
});

test("standardiser: means and sds by hand; constant columns keep sd 1", () => {
  const st = fitStandardiser([[1, 5], [3, 5]]);
  assert.deepEqual(st.mean, [2, 5]);
  assert.deepEqual(st.sd, [1, 1]);
  assert.throws(() => fitStandardiser([[1, NaN]]), /row 0, column 1 is NaN/);
  assert.throws(() => fitStandardiser([[1, 2], [1]]), /row 1 has 1 values, expected 2/);
});

test("cloning the expert from 2 demonstrations: high agreement on unseen states, flat tensor count across students", async () => {
  const demos = runEpisodes((s) => expertAction(s), 2, { ...env, maxSteps: 200 }, "demo");
  const tr = transitionsOf(demos);
  const states = tr.map((t) => t.s);
  const before = tf.memory().numTensors;
  const hard = await cloneBehaviour(states, { kind: "hard", actions: tr.map((t) => t.a) }, train);
  const mid = tf.memory().numTensors;
  hard.dispose();
  const soft = await cloneBehaviour(states, { kind: "soft", probRight: states.map((s) => expertSoftAction(s, 0.5)) }, train);
  assert.equal(tf.memory().numTensors, mid, "a second student leaves no tensors behind");
  const test = runEpisodes((s) => expertAction(s), 3, { ...env, seed: 99 }, "test");
  const testStates = test.flatMap((e) => e.states.slice(0, -1));
  const agree = actionAgreement(greedyPolicy(soft), testStates, testStates.map((s) => expertAction(s)));
  assert.ok(agree > 0.9, `agreement ${agree}`);
  soft.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.ok(mid > before, "a live student holds its weights");
});

test("BCO: the inverse model recovers the expert's actions from state pairs, without seeing them", async () => {
  const demos = runEpisodes((s) => expertAction(s), 2, { ...env, maxSteps: 150 }, "demo");
  const before = tf.memory().numTensors;
  const r = await behaviouralCloningFromObservation(demos, env, { explorationSteps: 1000, alpha: 0.5, iterations: 1, inverseModel: train, policy: train });
  assert.equal(r.inferenceAccuracy.length, 2, "BCO(0) plus one post-demonstration round");
  assert.ok(r.inferenceAccuracy.every((a) => a > 0.85), `inference accuracy ${r.inferenceAccuracy}`);
  assert.equal(r.agentSteps, 1500);
  const ret = meanReturn(runEpisodes(greedyPolicy(r.policy), 3, { ...env, seed: 5 }, "eval"));
  assert.ok(ret > 100, `BCO student return ${ret}`);
  r.policy.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("inverse features are [s, s' − s]", () => {
  assert.deepEqual(inverseFeatures([1, 2, 3, 4], [2, 2, 1, 8]), [1, 2, 3, 4, 1, 0, -2, 4]);
});

test("bad demonstrations and settings give clear errors", async () => {
  const s: CartPoleState = [0, 0, 0, 0];
  const cases: [() => Promise<unknown>, RegExp][] = [
    [() => cloneBehaviour([s, [0, NaN, 0, 0]], { kind: "hard", actions: [0, 1] }, train), /demonstration state 1\[1\] \(ẋ\) = NaN/],
    [() => cloneBehaviour([s], { kind: "hard", actions: [0, 1] }, train), /1 demonstration states but 2 actions/],
    [() => cloneBehaviour([s], { kind: "hard", actions: [2] }, train), /action 0 = 2 is not 0 or 1/],
    [() => cloneBehaviour([s], { kind: "soft", probRight: [1.5] }, train), /probability 0 = 1.5 is not in \[0, 1\]/],
    [() => cloneBehaviour([], { kind: "hard", actions: [] }, train), /no training examples/],
    [() => cloneBehaviour([s], { kind: "hard", actions: [1] }, { ...train, steps: 0 }), /steps=0 must be a positive whole number/],
    [() => trainClassifier([[1, 2]], [[0.3, 0.3]], train), /target row 0 = \[0.3, 0.3\] is not a probability distribution/],
    [() => behaviouralCloningFromObservation([], env, { explorationSteps: 100, alpha: 0, iterations: 0, inverseModel: train, policy: train }), /hold no transitions/],
    [() => behaviouralCloningFromObservation([], env, { explorationSteps: 1, alpha: 0, iterations: 0, inverseModel: train, policy: train }), /explorationSteps=1 must be a whole number ≥ 2/],
  ];
  for (const [call, re] of cases) await assert.rejects(call, re);
});

test("the cloning study: one cell per (seed, demonstrations), finite scores, no tensors left", async () => {
  const { runCloningStudy } = await import("./cloning-study");
  const before = tf.memory().numTensors;
  const s = await runCloningStudy({ seeds: [0], demonstrations: [1, 2], demoSteps: 40, evalSteps: 100, evalEpisodes: 2, initRange: 0.05, forceNoise: 5, softTemperature: 0.5, hidden: [8], steps: 30, batchSize: 32, learningRate: 0.01, explorationSteps: 200, bcoAlpha: 0, bcoIterations: 0 });
  assert.equal(s.rows.length, 2);
  assert.equal(s.expertReturn, 100);
  for (const r of s.rows) for (const v of [r.hard.return, r.soft.return, r.bco.return, r.hard.onPolicyAgreement, r.hard.expertStateAgreement, r.bco.inferenceAccuracy]) assert.ok(Number.isFinite(v) && v >= 0);
  assert.equal(s.example.demonstrations, 1);
  assert.equal(s.example.expert.states[0].join(), s.example.hardStudent.states[0].join(), "the side-by-side episodes share their start");
  assert.equal(tf.memory().numTensors, before);
});
