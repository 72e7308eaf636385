/**
 * Saving and loading networks without tfjs-node: a spec (network.json) and the weights as one
 * little-endian float32 blob (weights.bin), written as a checksummed blob set (store.ts), so a killed
 * write or a flipped byte is detected on load instead of half-loading a model.
 */
import { readBlobSet, writeBlobSet } from "./store";
import { deserializeNetwork, Network, SerializedNetwork } from "./models";

export function packFloat32(arrays: Float32Array[]): Uint8Array {
  const total = arrays.reduce((s, a) => s + a.length, 0);
  const out = new Float32Array(total);
  let at = 0;
  for (const a of arrays) {
    out.set(a, at);
    at += a.length;
  }
  return new Uint8Array(out.buffer);
}

export function unpackFloat32(bytes: Uint8Array, shapes: number[][]): Float32Array[] {
  if (bytes.byteLength % 4 !== 0) throw new Error(`weights blob has ${bytes.byteLength} bytes, not a whole number of float32 values`);
  const all = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (total !== all.length) throw new Error(`weights blob holds ${all.length} values but the shapes need ${total}`);
  const out: Float32Array[] = [];
  let at = 0;
  for (const n of sizes) {
    out.push(all.slice(at, at + n));
    at += n;
  }
  return out;
}

export function saveNetwork(dir: string, net: Network, meta: Record<string, unknown> = {}): void {
  const s = net.serialize();
  writeBlobSet(dir, { "network.json": JSON.stringify({ kind: s.kind, spec: s.spec, shapes: s.shapes }), "weights.bin": packFloat32(s.weights) }, meta);
}

export type LoadedNetwork = { ok: true; net: Network; meta: Record<string, unknown> } | { ok: false; reason: string };

/** Load a saved network; a missing, corrupt or inconsistent save is reported, never thrown. */
export function loadNetwork(dir: string): LoadedNetwork {
  const read = readBlobSet(dir);
  if (!read.ok) return read;
  try {
    const head = JSON.parse(read.blobs["network.json"].toString("utf8")) as Omit<SerializedNetwork, "weights">;
    const weights = unpackFloat32(read.blobs["weights.bin"], head.shapes);
    return { ok: true, net: deserializeNetwork({ ...head, weights }), meta: read.meta };
  } catch (e) {
    return { ok: false, reason: `${dir}: ${(e as Error).message}` };
  }
}
