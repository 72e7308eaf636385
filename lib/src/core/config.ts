/**
 * Typed configuration: a defaults object is the schema. Overrides come from a notebook's parameters
 * cell, from the environment (the runner passes `--set key=value` as KDH_PARAMS) or from a script's
 * `--key=value` flags; unknown keys and wrong types are rejected with the list of valid keys.
 *
 * Run sizes: `quick` (the default: small data, few epochs, minutes), `full` (paper scale), or
 * whatever the user passes on top of either.
 */

export type ConfigValue = number | string | boolean | number[] | string[];
export type Config = Record<string, ConfigValue>;
export type Mode = "quick" | "full";

/**
 * What a parameter may hold beyond its type: declared once per recipe and checked before any data or
 * teacher loads, so `--set trainSize=0` fails in the parameters cell with the name the user typed.
 * Array parameters apply `min`/`max`/`integer`/`oneOf` to each element and `minLength`/`maxLength` to the list.
 */
export interface ParamRule {
  min?: number;
  max?: number;
  integer?: boolean;
  minLength?: number;
  maxLength?: number;
  oneOf?: readonly (string | number)[];
  /** One phrase saying what the parameter is, for error messages ("training images per run"). */
  what?: string;
}
export type ParamRules<T> = { [K in keyof T]?: ParamRule };

export const MODE_ENV = "KDH_MODE";
export const PARAMS_ENV = "KDH_PARAMS";
/**
 * Set by the runner to "--set" when KDH_PARAMS holds the user's `--set key=value` options, so errors
 * quote the option the user typed (`--set epochs=1e9`) instead of an environment variable they never saw.
 */
export const PARAMS_SOURCE_ENV = "KDH_PARAMS_SOURCE";

export function runMode(): Mode {
  const raw = (process.env[MODE_ENV] ?? "quick").trim().toLowerCase();
  if (raw === "" || raw === "quick") return "quick";
  if (raw === "full") return "full";
  throw new Error(`${MODE_ENV}=${JSON.stringify(process.env[MODE_ENV])} is not a run size; expected "quick" or "full".`);
}

function typeName(v: unknown): string {
  if (Array.isArray(v)) return v.length && typeof v[0] === "string" ? "string[]" : "number[]";
  return typeof v;
}

/**
 * Coerce one override to the type of its default, or throw naming key, value and expected type.
 * `label` names the value as the user gave it (e.g. `--set lr=fast`); by default `parameter lr="fast"`.
 */
export function coerce(key: string, raw: unknown, def: ConfigValue, label?: string): ConfigValue {
  const fail = (why = ""): never => {
    const what = label ? `${label}: ${JSON.stringify(raw)} is` : `parameter ${key}=${JSON.stringify(raw)} is`;
    throw new Error(`${what} not a valid ${typeName(def)}${why}; the default is ${JSON.stringify(def)}.`);
  };
  if (typeof def === "number") {
    const n = typeof raw === "number" ? raw : typeof raw === "string" && raw.trim() !== "" ? Number(raw) : NaN;
    if (!Number.isFinite(n)) fail(" (it must be a finite number)");
    return n;
  }
  if (typeof def === "boolean") {
    if (typeof raw === "boolean") return raw;
    if (raw === "true" || raw === "1") return true;
    if (raw === "false" || raw === "0") return false;
    return fail(" (use true or false)");
  }
  if (typeof def === "string") {
    if (typeof raw !== "string" && typeof raw !== "number") fail();
    return String(raw);
  }
  // Arrays: a JSON array, or a comma-separated list on the command line.
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? (raw.trim().startsWith("[") ? safeJson(raw, fail) : raw.split(",")) : fail();
  if (!Array.isArray(list)) return fail();
  const wantString = def.length > 0 && typeof def[0] === "string";
  return list.map((x) => {
    if (wantString) return String(x).trim();
    const n = typeof x === "number" ? x : Number(String(x).trim());
    if (!Number.isFinite(n)) fail(` (element ${JSON.stringify(x)} is not a finite number)`);
    return n;
  }) as ConfigValue;
}

function safeJson(s: string, fail: (why?: string) => never): unknown {
  try {
    return JSON.parse(s);
  } catch {
    return fail(" (not valid JSON)");
  }
}

/**
 * defaults ← overrides, checking every override key exists and has the right type. `label(key)`, when
 * given, names an override as the user typed it (`--set epoch=3`) in the error messages.
 */
export function resolveConfig<T extends object>(defaults: T, overrides: Record<string, unknown> = {}, where = "overrides", label?: (key: string) => string): T {
  const base = defaults as unknown as Config;
  const out: Config = { ...base };
  for (const [key, raw] of Object.entries(overrides)) {
    if (!(key in base)) {
      const given = label ? `given with ${label(key)}` : `in ${where}`;
      throw new Error(`unknown parameter ${JSON.stringify(key)} ${given}; valid parameters: ${Object.keys(base).join(", ")}.`);
    }
    if (raw === undefined) continue;
    out[key] = coerce(key, raw, base[key], label?.(key));
  }
  return out as unknown as T;
}

function describeRule(r: ParamRule): string {
  const parts: string[] = [];
  if (r.integer) parts.push("a whole number");
  if (r.min !== undefined && r.max !== undefined) parts.push(`between ${r.min} and ${r.max}`);
  else if (r.min !== undefined) parts.push(`at least ${r.min}`);
  else if (r.max !== undefined) parts.push(`at most ${r.max}`);
  if (r.oneOf) parts.push(`one of ${r.oneOf.map((x) => JSON.stringify(x)).join(", ")}`);
  return parts.join(", ");
}

/**
 * Check resolved values against their rules. `source(key)` names where a value came from (e.g.
 * `--set trainSize=0`), so the message points at what the user typed.
 */
export function checkParamRules<T extends object>(values: T, rules: ParamRules<T>, source: (key: string) => string = (k) => `parameter ${k}`): void {
  for (const [key, rule] of Object.entries(rules) as [string, ParamRule | undefined][]) {
    if (!rule) continue;
    if (!(key in (values as object))) throw new Error(`rule for unknown parameter ${JSON.stringify(key)}; valid parameters: ${Object.keys(values).join(", ")}.`);
    const v = (values as Record<string, unknown>)[key];
    const what = rule.what ? ` (${rule.what})` : "";
    const fail = (why: string): never => {
      throw new Error(`${source(key)}${what}: ${why}; change the value or leave it at its default.`);
    };
    const checkOne = (x: unknown, label: string) => {
      if (rule.oneOf && !rule.oneOf.includes(x as string | number)) fail(`${label}${JSON.stringify(x)} is not ${describeRule({ oneOf: rule.oneOf })}`);
      if (typeof x !== "number") return;
      const bad = (rule.integer && !Number.isInteger(x)) || (rule.min !== undefined && x < rule.min) || (rule.max !== undefined && x > rule.max);
      if (bad) fail(`${label}${x} is not ${describeRule({ ...rule, oneOf: undefined })}`);
    };
    if (Array.isArray(v)) {
      if (rule.minLength !== undefined && v.length < rule.minLength) fail(`the list ${JSON.stringify(v)} has ${v.length} element(s), expected at least ${rule.minLength}`);
      if (rule.maxLength !== undefined && v.length > rule.maxLength) fail(`the list ${JSON.stringify(v)} has ${v.length} element(s), expected at most ${rule.maxLength}`);
      v.forEach((x, i) => checkOne(x, `element ${i} = `));
    } else checkOne(v, "");
  }
}

/** Overrides passed by the runner in KDH_PARAMS (a JSON object), or {}. */
export function envOverrides(): Record<string, unknown> {
  const raw = process.env[PARAMS_ENV];
  if (!raw || raw.trim() === "") return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (e) {
    throw new Error(`${PARAMS_ENV} must be a JSON object such as {"epochs": 3}; got ${JSON.stringify(raw)} (${(e as Error).message}).`);
  }
  if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) {
    throw new Error(`${PARAMS_ENV} must be a JSON object such as {"epochs": 3}; got ${JSON.stringify(raw)}.`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * A notebook's parameters: quick defaults, full-size changes, then the user's overrides from
 * KDH_PARAMS. Keys in KDH_PARAMS that this notebook does not have are ignored only when the runner says
 * the overrides are shared across notebooks (KDH_PARAMS_LENIENT=1); otherwise they are an error.
 */
export function notebookParams<T extends object>(spec: { quick: T; full?: Partial<T>; rules?: ParamRules<T> }): T & { mode: Mode } {
  const mode = runMode();
  const base = mode === "full" ? resolveConfig(spec.quick, (spec.full ?? {}) as Record<string, unknown>, "the full-mode settings") : spec.quick;
  let overrides = envOverrides();
  if (process.env.KDH_PARAMS_LENIENT === "1") {
    overrides = Object.fromEntries(Object.entries(overrides).filter(([k]) => k in (spec.quick as object)));
  }
  const label = process.env[PARAMS_SOURCE_ENV] === "--set" ? (key: string) => `--set ${key}=${setText(overrides[key])}` : undefined;
  const resolved = resolveConfig(base, overrides, PARAMS_ENV, label);
  if (spec.rules) {
    const from = (key: string) =>
      key in overrides
        ? (label?.(key) ?? `${key}=${JSON.stringify(overrides[key])} (set by the user)`)
        : `${key}=${JSON.stringify((resolved as Record<string, unknown>)[key])} (the ${mode}-mode default)`;
    checkParamRules(resolved, spec.rules, from);
  }
  return { ...resolved, mode };
}

/** A value as it was typed after `--set key=`: the runner passes strings through unchanged. */
function setText(raw: unknown): string {
  return typeof raw === "string" ? raw : JSON.stringify(raw);
}

/**
 * Parse `--key=value` / `--flag` command-line arguments against defaults. Positional arguments and
 * unknown keys are rejected with the list of valid ones.
 */
export function parseCliArgs<T extends object>(argv: string[], defaults: T): T {
  const base = defaults as unknown as Config;
  const overrides: Record<string, unknown> = {};
  for (const arg of argv) {
    const m = /^--([A-Za-z][\w-]*)(?:=(.*))?$/s.exec(arg);
    if (!m) throw new Error(`unexpected argument ${JSON.stringify(arg)}; use --key=value with one of: ${Object.keys(base).map((k) => "--" + k).join(", ")}.`);
    const key = m[1].replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    const value = m[2] ?? (typeof base[key] === "boolean" ? "true" : undefined);
    if (value === undefined) throw new Error(`--${m[1]} needs a value (--${m[1]}=...)`);
    overrides[key] = value;
  }
  return resolveConfig(defaults, overrides, "the command line");
}
