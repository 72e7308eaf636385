/**
 * Child process for store-concurrency.test.ts: gets-or-builds one cache entry under a cross-process
 * lock, as two `npm run reproduce` runs sharing .cache/ would. Prints "built" or "loaded" and the
 * entry's checksum-verified content.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { readBlobSet, withFileLock, writeBlobSet } from "./store";

(async () => {
  const [dir, who] = process.argv.slice(2);
  const entry = path.join(dir, "entry");
  const outcome = await withFileLock(entry, async () => {
    const existing = readBlobSet(entry);
    if (existing.ok) return "loaded";
    fs.rmSync(entry, { recursive: true, force: true });
    // A slow "training" so the other process certainly arrives while the lock is held.
    await new Promise((r) => setTimeout(r, 1500));
    const big = new Uint8Array(4 << 20).map((_, i) => (i * 7 + who.length) & 0xff);
    writeBlobSet(entry, { "weights.bin": big, "spec.json": JSON.stringify({ builtBy: who }) });
    return "built";
  });
  const read = readBlobSet(entry);
  if (!read.ok) throw new Error(`entry unreadable after the lock: ${read.reason}`);
  console.log(JSON.stringify({ who, outcome, builtBy: JSON.parse(read.blobs["spec.json"].toString()).builtBy }));
})();
