/**
 * Code versions for cache keys: a hash of the library sources a cached result depends on, so that a
 * change to the training code can never load a result the old code produced (no format constant to
 * remember to bump). Sources are read from lib/src; an installation without sources hashes the compiled
 * lib/dist files instead (the same key for the same build).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { repoRoot } from "./paths";

/**
 * The modules every trained network depends on (models, training loop, losses, storage of weights), and
 * the fused kernels that compute its layers, losses and updates on the blas backend (they agree with the
 * op-by-op path only to float32 rounding, so a change there can move a result's last digits).
 */
export const TRAINING_CODE_MODULES: readonly string[] = [
  "core/models.ts", "core/cnn.ts", "core/train.ts", "core/evaluate.ts", "core/network-store.ts", "distillation/losses.ts", "distillation/teachers.ts", "distillation/students.ts",
  "core/fused-layers.ts", "core/fused-cross-entropy.ts", "core/fused-distillation.ts", "core/fused-optimizers.ts", "core/dropout.ts", "core/max-norm.ts",
  "native/kernels",
];

/**
 * The pseudo-module for the native addon's C sources (native/kdh_*.c and .h, every one of them, so a new
 * kernel file is covered without a list to keep): the blas backend's products, convolutions, updates and
 * losses are computed there. Without sources it is the built addon's bytes, and "absent" without either
 * (no blas backend, so no native code touched the result).
 */
export const NATIVE_KERNELS = "native/kernels";

function nativeBytes(): Buffer {
  const dir = path.join(repoRoot(), "native");
  const sources = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => /^kdh_[a-z0-9_]+\.[ch]$/.test(f)).sort() : [];
  if (sources.length) return Buffer.concat(sources.flatMap((f) => [Buffer.from(`${f}\0`), fs.readFileSync(path.join(dir, f)), Buffer.from("\0")]));
  const addon = path.join(dir, "build", "kdh_blas.node");
  return fs.existsSync(addon) ? fs.readFileSync(addon) : Buffer.from("absent");
}

const memo = new Map<string, string>();

function sourceBytes(module: string): Buffer {
  if (module === NATIVE_KERNELS) return nativeBytes();
  if (!/^[a-z0-9-]+\/[a-z0-9-]+\.ts$/.test(module)) throw new Error(`code module ${JSON.stringify(module)} must look like "area/file.ts" (relative to lib/src)`);
  const lib = path.join(repoRoot(), "lib");
  const src = path.join(lib, "src", module);
  if (fs.existsSync(src)) return fs.readFileSync(src);
  const built = path.join(lib, "dist", module.replace(/\.ts$/, ".js"));
  if (fs.existsSync(built)) return fs.readFileSync(built);
  throw new Error(`code module ${module} not found as ${src} or ${built}; fix the module list (lib/src/catalog entries name modules relative to lib/src, or "${NATIVE_KERNELS}").`);
}

/** A 16-hex-digit hash of the named lib modules' contents (order does not matter). */
export function codeVersion(modules: readonly string[]): string {
  const list = [...new Set(modules)].sort();
  const id = list.join("|");
  const hit = memo.get(id);
  if (hit) return hit;
  const h = createHash("sha256");
  for (const m of list) {
    h.update(`${m}\0`);
    h.update(sourceBytes(m));
    h.update("\0");
  }
  const v = h.digest("hex").slice(0, 16);
  memo.set(id, v);
  return v;
}
