/**
 * The IDX file format of LeCun's MNIST distribution (also used by Fashion-MNIST): a magic number
 * (two zero bytes, a type code, the number of dimensions), big-endian uint32 sizes, then the data.
 * Files may be gzipped. The reader checks everything it can, because a truncated download otherwise
 * shows up much later as a model that trains on zeros.
 */
import * as fs from "node:fs";
import * as zlib from "node:zlib";

export interface IdxArray {
  /** Sizes of each dimension, outermost first, e.g. [60000, 28, 28]. */
  shape: number[];
  data: Uint8Array;
}

/** Type code 0x08 = unsigned byte, the only one MNIST and Fashion-MNIST use. */
const UBYTE = 0x08;
const TYPE_NAMES: Record<number, string> = { 0x08: "ubyte", 0x09: "byte", 0x0b: "short", 0x0c: "int", 0x0d: "float", 0x0e: "double" };

/** Parse IDX bytes (already gunzipped). `source` names the file in errors. */
export function parseIdx(bytes: Uint8Array, source: string): IdxArray {
  if (bytes.byteLength < 4) throw new Error(`${source}: ${bytes.byteLength} bytes is too short for an IDX header (needs at least 4); the file is truncated or empty — delete it and reinstall it.`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    throw new Error(`${source}: bad magic number 0x${magic}; an IDX file starts with 0x0000 then a type code (0x08) and a dimension count — this is not an IDX file.`);
  }
  const type = bytes[2];
  const dims = bytes[3];
  if (type !== UBYTE) {
    throw new Error(`${source}: IDX element type 0x${type.toString(16)} (${TYPE_NAMES[type] ?? "unknown"}) is not supported; expected 0x08 (unsigned byte) as in MNIST.`);
  }
  if (dims < 1 || dims > 4) throw new Error(`${source}: IDX header says ${dims} dimensions; expected 1 (labels) to 3 (images).`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.byteLength < headerBytes) throw new Error(`${source}: file ends inside the header (${bytes.byteLength} of ${headerBytes} bytes); the file is truncated.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  if (shape.some((s) => s === 0)) throw new Error(`${source}: IDX header has a zero dimension (${shape.join("x")}).`);
  const expected = shape.reduce((a, b) => a * b, 1);
  const actual = bytes.byteLength - headerBytes;
  if (actual !== expected) {
    throw new Error(
      `${source}: header promises ${shape.join("x")} = ${expected} bytes of data but the file holds ${actual}; ` +
        `the file is ${actual < expected ? "truncated" : "longer than its header says (corrupt)"} — reinstall it.`,
    );
  }
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Read an IDX file, gunzipping when it starts with the gzip magic bytes. */
export function readIdx(file: string): IdxArray {
  let raw: Buffer;
  try {
    raw = fs.readFileSync(file);
  } catch (e) {
    throw new Error(`cannot read IDX file ${file}: ${(e as Error).message}`);
  }
  let bytes: Uint8Array = raw;
  if (raw.length >= 2 && raw[0] === 0x1f && raw[1] === 0x8b) {
    try {
      bytes = zlib.gunzipSync(raw);
    } catch (e) {
      throw new Error(`${file}: gzip data is corrupt or truncated (${(e as Error).message}); reinstall the file.`);
    }
  }
  return parseIdx(bytes, file);
}

/** Write an IDX ubyte array (used by tests to make real good and corrupt files). */
export function encodeIdx(shape: number[], data: Uint8Array): Uint8Array {
  const out = new Uint8Array(4 + 4 * shape.length + data.byteLength);
  const view = new DataView(out.buffer);
  out[2] = UBYTE;
  out[3] = shape.length;
  shape.forEach((s, i) => view.setUint32(4 + 4 * i, s, false));
  out.set(data, 4 + 4 * shape.length);
  return out;
}
