/**
 * Files that survive a kill: every cache entry, checkpoint, result and report is written to a
 * temporary name in the same folder and renamed into place (rename is atomic on one filesystem), so a
 * reader sees the old file or the new one, never half of one. Cached blobs carry a SHA-256 checksum in
 * a sidecar manifest; a mismatch means "corrupt, rebuild", never "load what is there".
 */
import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";

/** Write a file atomically: temp file in the same folder, fsync, rename. */
export function writeFileAtomic(file: string, data: string | Uint8Array): void {
  const dir = path.dirname(file);
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `.${path.basename(file)}.${process.pid}.${crypto.randomBytes(4).toString("hex")}.tmp`);
  try {
    const fd = fs.openSync(tmp, "w");
    try {
      fs.writeFileSync(fd, data);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, file);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw e;
  }
}

export function writeJsonAtomic(file: string, value: unknown): void {
  writeFileAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

export function sha256(data: string | Uint8Array): string {
  return crypto.createHash("sha256").update(data).digest("hex");
}

/** A stable hash of a JSON-able value (object keys sorted), for cache keys and config hashes. */
export function stableHash(value: unknown, length = 16): string {
  return sha256(stableStringify(value)).slice(0, length);
}

export function stableStringify(value: unknown): string {
  if (value === null || typeof value !== "object") {
    if (typeof value === "number" && !Number.isFinite(value)) return JSON.stringify(String(value));
    return JSON.stringify(value) ?? "null";
  }
  if (Array.isArray(value)) return `[${value.map(stableStringify).join(",")}]`;
  if (ArrayBuffer.isView(value)) return stableStringify(Array.from(value as unknown as ArrayLike<number>));
  const keys = Object.keys(value as object).filter((k) => (value as Record<string, unknown>)[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableStringify((value as Record<string, unknown>)[k])}`).join(",")}}`;
}

/**
 * A folder of named blobs plus manifest.json holding each blob's checksum. The manifest is written
 * last, so a folder without a complete manifest is an unfinished write.
 */
export interface BlobSet {
  [name: string]: Uint8Array | string;
}

const MANIFEST = "manifest.json";

export function writeBlobSet(dir: string, blobs: BlobSet, meta: Record<string, unknown> = {}): void {
  fs.mkdirSync(dir, { recursive: true });
  const files: Record<string, { sha256: string; bytes: number }> = {};
  for (const [name, data] of Object.entries(blobs)) {
    if (name === MANIFEST || name.includes("/") || name.startsWith(".")) throw new Error(`blob name ${JSON.stringify(name)} is reserved or not a plain file name`);
    writeFileAtomic(path.join(dir, name), data);
    files[name] = { sha256: sha256(data), bytes: typeof data === "string" ? Buffer.byteLength(data) : data.byteLength };
  }
  writeJsonAtomic(path.join(dir, MANIFEST), { meta, files, writtenAt: new Date().toISOString() });
}

export type BlobSetRead =
  | { ok: true; blobs: Record<string, Buffer>; meta: Record<string, unknown> }
  | { ok: false; reason: string };

/** Read and verify a blob set; any missing file or checksum mismatch is reported, never thrown. */
export function readBlobSet(dir: string): BlobSetRead {
  const manifestPath = path.join(dir, MANIFEST);
  if (!fs.existsSync(manifestPath)) return { ok: false, reason: `no ${MANIFEST} in ${dir}` };
  let manifest: { meta?: Record<string, unknown>; files?: Record<string, { sha256: string; bytes: number }> };
  try {
    manifest = JSON.parse(fs.readFileSync(manifestPath, "utf8"));
  } catch (e) {
    return { ok: false, reason: `${manifestPath} is not valid JSON (${(e as Error).message})` };
  }
  if (!manifest.files || typeof manifest.files !== "object") return { ok: false, reason: `${manifestPath} lists no files` };
  const blobs: Record<string, Buffer> = {};
  for (const [name, want] of Object.entries(manifest.files)) {
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) return { ok: false, reason: `${file} is missing` };
    const data = fs.readFileSync(file);
    if (data.byteLength !== want.bytes) return { ok: false, reason: `${file} has ${data.byteLength} bytes, manifest says ${want.bytes}` };
    if (sha256(data) !== want.sha256) return { ok: false, reason: `${file} fails its SHA-256 checksum` };
    blobs[name] = data;
  }
  return { ok: true, blobs, meta: manifest.meta ?? {} };
}

/**
 * A cross-process lock on a path: O_EXCL creation of `<path>.lock` holding our pid. A lock whose
 * process is gone (killed runs) is taken over, so a SIGKILL never wedges the cache.
 */
export async function withFileLock<T>(target: string, fn: () => Promise<T> | T, timeoutMs = 30 * 60_000): Promise<T> {
  const lock = `${target}.lock`;
  fs.mkdirSync(path.dirname(lock), { recursive: true });
  const start = Date.now();
  let waitMs = 20;
  for (;;) {
    try {
      const fd = fs.openSync(lock, "wx");
      fs.writeSync(fd, String(process.pid));
      fs.closeSync(fd);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      if (lockHolderIsDead(lock)) {
        // Said once, in one line: a killed run is worth knowing about, but it is not an error.
        const pid = readPid(lock);
        console.warn(`taking over ${lock}: ${pid !== undefined ? `pid ${pid} that held it is no longer running` : "it was left empty"} (a killed run).`);
        fs.rmSync(lock, { force: true });
        continue;
      }
      if (Date.now() - start > timeoutMs) {
        throw new Error(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${lock} (held by pid ${readPid(lock)}); remove it if that process is gone`);
      }
      await new Promise((r) => setTimeout(r, waitMs));
      waitMs = Math.min(waitMs * 2, 500);
    }
  }
  try {
    return await fn();
  } finally {
    fs.rmSync(lock, { force: true });
  }
}

function readPid(lock: string): number | undefined {
  try {
    const pid = Number(fs.readFileSync(lock, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

function lockHolderIsDead(lock: string): boolean {
  const pid = readPid(lock);
  if (pid === undefined) {
    // Being written right now, or left empty by a kill between open and write: give it a moment.
    try {
      return Date.now() - fs.statSync(lock).mtimeMs > 5000;
    } catch {
      return false;
    }
  }
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "ESRCH";
  }
}
