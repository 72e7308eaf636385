/** Teacher cache: miss → train, hit → load the same weights, corrupt and stale entries → retrain with one line. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../core/backend";
import { buildMlp, Mlp } from "../core/models";
import { cachedTeacher, dataFingerprint, setTeacherMirror, teacherCacheDir, type TeacherMirror } from "./cache";

test("cache: train once, load bit-identical, detect corruption and staleness", async () => {
  await initBackend();
  const tensorsBefore = tf.memory().numTensors;
  process.env.KDH_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-cache-"));
  const data = dataFingerprint({ x: new Float32Array([1, 2, 3]), y: new Uint8Array([0, 1]) });
  assert.notEqual(data, dataFingerprint({ x: new Float32Array([1, 2, 3.5]), y: new Uint8Array([0, 1]) }));
  const key = { name: "tiny", config: { hidden: [4], lr: 0.1 }, data, seed: 3 };
  let trainings = 0;
  const train = () => {
    trainings++;
    return { net: buildMlp({ inputSize: 3, hidden: [4], classes: 2, seed: 3 + trainings }), extra: { trainings } };
  };
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const a = await cachedTeacher(key, train, { log });
  assert.equal(a.fromCache, false);
  const b = await cachedTeacher(key, train, { log });
  assert.equal(b.fromCache, true);
  assert.equal(trainings, 1);
  assert.deepEqual((b.extra as { trainings: number }).trainings, 1);
  const wa = a.net.serialize().weights;
  const wb = b.net.serialize().weights;
  wa.forEach((w, i) => assert.deepEqual(Array.from(wb[i]), Array.from(w)));
  // A different seed or config is another entry.
  assert.notEqual(teacherCacheDir({ ...key, seed: 4 }).dir, a.dir);
  assert.notEqual(teacherCacheDir({ ...key, config: { hidden: [5], lr: 0.1 } }).dir, a.dir);
  // Flip one byte of the weights: detected, retrained, one line naming it.
  const wfile = path.join(a.dir, "weights.bin");
  const bytes = fs.readFileSync(wfile);
  bytes[5] ^= 0xff;
  fs.writeFileSync(wfile, bytes);
  const c = await cachedTeacher(key, train, { log });
  assert.equal(c.fromCache, false);
  assert.equal(trainings, 2);
  assert.match(lines[lines.length - 1], /corrupt .*checksum.*training it/);
  // A truncated write (manifest missing): detected.
  fs.rmSync(path.join(a.dir, "manifest.json"));
  const d = await cachedTeacher(key, train, { log });
  assert.equal(d.fromCache, false);
  assert.match(lines[lines.length - 1], /corrupt \(no manifest.json/);
  // An entry whose manifest records another key (copied folder, old format): stale.
  const m = JSON.parse(fs.readFileSync(path.join(a.dir, "manifest.json"), "utf8"));
  m.meta.key = "0000";
  fs.writeFileSync(path.join(a.dir, "manifest.json"), JSON.stringify(m));
  const e = await cachedTeacher(key, train, { log });
  assert.equal(e.fromCache, false);
  assert.match(lines[lines.length - 1], /stale/);
  const f = await cachedTeacher(key, train, { log });
  assert.equal(f.fromCache, true);
  // Two concurrent requests: the lock makes the second load what the first trained.
  const key2 = { ...key, seed: 9 };
  let slow = 0;
  const slowTrain = async () => {
    slow++;
    await new Promise((r) => setTimeout(r, 100));
    return { net: buildMlp({ inputSize: 3, hidden: [4], classes: 2, seed: 9 }) };
  };
  const [g, h] = await Promise.all([cachedTeacher(key2, slowTrain, { log }), cachedTeacher(key2, slowTrain, { log })]);
  assert.equal(slow, 1);
  assert.equal([g.fromCache, h.fromCache].filter(Boolean).length, 1);
  for (const r of [a, b, c, d, e, f, g, h]) (r.net as Mlp).dispose();
  assert.throws(() => teacherCacheDir({ ...key, name: "a b" }), /must be 1-64 letters/);
  fs.rmSync(process.env.KDH_CACHE_DIR!, { recursive: true, force: true });
  assert.equal(tf.memory().numTensors, tensorsBefore, "every loaded or trained net was disposed: nothing half-loaded stays behind");
});

test("mirror: a teacher trained on one machine is published, fetched into another machine's empty cache, checked like any entry", async () => {
  await initBackend();
  const tensorsBefore = tf.memory().numTensors;
  const store = new Map<string, Record<string, Buffer>>();
  const memoryMirror: TeacherMirror = {
    describe: "memory",
    fetch: async (entry) => store.get(entry),
    publish: async (entry, files) => void store.set(entry, files),
  };
  const key = { name: "mirrored", config: { hidden: [4] }, data: dataFingerprint({ x: new Float32Array([1]) }), seed: 5 };
  let trainings = 0;
  const train = () => (trainings++, { net: buildMlp({ inputSize: 3, hidden: [4], classes: 2, seed: 100 + trainings }) });
  const lines: string[] = [];
  const log = (l: string) => lines.push(l);
  const machine = () => (process.env.KDH_CACHE_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-mirror-")));
  const dirs: string[] = [];
  setTeacherMirror(memoryMirror);
  try {
    dirs.push(machine());
    const a = await cachedTeacher(key, train, { log });
    assert.equal(a.fromCache, false);
    assert.match(lines.join("\n"), /no entry yet, not in the shared store either; training it[^]*published mirrored to the shared store \(memory\)/);
    const entry = path.basename(a.dir);
    assert.deepEqual(Object.keys(store.get(entry)!).sort(), ["manifest.json", "network.json", "weights.bin"]);

    // Another machine (empty cache folder): fetched, not trained; the same weights.
    dirs.push(machine());
    const b = await cachedTeacher(key, train, { log });
    assert.equal(b.fromCache, true);
    assert.equal(trainings, 1);
    assert.match(lines.join("\n"), /fetched mirrored from the shared store \(memory\)/);
    a.net.serialize().weights.forEach((w, i) => assert.deepEqual(Array.from(b.net.serialize().weights[i]), Array.from(w)));

    // A tampered copy (one weight byte flipped) fails its checksum once fetched: retrained and published again.
    const files = store.get(entry)!;
    const flipped = Buffer.from(files["weights.bin"]);
    flipped[3] ^= 0xff;
    store.set(entry, { ...files, "weights.bin": flipped });
    dirs.push(machine());
    const c = await cachedTeacher(key, train, { log });
    assert.equal(c.fromCache, false);
    assert.equal(trainings, 2);
    assert.match(lines.join("\n"), /corrupt .*checksum.*training it/);
    assert.notDeepEqual(store.get(entry)!["weights.bin"], flipped, "the good entry replaced the tampered one");

    // A copy whose file names are paths is refused before anything is written; the teacher is trained here.
    store.set(entry, { "../../escaped.json": Buffer.from("{}"), "manifest.json": Buffer.from("{}") });
    const root = machine();
    dirs.push(root);
    const d = await cachedTeacher(key, train, { log });
    assert.equal(d.fromCache, false);
    assert.match(lines.join("\n"), /the shared store's copy was refused \(file names .*escaped/);
    assert.ok(!fs.existsSync(path.join(root, "escaped.json")) && !fs.existsSync(path.join(root, "teachers", "escaped.json")));

    // An unreadable store: trained here, one line saying so.
    dirs.push(machine());
    setTeacherMirror({ ...memoryMirror, fetch: async () => Promise.reject(new Error("connection refused")) });
    const e = await cachedTeacher(key, train, { log });
    assert.equal(e.fromCache, false);
    assert.match(lines.join("\n"), /no entry yet, the shared store could not be read \(connection refused\)/);
    for (const r of [a, b, c, d, e]) (r.net as Mlp).dispose();
  } finally {
    setTeacherMirror(undefined);
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.equal(tf.memory().numTensors, tensorsBefore);
});
