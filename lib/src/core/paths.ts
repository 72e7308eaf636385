/**
 * Where the suite reads and writes: the repository root, the cache of trained models, and reports/.
 * Notebooks run with their own folder as working directory, scripts with the root, tests anywhere,
 * so every path is resolved from the repository root, never from process.cwd().
 */
import * as fs from "node:fs";
import * as path from "node:path";

let rootCache: string | undefined;

/** The repository root: the nearest ancestor of this file whose package.json declares workspaces. */
export function repoRoot(): string {
  if (rootCache) return rootCache;
  let dir = __dirname;
  for (;;) {
    const pkg = path.join(dir, "package.json");
    if (fs.existsSync(pkg)) {
      try {
        if (JSON.parse(fs.readFileSync(pkg, "utf8")).workspaces) return (rootCache = dir);
      } catch {
        /* an unreadable package.json is not the root; keep walking */
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`could not find the repository root above ${__dirname} (no package.json with "workspaces")`);
    dir = parent;
  }
}

/** reports/ (executed notebooks, HTML, results); KDH_REPORTS_DIR overrides it, e.g. for tests. */
export function reportsDir(): string {
  return checkedOnce(process.env.KDH_REPORTS_DIR || path.join(repoRoot(), "reports"), "KDH_REPORTS_DIR", "reports");
}

/** reports/results/: one JSON record per notebook. */
export function resultsDir(): string {
  return path.join(reportsDir(), "results");
}

/** .cache/ (trained models, teacher outputs); KDH_CACHE_DIR overrides it. */
export function cacheDir(): string {
  return checkedOnce(process.env.KDH_CACHE_DIR || path.join(repoRoot(), ".cache"), "KDH_CACHE_DIR", "cache");
}

const checked = new Set<string>();

/** ensureOutputDir the first time a process uses a folder (a bad one fails every time). */
function checkedOnce(dir: string, variable: string, role: string): string {
  if (!checked.has(dir)) {
    ensureOutputDir(dir, variable, role);
    checked.add(dir);
  }
  return dir;
}

/**
 * Make sure an output folder can be used before anything is written there, and say in one line what
 * is wrong otherwise: Node's own errors (`ENOTDIR ... mkdir`, or `ENOENT` on a read-only mount) name
 * neither the setting nor the fix. `variable` is the environment variable that chose the folder, when
 * one did. Creates the folder when missing; returns it.
 */
export function ensureOutputDir(dir: string, variable: string, role: string): string {
  const setting = process.env[variable] ? `${variable}=${dir}` : `the ${role} folder ${dir} (set ${variable} to use another)`;
  const fix = process.env[variable] ? `point ${variable} at a writable folder (it is created if missing) or unset it` : `set ${variable} to a writable folder`;
  const fail = (what: string): never => {
    throw new Error(`${setting}: ${what}; ${fix}.`);
  };
  // A file where the folder or one of its parents should be.
  for (let p = path.resolve(dir); ; p = path.dirname(p)) {
    let st: fs.Stats | undefined;
    try {
      st = fs.statSync(p);
    } catch {
      st = undefined;
    }
    if (st && !st.isDirectory()) fail(p === path.resolve(dir) ? "it is a file, not a folder" : `its parent ${p} is a file, not a folder`);
    if (st || path.dirname(p) === p) break;
  }
  try {
    fs.mkdirSync(dir, { recursive: true });
    const probe = path.join(dir, `.kdh-write-test-${process.pid}`);
    fs.writeFileSync(probe, "");
    fs.rmSync(probe, { force: true });
  } catch (e) {
    fail(describeWriteError(realCause(dir, e as NodeJS.ErrnoException)));
  }
  return dir;
}

/**
 * Recursive mkdir reports ENOENT when it cannot create a parent, e.g. on a read-only mount; creating
 * a folder in the nearest existing ancestor gives the real reason (EROFS, EACCES).
 */
function realCause(dir: string, e: NodeJS.ErrnoException): NodeJS.ErrnoException {
  if (e.code !== "ENOENT") return e;
  let p = path.resolve(dir);
  while (!fs.existsSync(p) && path.dirname(p) !== p) p = path.dirname(p);
  const probe = path.join(p, `.kdh-write-test-${process.pid}`);
  try {
    fs.mkdirSync(probe);
    fs.rmdirSync(probe);
    return e;
  } catch (inner) {
    return inner as NodeJS.ErrnoException;
  }
}

/** What an errno from mkdir or a write means for the user. */
export function describeWriteError(e: NodeJS.ErrnoException): string {
  switch (e.code) {
    case "EROFS":
      return "it is on a read-only file system";
    case "EACCES":
    case "EPERM":
      return "this user may not write there (permission denied)";
    case "ENOSPC":
      return "the disk is full";
    case "ENOENT":
      // mkdir -p reports ENOENT when a parent cannot be created, e.g. on a read-only mount.
      return "the folder cannot be created there (a parent is missing and cannot be made, e.g. a read-only mount)";
    default:
      return `it cannot be written (${e.code ?? e.message})`;
  }
}
