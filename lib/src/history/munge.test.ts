import { test } from "node:test";
import assert from "node:assert/strict";
import { makeRng } from "@kdh/datasets";
import { concatRows, featureRanges, munge, nearestNeighbours, takeRows, uniformPseudoData, type Table } from "./munge";

function randomTable(n: number, dim: number, seed: number): Table {
  const rng = makeRng(seed);
  const x = new Float32Array(n * dim);
  for (let i = 0; i < x.length; i++) x[i] = (i % dim) * 10 + rng.normal();
  return { x, n, dim };
}

test("nearestNeighbours against hand-computed points", () => {
  // 0 and 1 are close, 2 is far but nearer to 1 than to 0, 3 sits between 2 and nothing else.
  const t = { x: new Float32Array([0, 0, 1, 0, 3, 0, 10, 0]), n: 4, dim: 2 };
  assert.deepEqual(Array.from(nearestNeighbours(t)), [1, 0, 1, 2]);
  // A nominal attribute counts 1 per mismatch: row 0 (cat 5) is nearer row 2 (cat 5, 0.9 away) than row 1 (cat 7, 0.1 away).
  const mixed = { x: new Float32Array([0, 5, 0.1, 7, 0.9, 5]), n: 3, dim: 2 };
  assert.equal(nearestNeighbours(mixed, [false, true])[0], 2);
});

test("MUNGE keeps every attribute inside its observed range, for several p and s", () => {
  const t = randomTable(40, 5, 1);
  const { min, max } = featureRanges(t);
  for (const [p, s] of [
    [0.5, 0.5],
    [1, 0.1],
    [0.2, 10],
  ]) {
    const out = munge(t, { p, s, multiplier: 3, seed: 2 });
    assert.equal(out.n, 120);
    for (let i = 0; i < out.n; i++) {
      for (let a = 0; a < out.dim; a++) {
        const v = out.x[i * out.dim + a];
        assert.ok(v >= min[a] && v <= max[a], `p=${p} s=${s}: row ${i} attribute ${a} = ${v} outside [${min[a]}, ${max[a]}]`);
      }
    }
  }
});

test("MUNGE with p = 0 copies the data; nominal attributes are only ever swapped", () => {
  const t = randomTable(10, 3, 4);
  const copy = munge(t, { p: 0, s: 1, multiplier: 2, seed: 5 });
  assert.deepEqual(Array.from(copy.x), [...Array.from(t.x), ...Array.from(t.x)]);
  const cats = { x: new Float32Array([0, 1, 0.2, 2, 5, 3, 5.1, 4]), n: 4, dim: 2 };
  const out = munge(cats, { p: 1, s: 1, multiplier: 4, seed: 6, nominal: [false, true] });
  for (let i = 0; i < out.n; i++) assert.ok([1, 2, 3, 4].includes(out.x[i * 2 + 1]), `nominal value ${out.x[i * 2 + 1]}`);
});

test("MUNGE with p = 1 moves continuous values only as far as the neighbour distance allows (large s)", () => {
  // s = 1e6 makes the normal's sd negligible, so each attribute becomes (almost exactly) the neighbour's value.
  const t = { x: new Float32Array([0, 1, 3, 10]), n: 4, dim: 1 };
  const out = munge(t, { p: 1, s: 1e6, multiplier: 1, seed: 1 });
  // Neighbours on the original data: 0→1, 1→0, 3→1, 10→3. Examples are processed in order on the
  // copy, so later swaps see earlier ones: replay that with plain swaps.
  const v = [0, 1, 3, 10];
  const nn = [1, 0, 1, 2];
  for (let i = 0; i < 4; i++) [v[i], v[nn[i]]] = [v[nn[i]], v[i]];
  assert.deepEqual(Array.from(out.x).map((z) => +z.toFixed(3)), v);
});

test("MUNGE and uniform pseudo-data are deterministic per seed and differ across seeds", () => {
  const t = randomTable(30, 4, 7);
  const a = munge(t, { p: 0.5, s: 2, multiplier: 2, seed: 9 });
  const b = munge(t, { p: 0.5, s: 2, multiplier: 2, seed: 9 });
  const c = munge(t, { p: 0.5, s: 2, multiplier: 2, seed: 10 });
  assert.deepEqual(Array.from(a.x), Array.from(b.x));
  assert.notDeepEqual(Array.from(a.x), Array.from(c.x));
  const u1 = uniformPseudoData(t, 50, 3);
  assert.deepEqual(Array.from(u1.x), Array.from(uniformPseudoData(t, 50, 3).x));
  const { min, max } = featureRanges(t);
  for (let i = 0; i < u1.x.length; i++) assert.ok(u1.x[i] >= min[i % 4] && u1.x[i] <= max[i % 4]);
});

test("bad inputs get errors that name the value", () => {
  const t = randomTable(5, 2, 1);
  assert.throws(() => munge(t, { p: 1.5, s: 1, multiplier: 1, seed: 0 }), /p=1.5/);
  assert.throws(() => munge(t, { p: -0.1, s: 1, multiplier: 1, seed: 0 }), /p=-0.1/);
  assert.throws(() => munge(t, { p: 0.5, s: 0, multiplier: 1, seed: 0 }), /s=0/);
  assert.throws(() => munge(t, { p: 0.5, s: -2, multiplier: 1, seed: 0 }), /s=-2/);
  assert.throws(() => munge(t, { p: 0.5, s: 1, multiplier: 0, seed: 0 }), /multiplier=0/);
  assert.throws(() => munge({ x: new Float32Array(0), n: 0, dim: 2 }, { p: 0.5, s: 1, multiplier: 1, seed: 0 }), /n=0/);
  assert.throws(() => munge({ x: new Float32Array(2), n: 1, dim: 2 }, { p: 0.5, s: 1, multiplier: 1, seed: 0 }), /n=1/);
  assert.throws(() => munge({ x: new Float32Array([0, NaN]), n: 1, dim: 2 }, { p: 0.5, s: 1, multiplier: 1, seed: 0 }), /not finite/);
  assert.throws(() => munge(t, { p: 0.5, s: 1, multiplier: 1, seed: 0, nominal: [true] }), /1 flags/);
  assert.throws(() => takeRows(t, 6), /count=6/);
  assert.throws(() => concatRows(t, randomTable(2, 3, 1)), /2 and 3/);
});
