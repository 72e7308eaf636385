/**
 * A disk cache of trained teachers, so that the notebooks after 02 reuse the teacher 02 trained instead
 * of spending an hour retraining it. An entry lives in `<cacheDir>/teachers/<name>-<key>/`, where key =
 * stableHash({format, code, config, data, seed}): any change to the recipe, the training data, the seed
 * or the library code that trains a network (core/code-version.ts) gives a new key. Entries are checksummed blob sets (core/store.ts) written last-file-manifest, so a
 * killed write, a flipped byte or an entry whose recorded key or spec does not match is detected,
 * announced in one line and retrained: a corrupt entry is never half-loaded. A file lock keeps two
 * runs from training and writing the same entry at once (the second waits, then loads).
 * A mirror (set by sweep workers: the sweep's Redis) carries entries between machines that share no
 * folder: a local miss is looked up there before training, and a teacher trained here is published there.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { createHash } from "node:crypto";
import { cacheDir } from "../core/paths";
import { stableHash, stableStringify, withFileLock } from "../core/store";
import { loadNetwork, saveNetwork } from "../core/network-store";
import type { Network } from "../core/models";
import { codeVersion, TRAINING_CODE_MODULES } from "../core/code-version";

/** Bump when the saved format or the meaning of a cached entry changes: old entries become misses. */
export const TEACHER_CACHE_FORMAT = 1;

/** A fingerprint of training data: SHA-256 of the raw bytes of inputs and labels and their shapes. */
export function dataFingerprint(parts: Record<string, ArrayBufferView | number | string>): string {
  const h = createHash("sha256");
  for (const key of Object.keys(parts).sort()) {
    const v = parts[key];
    h.update(`${key}:`);
    if (ArrayBuffer.isView(v)) {
      h.update(`${v.constructor.name}[${v.byteLength}]`);
      h.update(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
    } else h.update(JSON.stringify(v));
    h.update(";");
  }
  return h.digest("hex").slice(0, 24);
}

export interface TeacherCacheKey {
  /** Readable prefix of the folder name, e.g. "fashion-mlp1200". Letters, digits, - and _ only. */
  name: string;
  /** Everything about the recipe: architecture, training config. JSON-able. */
  config: unknown;
  /** dataFingerprint(...) of the training data. */
  data: string;
  seed: number;
  /** Version of the code that trains it; default: codeVersion(TRAINING_CODE_MODULES). */
  code?: string;
}

export interface CachedTeacher<N extends Network = Network> {
  net: N;
  fromCache: boolean;
  key: string;
  dir: string;
  /** What happened, in one line (also logged). */
  note: string;
  /** Whatever the trainer returned alongside the network (e.g. its history), saved as JSON in the entry. */
  extra: unknown;
}

/**
 * Where teachers travel between machines: entries (the files of one cache folder) by folder name.
 * Errors are reported by the caller and never stop a run: the cache folder stays the source of truth.
 */
export interface TeacherMirror {
  /** Where entries live, for log lines (e.g. "Redis redis://kdh-sweep:***@10.0.0.5:6379"). */
  describe: string;
  fetch(entry: string): Promise<Record<string, Buffer> | undefined>;
  publish(entry: string, files: Record<string, Buffer>): Promise<void>;
}

let mirror: TeacherMirror | undefined;

/** Set (or, with undefined, clear) the mirror of this process's teacher cache. */
export function setTeacherMirror(m: TeacherMirror | undefined): void {
  mirror = m;
}

/** File names an entry may hold (those writeBlobSet writes): plain names, never a path. */
const ENTRY_FILE = /^[A-Za-z0-9][A-Za-z0-9_-]{0,62}\.(json|bin)$/;
const MAX_ENTRY_FILES = 8;

/**
 * Copy the mirror's copy of an entry into `dir` (absent before), checked like any entry when it is
 * loaded next. Returns why nothing was copied, or undefined when it was.
 */
async function fetchFromMirror(m: TeacherMirror, dir: string): Promise<string | undefined> {
  const entry = path.basename(dir);
  let files: Record<string, Buffer> | undefined;
  try {
    files = await m.fetch(entry);
  } catch (e) {
    return `the shared store could not be read (${(e as Error).message})`;
  }
  if (!files) return "not in the shared store either";
  const names = Object.keys(files);
  const bad = names.filter((n) => !ENTRY_FILE.test(n));
  if (bad.length || names.length > MAX_ENTRY_FILES) return `the shared store's copy was refused (file names ${JSON.stringify(names.slice(0, MAX_ENTRY_FILES + 1))}; expected at most ${MAX_ENTRY_FILES} plain *.json / *.bin names)`;
  // Written beside the entry and renamed into place, so a crash leaves no half-copied entry.
  const incoming = `${dir}.incoming-${process.pid}`;
  fs.rmSync(incoming, { recursive: true, force: true });
  fs.mkdirSync(incoming, { recursive: true });
  for (const n of names) fs.writeFileSync(path.join(incoming, n), files[n]);
  fs.renameSync(incoming, dir);
  return undefined;
}

async function publishToMirror(m: TeacherMirror, dir: string): Promise<string | undefined> {
  try {
    const files: Record<string, Buffer> = {};
    for (const n of fs.readdirSync(dir)) if (ENTRY_FILE.test(n)) files[n] = fs.readFileSync(path.join(dir, n));
    await m.publish(path.basename(dir), files);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

export function teacherCacheDir(k: TeacherCacheKey): { key: string; dir: string } {
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(k.name)) throw new Error(`teacher cache name ${JSON.stringify(k.name)} must be 1-64 letters, digits, - or _`);
  if (!Number.isInteger(k.seed) || k.seed < 0) throw new Error(`teacher cache seed must be a non-negative integer, got ${k.seed}`);
  const key = stableHash({ format: TEACHER_CACHE_FORMAT, code: k.code ?? codeVersion(TRAINING_CODE_MODULES), config: k.config, data: k.data, seed: k.seed });
  return { key, dir: path.join(cacheDir(), "teachers", `${k.name}-${key}`) };
}

/**
 * Load the teacher for this key, or train it with `train()` and save it. `log` receives one line
 * saying whether the entry was used, absent, corrupt or stale.
 */
export async function cachedTeacher<N extends Network>(
  k: TeacherCacheKey,
  train: () => Promise<{ net: N; extra?: unknown }> | { net: N; extra?: unknown },
  opts: { log?: (line: string) => void; refresh?: boolean } = {},
): Promise<CachedTeacher<N>> {
  const log = opts.log ?? ((line: string) => console.log(line));
  const { key, dir } = teacherCacheDir(k);
  return withFileLock(dir, async () => {
    let why = "no entry yet";
    const m = mirror;
    if (!opts.refresh && m && !fs.existsSync(dir)) {
      const missed = await fetchFromMirror(m, dir);
      if (missed) why = `no entry yet, ${missed}`;
      else log(`teacher cache: fetched ${k.name} from the shared store (${m.describe})`);
    }
    if (opts.refresh) why = "refresh requested";
    else if (fs.existsSync(dir)) {
      const loaded = loadNetwork(dir);
      if (!loaded.ok) why = `corrupt (${loaded.reason})`;
      else {
        const meta = loaded.meta as { format?: number; key?: string; config?: string; extra?: unknown };
        if (meta.format !== TEACHER_CACHE_FORMAT || meta.key !== key || meta.config !== stableStringify(k.config)) {
          loaded.net.dispose();
          why = `stale (entry records format ${meta.format}, key ${meta.key}; expected format ${TEACHER_CACHE_FORMAT}, key ${key}: the recipe, data, seed or training code changed)`;
        } else {
          const note = `teacher cache: loaded ${k.name} from ${dir}`;
          log(note);
          return { net: loaded.net as N, fromCache: true, key, dir, note, extra: meta.extra };
        }
      }
    }
    const note = `teacher cache: ${k.name} ${why}; training it (${dir})`;
    log(note);
    // Remove a bad entry first so a crash during training cannot leave the old manifest beside new blobs.
    fs.rmSync(dir, { recursive: true, force: true });
    const trained = await train();
    saveNetwork(dir, trained.net, { format: TEACHER_CACHE_FORMAT, key, config: stableStringify(k.config), data: k.data, seed: k.seed, extra: trained.extra ?? null });
    if (m) {
      const failed = await publishToMirror(m, dir);
      log(failed ? `teacher cache: ${k.name} not published to the shared store (${failed}); other machines train their own` : `teacher cache: published ${k.name} to the shared store (${m.describe})`);
    }
    return { net: trained.net, fromCache: false, key, dir, note, extra: trained.extra ?? null };
  });
}
