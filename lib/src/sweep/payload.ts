/**
 * A job as it travels through Redis, and the checks a worker applies before running one. A payload is
 * data only: a registered recipe's name, that recipe's parameters (every key, each of its declared type
 * and within its rule), a seed and the code version. Anything else (unknown or path-like keys, strings
 * that look like paths, oversized payloads, a job id that is not the hash of its payload) is rejected
 * with a reason, so a hostile or corrupted job cannot steer a worker, and never becomes a path.
 */
import { checkParamRules, type ParamRule } from "../core/config";
import { stableHash, stableStringify } from "../core/store";
import type { GridCell, JobParams, JobValue, SweepRecipe } from "./recipe";

export const PAYLOAD_VERSION = 1;
/** Far above any real grid cell (a few hundred bytes), far below anything that could hurt a worker. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;
const MAX_LIST = 1000;
const MAX_STRING = 128;
const NAME_RE = /^[A-Za-z0-9_-]{1,64}$/;
const KEY_RE = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;
/** Plain words and numbers: no slash, backslash, "..", quotes or control characters. */
const STRING_RE = /^[A-Za-z0-9 _.,:+=()-]*$/;

export interface JobPayload {
  v: number;
  recipe: string;
  params: JobParams;
  seed: number;
  code: string;
}

/** The job key: config hash (recipe, parameters, seed) + code version. Also the BullMQ job id. */
export function jobKey(p: Pick<JobPayload, "recipe" | "params" | "seed" | "code">): string {
  return `${p.recipe}-s${p.seed}-${stableHash({ recipe: p.recipe, params: p.params, seed: p.seed, code: p.code }, 24)}`;
}

export function makePayload(recipe: SweepRecipe, cell: GridCell, code: string): JobPayload {
  return { v: PAYLOAD_VERSION, recipe: recipe.name, params: cell.params, seed: cell.seed, code };
}

export type PayloadCheck = { ok: true; recipe: SweepRecipe; payload: JobPayload; key: string } | { ok: false; reason: string };

function show(v: unknown): string {
  const s = typeof v === "string" ? JSON.stringify(v) : stableStringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function typeOf(v: unknown): string {
  if (Array.isArray(v)) return v.every((x) => typeof x === "number") ? "number[]" : v.every((x) => typeof x === "string") ? "string[]" : "mixed list";
  return v === null ? "null" : typeof v;
}

/** Why one value does not fit its default's type, or undefined. */
function valueProblem(key: string, v: unknown, def: JobValue, rule?: ParamRule): string | undefined {
  // An empty default list says nothing about its element type: a numeric rule says numbers.
  const numericRule = !!rule && (rule.min !== undefined || rule.max !== undefined || rule.integer === true);
  const want = Array.isArray(def) && def.length === 0 ? (numericRule ? "number[]" : "list") : typeOf(def);
  const got = typeOf(v);
  const strOk = (s: string) => s.length <= MAX_STRING && STRING_RE.test(s) && !s.includes("..");
  if (Array.isArray(def)) {
    if (!Array.isArray(v)) return `parameter ${key}=${show(v)} is a ${got}, expected ${want}`;
    if (v.length > MAX_LIST) return `parameter ${key} has ${v.length} elements, at most ${MAX_LIST} allowed`;
    if (v.length > 0 && want !== "list" && got !== want) return `parameter ${key}=${show(v)} is a ${got}, expected ${want}`;
    for (const x of v) {
      if (typeof x === "number" && !Number.isFinite(x)) return `parameter ${key} holds ${show(x)}, not a finite number`;
      if (typeof x === "string" && !strOk(x)) return `parameter ${key} holds ${show(x)}: strings must be plain words (letters, digits, spaces, _.,:+=()-; no slashes, no "..")`;
      if (typeof x !== "number" && typeof x !== "string") return `parameter ${key} holds ${show(x)}, expected ${want} elements`;
    }
    return undefined;
  }
  if (got !== want) return `parameter ${key}=${show(v)} is a ${got}, expected ${want}`;
  if (typeof v === "number" && !Number.isFinite(v)) return `parameter ${key}=${show(v)} is not a finite number`;
  if (typeof v === "string" && !strOk(v)) return `parameter ${key}=${show(v)}: strings must be plain words (letters, digits, spaces, _.,:+=()-; no slashes, no "..")`;
  return undefined;
}

/**
 * Check a payload (as parsed from the queue) against the registry and this worker's code version.
 * `jobId`, when given, must be the payload's own key, so a job cannot write its row under another key.
 */
export function checkPayload(raw: unknown, lookup: (name: string) => SweepRecipe | undefined, opts: { code: string; jobId?: string }): PayloadCheck {
  const fail = (reason: string): PayloadCheck => ({ ok: false, reason });
  let bytes: number;
  try {
    bytes = Buffer.byteLength(JSON.stringify(raw) ?? "");
  } catch {
    return fail("payload is not JSON-serialisable");
  }
  if (bytes > MAX_PAYLOAD_BYTES) return fail(`payload is ${bytes} bytes, more than the ${MAX_PAYLOAD_BYTES} allowed`);
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return fail(`payload is ${typeOf(raw)}, expected an object {v, recipe, params, seed, code}`);
  const o = raw as Record<string, unknown>;
  const allowed = ["v", "recipe", "params", "seed", "code"];
  const unknown = Object.keys(o).filter((k) => !allowed.includes(k));
  if (unknown.length) return fail(`unknown payload key(s) ${unknown.map(show).join(", ")}; a payload has only ${allowed.join(", ")}`);
  if (o.v !== PAYLOAD_VERSION) return fail(`payload version ${show(o.v)}, expected ${PAYLOAD_VERSION}`);
  if (typeof o.recipe !== "string" || !NAME_RE.test(o.recipe)) return fail(`recipe name ${show(o.recipe)} is not 1-64 letters, digits, - or _`);
  const recipe = Object.hasOwn(o, "recipe") ? lookup(o.recipe) : undefined;
  if (!recipe) return fail(`unknown recipe ${show(o.recipe)}`);
  if (typeof o.code !== "string" || !/^[0-9a-f]{16}$/.test(o.code)) return fail(`code version ${show(o.code)} is not 16 hex digits`);
  if (o.code !== opts.code) return fail(`job was made by code version ${o.code}; this worker runs ${opts.code} (update the worker's checkout, or re-enqueue from the same commit)`);
  if (typeof o.seed !== "number" || !Number.isInteger(o.seed) || o.seed < 0 || o.seed > 2 ** 31 - 1) return fail(`seed ${show(o.seed)} is not a whole number from 0 to 2^31-1`);
  const params = o.params;
  if (!params || typeof params !== "object" || Array.isArray(params)) return fail(`params is ${typeOf(params)}, expected an object`);
  const defaults = recipe.job.defaults;
  for (const key of Object.keys(params)) {
    if (!KEY_RE.test(key)) return fail(`parameter name ${show(key)} is not a plain identifier`);
    if (!Object.hasOwn(defaults, key)) return fail(`unknown parameter ${show(key)} for recipe ${recipe.name}; its parameters: ${Object.keys(defaults).join(", ")}`);
  }
  const missing = Object.keys(defaults).filter((k) => !Object.hasOwn(params, k));
  if (missing.length) return fail(`missing parameter(s) ${missing.join(", ")} for recipe ${recipe.name}`);
  for (const [key, v] of Object.entries(params as Record<string, unknown>)) {
    const why = valueProblem(key, v, defaults[key], (recipe.job.rules as Record<string, ParamRule | undefined>)[key]);
    if (why) return fail(why);
  }
  try {
    checkParamRules(params as JobParams, recipe.job.rules);
  } catch (e) {
    return fail((e as Error).message);
  }
  const payload: JobPayload = { v: PAYLOAD_VERSION, recipe: recipe.name, params: params as JobParams, seed: o.seed, code: o.code };
  const key = jobKey(payload);
  if (opts.jobId !== undefined && opts.jobId !== key) return fail(`job id ${show(opts.jobId)} is not the key of its payload (${key})`);
  return { ok: true, recipe, payload, key };
}
