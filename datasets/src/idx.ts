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

/** What to do about a corrupt file when the caller knows no better (loaders pass their own). */
export const DEFAULT_IDX_FIX = "replace the file with a good copy";
/** Per-dimension and total sizes beyond these are a damaged header, not a big file (MNIST-family files are 28x28, < 50 MB). */
const MAX_INNER_DIM = 4096;
const MAX_DATA_BYTES = 2 ** 32;

/** What the first bytes of a non-IDX file look like, when recognisable. */
function looksLike(bytes: Uint8Array): string {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b) return " (it looks like a zip archive)";
  if (bytes[0] === 0x3c) return " (it looks like an HTML or XML page: a failed download?)";
  return "";
}

/**
 * Parse IDX bytes (already gunzipped). `source` names the file in errors; `fix` says what to do about
 * a corrupt one (e.g. "reinstall dataset-fashion-mnist, or point FASHION_MNIST_DIR at a good copy").
 * Errors say which damage it is: not an IDX file (bad magic), a corrupt header, or a truncated file.
 */
export function parseIdx(bytes: Uint8Array, source: string, fix = DEFAULT_IDX_FIX): IdxArray {
  const fail = (what: string): never => {
    throw new Error(`${source}: ${what}; ${fix}.`);
  };
  if (bytes.byteLength < 4) fail(`the file is ${bytes.byteLength ? "truncated" : "empty"} (${bytes.byteLength} bytes; an IDX header alone needs at least 4)`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    const magic = Array.from(bytes.subarray(0, 4), (b) => b.toString(16).padStart(2, "0")).join("");
    fail(`not an IDX file: bad magic number 0x${magic}${looksLike(bytes)}; an IDX file starts with 0x0000, the type code 0x08 and a dimension count`);
  }
  const type = bytes[2];
  const dims = bytes[3];
  if (type !== UBYTE) fail(`corrupt header: element type 0x${type.toString(16)} (${TYPE_NAMES[type] ?? "unknown"}) where MNIST-family files hold 0x08 (unsigned bytes)`);
  if (dims < 1 || dims > 4) fail(`corrupt header: ${dims} dimensions, expected 1 (labels) to 3 (images)`);
  const headerBytes = 4 + 4 * dims;
  if (bytes.byteLength < headerBytes) fail(`the file is truncated: it ends inside its header (${bytes.byteLength} of ${headerBytes} bytes)`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const shape: number[] = [];
  for (let d = 0; d < dims; d++) shape.push(view.getUint32(4 + 4 * d, false));
  const actual = bytes.byteLength - headerBytes;
  if (shape.some((s) => s === 0)) fail(`corrupt header: a zero dimension (${shape.join("x")})`);
  const expected = shape.reduce((a, b) => a * b, 1);
  if (shape.slice(1).some((s) => s > MAX_INNER_DIM) || expected > MAX_DATA_BYTES) {
    fail(`corrupt header: it promises ${shape.join("x")} = ${expected} bytes of data, not a plausible image or label file (the file holds ${actual})`);
  }
  if (actual < expected) {
    const item = expected / shape[0];
    fail(`the file is truncated: its header promises ${shape.join("x")} = ${expected} bytes of data but the file holds ${actual} (${Math.floor(actual / item)} of ${shape[0]} items complete)`);
  }
  if (actual > expected) fail(`corrupt: the file holds ${actual} bytes of data but its header promises ${shape.join("x")} = ${expected} (a wrong header, or a different file appended)`);
  return { shape, data: bytes.subarray(headerBytes) };
}

/** Read an IDX file, gunzipping when it starts with the gzip magic bytes. `fix` as for parseIdx. */
export function readIdx(file: string, fix = DEFAULT_IDX_FIX): IdxArray {
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
      throw new Error(`${file}: the gzip data is corrupt or truncated (${(e as Error).message}); ${fix}.`);
    }
  }
  return parseIdx(bytes, file, fix);
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
