import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";

// Each case runs in a fresh process: a backend choice is made once per process.
function choose(env: Record<string, string>): { status: number | null; out: string; err: string } {
  const code = `require("./backend").initBackend().then(c => console.log(JSON.stringify(c)), e => { console.error(e.message); process.exit(3); })`;
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: __dirname, env: { ...process.env, ...env }, encoding: "utf8" });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

test("automatic choice takes the first backend in the order that loads, and says why others were skipped", () => {
  const r = choose({ KDH_BACKEND: "" });
  assert.equal(r.status, 0, r.err);
  const c = JSON.parse(r.out);
  const order = ["tensorflow", "blas", "wasm", "cpu"];
  const firstOk = c.attempts.find((a: { ok: boolean }) => a.ok).name;
  assert.equal(c.name, firstOk);
  assert.ok(order.indexOf(c.name) >= 0);
  for (const a of c.attempts.filter((a: { ok: boolean }) => !a.ok)) assert.ok(c.reason.includes(a.name), c.reason);
  assert.ok(!r.err.includes("Hi, looks like you are running TensorFlow.js"), "the tfjs banner leaked");
});

for (const name of ["cpu", "wasm"]) {
  test(`KDH_BACKEND=${name} forces ${name}`, () => {
    const r = choose({ KDH_BACKEND: name });
    assert.equal(r.status, 0, r.err);
    const c = JSON.parse(r.out);
    assert.equal(c.name, name);
    assert.equal(c.forced, true);
  });
}

test("an unknown forced backend is refused with the valid names", () => {
  const r = choose({ KDH_BACKEND: "webgpu" });
  assert.equal(r.status, 3);
  assert.match(r.err, /KDH_BACKEND="webgpu" is not a backend name; expected one of tensorflow, blas, wasm, cpu/);
});

test("a forced backend that cannot load fails loudly instead of falling back", () => {
  const r = choose({ KDH_BACKEND: "tensorflow" });
  // Where tfjs-node did install, this succeeds; here it cannot, and must say so.
  if (r.status === 0) return;
  assert.equal(r.status, 3);
  assert.match(r.err, /backend 'tensorflow' was forced \(by KDH_BACKEND\) but could not load/);
});

test("convolution training: blas and cpu can, wasm cannot and says what to do", () => {
  const code = `const b = require("./backend"); b.initBackend().then(() => console.log(JSON.stringify(b.convolutionTraining())))`;
  for (const [name, ok] of [["wasm", false], ["cpu", true], ["blas", true]] as const) {
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", code], { cwd: __dirname, env: { ...process.env, KDH_BACKEND: name }, encoding: "utf8" });
    if (name === "blas" && r.status !== 0) continue; // no native addon on this machine: covered by the fallback tests
    assert.equal(r.status, 0, r.stderr);
    const c = JSON.parse(r.stdout);
    assert.equal(c.ok, ok, `${name}: ${c.reason}`);
    if (!ok) assert.match(c.reason, /the wasm backend cannot train convolutional networks \(it has no Conv2DBackpropFilter kernel\); the blas backend can: run 'npm run setup'/);
  }
});
