import { test } from "node:test";
import assert from "node:assert/strict";
import { checkParamRules, notebookParams, parseCliArgs, resolveConfig, runMode } from "./config";

const defaults = { epochs: 3, lr: 0.1, optimizer: "sgd", jitter: false, widths: [800, 800], names: ["a"] };

test("overrides are coerced to the defaults' types", () => {
  const c = resolveConfig(defaults, { epochs: "5", lr: 0.01, jitter: "true", widths: "30,30", names: '["x","y"]' });
  assert.deepEqual(c, { epochs: 5, lr: 0.01, optimizer: "sgd", jitter: true, widths: [30, 30], names: ["x", "y"] });
});

const bad: [Record<string, unknown>, RegExp][] = [
  [{ epoch: 3 }, /unknown parameter "epoch" in overrides; valid parameters: epochs, lr, optimizer, jitter, widths, names/],
  [{ lr: "fast" }, /parameter lr="fast" is not a valid number \(it must be a finite number\); the default is 0.1/],
  [{ lr: Infinity }, /parameter lr=null is not a valid number/],
  [{ jitter: "yes" }, /jitter="yes" is not a valid boolean \(use true or false\)/],
  [{ widths: "30,x" }, /element "x" is not a finite number/],
  [{ widths: "[1," }, /not valid JSON/],
];
for (const [o, m] of bad) test(`rejects ${JSON.stringify(o)}`, () => assert.throws(() => resolveConfig(defaults, o), m));

test("command-line flags: --key=value, bare booleans, kebab-case", () => {
  assert.deepEqual(parseCliArgs(["--epochs=7", "--jitter"], defaults).epochs, 7);
  assert.equal(parseCliArgs(["--jitter"], defaults).jitter, true);
  assert.equal(parseCliArgs(["--max-steps=4"], { maxSteps: 1 }).maxSteps, 4);
  assert.throws(() => parseCliArgs(["epochs=7"], defaults), /unexpected argument "epochs=7"; use --key=value with one of: --epochs/);
  assert.throws(() => parseCliArgs(["--epochs"], defaults), /--epochs needs a value/);
  assert.throws(() => parseCliArgs(["--nope=1"], defaults), /unknown parameter "nope" in the command line/);
});

function withEnv(env: Record<string, string | undefined>, fn: () => void) {
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  try {
    fn();
  } finally {
    for (const [k, v] of Object.entries(old)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

test("notebook parameters: quick by default, full on request, user overrides on top", () => {
  const spec = { quick: { epochs: 2, n: 1000 }, full: { epochs: 60, n: 60000 } };
  withEnv({ KDH_MODE: undefined, KDH_PARAMS: undefined }, () => assert.deepEqual(notebookParams(spec), { epochs: 2, n: 1000, mode: "quick" }));
  withEnv({ KDH_MODE: "full", KDH_PARAMS: '{"epochs": 5}' }, () => assert.deepEqual(notebookParams(spec), { epochs: 5, n: 60000, mode: "full" }));
  withEnv({ KDH_MODE: "huge" }, () => assert.throws(() => runMode(), /KDH_MODE="huge" is not a run size; expected "quick" or "full"/));
  withEnv({ KDH_PARAMS: '{"epoch": 5}' }, () => assert.throws(() => notebookParams(spec), /unknown parameter "epoch" in KDH_PARAMS/));
  withEnv({ KDH_PARAMS: '{"epoch": 5}', KDH_PARAMS_LENIENT: "1" }, () => assert.equal(notebookParams(spec).epochs, 2));
  withEnv({ KDH_PARAMS: "epochs=5" }, () => assert.throws(() => notebookParams(spec), /KDH_PARAMS must be a JSON object/));
});

test("parameter rules: ranges, whole numbers, list lengths and choices, named by where the value came from", () => {
  const rules = { trainSize: { min: 1, integer: true, what: "training images" }, T: { min: 0.01 }, seeds: { minLength: 1, integer: true, min: 0 }, source: { oneOf: ["fashion", "digits"] } };
  const ok = { trainSize: 10, T: 2, seeds: [0, 1], source: "digits" };
  assert.doesNotThrow(() => checkParamRules(ok, rules));
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ trainSize: 0 }, /parameter trainSize \(training images\): 0 is not a whole number, at least 1/],
    [{ trainSize: 2.5 }, /2.5 is not a whole number/],
    [{ T: 0 }, /parameter T: 0 is not at least 0.01/],
    [{ seeds: [] }, /the list \[\] has 0 element\(s\), expected at least 1/],
    [{ seeds: [0, -1] }, /element 1 = -1 is not a whole number, at least 0/],
    [{ source: "cifar" }, /"cifar" is not one of "fashion", "digits"/],
  ];
  for (const [bad, m] of cases) assert.throws(() => checkParamRules({ ...ok, ...bad }, rules), m);
  const spec = { quick: { epochs: 2 }, rules: { epochs: { min: 1, max: 1000, integer: true } } };
  withEnv({ KDH_MODE: undefined, KDH_PARAMS: '{"epochs": 1e9}' }, () => assert.throws(() => notebookParams(spec), /epochs=1000000000 \(set by the user\): 1000000000 is not a whole number, between 1 and 1000/));
});

test("overrides from the runner's --set are named as the user typed them", () => {
  const spec = {
    quick: { epochs: 2, trainSize: 1000, seeds: [0, 1], T: 4, lr: 0.1 },
    rules: { epochs: { min: 1, max: 1000, integer: true }, trainSize: { min: 1, integer: true, what: "training images per run" }, seeds: { minLength: 1, integer: true, min: 0 }, T: { min: 0.01 } },
  };
  const cases: [Record<string, string>, string][] = [
    [{ epoch: "3" }, 'unknown parameter "epoch" given with --set epoch=3; valid parameters: epochs, trainSize, seeds, T, lr.'],
    [{ trainSize: "0" }, "--set trainSize=0 (training images per run): 0 is not a whole number, at least 1; change the value or leave it at its default."],
    [{ seeds: "[]" }, "--set seeds=[]: the list [] has 0 element(s), expected at least 1; change the value or leave it at its default."],
    [{ epochs: "1e9" }, "--set epochs=1e9: 1000000000 is not a whole number, between 1 and 1000; change the value or leave it at its default."],
    [{ T: "0" }, "--set T=0: 0 is not at least 0.01; change the value or leave it at its default."],
    [{ lr: "fast" }, '--set lr=fast: "fast" is not a valid number (it must be a finite number); the default is 0.1.'],
    [{ seeds: "1,x" }, '--set seeds=1,x: "1,x" is not a valid number[] (element "x" is not a finite number); the default is [0,1].'],
  ];
  for (const [set, message] of cases) {
    withEnv({ KDH_MODE: undefined, KDH_PARAMS: JSON.stringify(set), KDH_PARAMS_SOURCE: "--set", KDH_PARAMS_LENIENT: undefined }, () => {
      assert.throws(() => notebookParams(spec), (e: Error) => {
        assert.equal(e.message, message);
        return true;
      });
    });
  }
  // Without the runner's marker the variable is named, as for a hand-set KDH_PARAMS.
  withEnv({ KDH_PARAMS: '{"epoch": 3}', KDH_PARAMS_SOURCE: undefined }, () => assert.throws(() => notebookParams(spec), /unknown parameter "epoch" in KDH_PARAMS/));
  // A default that breaks a rule is named as the default, not blamed on the user.
  withEnv({ KDH_PARAMS: "{}", KDH_PARAMS_SOURCE: "--set" }, () => assert.throws(() => notebookParams({ quick: { n: 0 }, rules: { n: { min: 1 } } }), /n=0 \(the quick-mode default\)/));
});
