/** Output folders that cannot be used are reported in one line naming the variable, path, problem and fix. */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describeWriteError, ensureOutputDir } from "./paths";

function withEnv<T>(env: Record<string, string | undefined>, fn: () => T): T {
  const old = Object.fromEntries(Object.keys(env).map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(env)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(old)) v === undefined ? delete process.env[k] : (process.env[k] = v);
  }
}

test("a file given as the folder, or as one of its parents", () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-paths-"));
  try {
    const file = path.join(tmp, "reports.txt");
    fs.writeFileSync(file, "x");
    withEnv({ KDH_REPORTS_DIR: file }, () =>
      assert.throws(() => ensureOutputDir(file, "KDH_REPORTS_DIR", "reports"), { message: `KDH_REPORTS_DIR=${file}: it is a file, not a folder; point KDH_REPORTS_DIR at a writable folder (it is created if missing) or unset it.` }),
    );
    const below = path.join(file, "cache");
    withEnv({ KDH_CACHE_DIR: below }, () => assert.throws(() => ensureOutputDir(below, "KDH_CACHE_DIR", "cache"), { message: `KDH_CACHE_DIR=${below}: its parent ${file} is a file, not a folder; point KDH_CACHE_DIR at a writable folder (it is created if missing) or unset it.` }));
    // A good folder is created and left without the probe file.
    const good = path.join(tmp, "a", "b");
    assert.equal(ensureOutputDir(good, "KDH_CACHE_DIR", "cache"), good);
    assert.deepEqual(fs.readdirSync(good), []);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("a read-only file system (a real read-only tmpfs in a private mount namespace)", (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-paths-ro-"));
  try {
    const ro = path.join(tmp, "ro");
    fs.mkdirSync(ro);
    const script = `const { ensureOutputDir } = require(${JSON.stringify(path.join(__dirname, "paths.ts"))});
for (const d of [process.argv[1], process.argv[1] + "/sub/dir"]) { try { process.env.KDH_CACHE_DIR = d; ensureOutputDir(d, "KDH_CACHE_DIR", "cache"); console.log("ok"); } catch (e) { console.log(e.message); } }`;
    const r = spawnSync("unshare", ["-m", "--propagation", "private", "sh", "-c", `mount -t tmpfs -o ro none "$1" && exec "$2" --import tsx -e "$3" "$1"`, "sh", ro, process.execPath, script], { encoding: "utf8", timeout: 30_000 });
    if (r.status !== 0 || !r.stdout.trim()) {
      t.skip(`cannot mount a read-only tmpfs here (${(r.stderr || r.error?.message || "").trim().split("\n")[0]})`);
      return;
    }
    assert.deepEqual(r.stdout.trim().split("\n"), [
      `KDH_CACHE_DIR=${ro}: it is on a read-only file system; point KDH_CACHE_DIR at a writable folder (it is created if missing) or unset it.`,
      `KDH_CACHE_DIR=${ro}/sub/dir: it is on a read-only file system; point KDH_CACHE_DIR at a writable folder (it is created if missing) or unset it.`,
    ]);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test("errno codes read as what they mean", () => {
  const e = (code: string) => Object.assign(new Error(code), { code });
  assert.match(describeWriteError(e("EACCES")), /permission denied/);
  assert.match(describeWriteError(e("ENOENT")), /cannot be created there/);
  assert.match(describeWriteError(e("ENOSPC")), /disk is full/);
});
