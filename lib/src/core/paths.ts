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
  return process.env.KDH_REPORTS_DIR || path.join(repoRoot(), "reports");
}

/** reports/results/: one JSON record per notebook. */
export function resultsDir(): string {
  return path.join(reportsDir(), "results");
}

/** .cache/ (trained models, teacher outputs); KDH_CACHE_DIR overrides it. */
export function cacheDir(): string {
  return process.env.KDH_CACHE_DIR || path.join(repoRoot(), ".cache");
}
