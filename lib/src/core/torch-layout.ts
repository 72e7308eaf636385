/**
 * Parameters in PyTorch's layout, for comparing with (or starting from) a PyTorch model.
 *
 * PyTorch's nn.Linear stores `weight` as [out, in] and computes y = x·weightᵀ + bias; this library's
 * MLP stores W as [in, out] and computes y = x·W + b. So a layer's weight crosses over transposed and
 * its bias as it is. Keys follow a plain `nn.Sequential(Linear, act, Linear, act, ..., Linear)`, whose
 * Linear modules sit at indices 0, 2, 4, ...: "0.weight", "0.bias", "2.weight", ... (pass `keys` for
 * any other naming, e.g. ["fc1", "fc2", "fc3"] gives "fc1.weight", ...).
 *
 * The exported object is JSON. In Python:
 *   sd = {k: torch.tensor(t["data"], dtype=torch.float32).reshape(t["shape"]) for k, t in json.load(f)["tensors"].items()}
 *   model.load_state_dict(sd)
 * and back: {"format": "kdh-torch-state-dict/1", "tensors": {k: {"shape": list(v.shape), "data": v.flatten().tolist()} ...}}.
 */
import { Mlp, type MlpSpec } from "./models";

export const TORCH_STATE_DICT_FORMAT = "kdh-torch-state-dict/1";

export interface TorchTensor {
  /** PyTorch's shape: [out, in] for a weight, [out] for a bias. */
  shape: number[];
  /** Row-major values (number[] after a JSON round trip). */
  data: ArrayLike<number>;
}

export interface TorchStateDict {
  format: typeof TORCH_STATE_DICT_FORMAT;
  tensors: Record<string, TorchTensor>;
}

/** Row-major [rows, cols] → row-major [cols, rows]. */
export function transpose2d(data: ArrayLike<number>, rows: number, cols: number): Float32Array {
  if (data.length !== rows * cols) throw new Error(`transpose2d: ${data.length} values do not fill a ${rows}x${cols} matrix`);
  const out = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = data[i * cols + j];
  return out;
}

/** Module names of the Linear layers: given, or nn.Sequential's 0, 2, 4, ... */
export function torchLayerKeys(layers: number, keys?: string[]): string[] {
  if (keys === undefined) return Array.from({ length: layers }, (_, l) => String(2 * l));
  if (keys.length !== layers) throw new Error(`keys has ${keys.length} names (${keys.join(", ")}) for an MLP of ${layers} linear layers; give one name per layer`);
  return keys;
}

/** The MLP's parameters as a PyTorch state dict (weights transposed to [out, in]). Reads the weights once. */
export function toTorchStateDict(net: Mlp, opts: { keys?: string[] } = {}): TorchStateDict {
  const names = torchLayerKeys(net.layers.length, opts.keys);
  const tensors: Record<string, TorchTensor> = {};
  net.layers.forEach((layer, l) => {
    const [fin, fout] = layer.W.shape as [number, number];
    tensors[`${names[l]}.weight`] = { shape: [fout, fin], data: transpose2d(layer.W.dataSync(), fin, fout) };
    tensors[`${names[l]}.bias`] = { shape: [fout], data: Float32Array.from(layer.b.dataSync()) };
  });
  return { format: TORCH_STATE_DICT_FORMAT, tensors };
}

/**
 * An MLP of `spec` holding the parameters of a PyTorch state dict (as written by toTorchStateDict or by
 * the Python lines in this file's header). Every key must be present with PyTorch's shape; values must
 * be finite. Extra keys are refused too (they usually mean the wrong architecture).
 */
export function fromTorchStateDict(spec: MlpSpec, dict: TorchStateDict, opts: { keys?: string[] } = {}): Mlp {
  if (!dict || typeof dict !== "object" || typeof dict.tensors !== "object" || dict.tensors === null) {
    throw new Error(`expected a state dict {format: "${TORCH_STATE_DICT_FORMAT}", tensors: {...}}, got ${dict === null ? "null" : typeof dict}`);
  }
  if (dict.format !== TORCH_STATE_DICT_FORMAT) throw new Error(`state dict format ${JSON.stringify(dict.format)} is not ${JSON.stringify(TORCH_STATE_DICT_FORMAT)}; write it with toTorchStateDict or the Python lines in torch-layout.ts`);
  const widths = [spec.inputSize, ...spec.hidden, spec.classes];
  const names = torchLayerKeys(widths.length - 1, opts.keys);
  const want = new Map<string, number[]>();
  names.forEach((n, l) => {
    want.set(`${n}.weight`, [widths[l + 1], widths[l]]);
    want.set(`${n}.bias`, [widths[l + 1]]);
  });
  const extra = Object.keys(dict.tensors).filter((k) => !want.has(k));
  if (extra.length) throw new Error(`state dict has keys ${extra.join(", ")} that an MLP ${widths.join("-")} does not have (expected ${[...want.keys()].join(", ")})`);
  const weights: Float32Array[] = [];
  for (const [key, shape] of want) {
    const t = dict.tensors[key];
    if (!t) throw new Error(`state dict lacks ${key} (shape [${shape.join(", ")}]) for an MLP ${widths.join("-")}; keys present: ${Object.keys(dict.tensors).join(", ") || "none"}`);
    if (!Array.isArray(t.shape) || t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      const hint = shape.length === 2 && Array.isArray(t.shape) && t.shape[0] === shape[1] && t.shape[1] === shape[0] ? " (it looks transposed: PyTorch's weight is [out, in])" : "";
      throw new Error(`${key} has shape [${t.shape}], expected [${shape.join(", ")}]${hint}`);
    }
    const size = shape.reduce((a, b) => a * b, 1);
    if (!t.data || t.data.length !== size) throw new Error(`${key} holds ${t.data?.length ?? 0} values, its shape [${shape.join(", ")}] needs ${size}`);
    for (let i = 0; i < size; i++) if (!Number.isFinite(t.data[i])) throw new Error(`${key}[${i}] = ${t.data[i]} is not a finite number`);
    weights.push(shape.length === 2 ? transpose2d(t.data, shape[0], shape[1]) : Float32Array.from(t.data));
  }
  return new Mlp(spec, weights);
}
