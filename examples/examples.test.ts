/**
 * Every example in examples/ runs as a user would run it (a separate `tsx` process importing
 * `@kdh/lib` by package name), exits 0 and prints what it promises.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");

test("distill-without-notebooks: teacher, two students, a PyTorch-layout file that reloads to the same student", { timeout: 300_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-example-"));
  try {
    const out = path.join(dir, "student.json");
    const r = spawnSync(TSX, [path.join(__dirname, "distill-without-notebooks.ts"), out], { cwd: os.tmpdir(), encoding: "utf8", timeout: 280_000 });
    assert.equal(r.status, 0, `the example failed:\n${r.stdout}\n${r.stderr}`);
    for (const re of [/^backend: \w+/m, /^teacher 784-256-10: \d+ test errors of 600/m, /^student 784-16-10 on hard labels: \d+ test errors/m, /^student 784-16-10 distilled at T=4: \d+ test errors/m, /^reloaded from the PyTorch layout: \d+ test errors/m]) {
      assert.match(r.stdout, re);
    }
    const teacherErrors = Number(/teacher 784-256-10: (\d+)/.exec(r.stdout)![1]);
    // A 784-256-10 MLP after 6 epochs on 1,200 digits is far better than chance (540 of 600 wrong).
    assert.ok(teacherErrors < 200, `teacher makes ${teacherErrors} errors of 600`);
    const dict = JSON.parse(fs.readFileSync(out, "utf8"));
    assert.deepEqual(dict.tensors["0.weight"].shape, [16, 784]);
    assert.deepEqual(dict.tensors["2.weight"].shape, [10, 16]);
    assert.equal(dict.tensors["0.weight"].data.length, 16 * 784);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("@kdh/lib packs as an installable package: not private, built JS and types, no tests, tfjs as a peer", { timeout: 120_000 }, () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, "lib", "package.json"), "utf8"));
  assert.notEqual(pkg.private, true, "lib/package.json must not be private");
  assert.equal(pkg.types, "dist/index.d.ts");
  for (const peer of ["@tensorflow/tfjs", "@tensorflow/tfjs-backend-wasm"]) assert.ok(pkg.peerDependencies?.[peer] && !pkg.peerDependenciesMeta?.[peer]?.optional, `${peer} is a required peer`);
  const datasets = JSON.parse(fs.readFileSync(path.join(ROOT, "datasets", "package.json"), "utf8"));
  assert.notEqual(datasets.private, true, "@kdh/datasets, a dependency of @kdh/lib, must be installable too");
  // --ignore-scripts: list what would be packed from the dist/ that the build made, without rebuilding.
  const r = spawnSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts", "-w", "lib"], { cwd: ROOT, encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
  const files = (JSON.parse(r.stdout)[0].files as Array<{ path: string }>).map((f) => f.path);
  for (const f of ["dist/index.js", "dist/index.d.ts", "dist/core/torch-layout.d.ts", "package.json"]) assert.ok(files.includes(f), `${f} is packed`);
  assert.deepEqual(files.filter((f) => /\.test\.|\.fixture\.|\/src\//.test(f)), [], "no tests, fixtures or sources in the package");
});
