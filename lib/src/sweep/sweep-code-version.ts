/**
 * The code version in every job key: a hash of the library's sources (lib/src, tests excluded), so a
 * row computed by other code is a different job, and a worker running other code refuses a job instead
 * of mixing its rows into the sweep. When lib/src is absent (an installed build), lib/dist is hashed.
 * One function on purpose: a finer version (per catalog entry, only the modules it uses) replaces it.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { repoRoot } from "../core/paths";

let cached: string | undefined;

function sourceFiles(dir: string, exts: string[]): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (exts.some((x) => e.name.endsWith(x)) && !/\.test\.[jt]s$|\.fixture\.[jt]s$/.test(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out;
}

/** 16 hex digits identifying the library code that computes rows. */
export function sweepCodeVersion(): string {
  if (cached) return cached;
  const src = path.join(repoRoot(), "lib", "src");
  const dist = path.join(repoRoot(), "lib", "dist");
  const [root, exts] = fs.existsSync(src) ? [src, [".ts"]] : [dist, [".js"]];
  if (!fs.existsSync(root)) throw new Error(`cannot compute the code version: neither ${src} nor ${dist} exists`);
  const h = createHash("sha256");
  for (const f of sourceFiles(root, exts)) {
    h.update(path.relative(root, f).split(path.sep).join("/"));
    h.update("\0");
    h.update(fs.readFileSync(f));
    h.update("\0");
  }
  return (cached = h.digest("hex").slice(0, 16));
}
