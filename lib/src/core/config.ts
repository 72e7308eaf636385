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

export const MODE_ENV = "KDH_MODE";
export const PARAMS_ENV = "KDH_PARAMS";

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

/** Coerce one override to the type of its default, or throw naming key, value and expected type. */
export function coerce(key: string, raw: unknown, def: ConfigValue): ConfigValue {
  const fail = (why = ""): never => {
    throw new Error(`parameter ${key}=${JSON.stringify(raw)} is not a valid ${typeName(def)}${why}; the default is ${JSON.stringify(def)}.`);
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

/** defaults ← overrides, checking every override key exists and has the right type. */
export function resolveConfig<T extends object>(defaults: T, overrides: Record<string, unknown> = {}, where = "overrides"): T {
  const base = defaults as unknown as Config;
  const out: Config = { ...base };
  for (const [key, raw] of Object.entries(overrides)) {
    if (!(key in base)) {
      throw new Error(`unknown parameter ${JSON.stringify(key)} in ${where}; valid parameters: ${Object.keys(base).join(", ")}.`);
    }
    if (raw === undefined) continue;
    out[key] = coerce(key, raw, base[key]);
  }
  return out as unknown as T;
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
export function notebookParams<T extends object>(spec: { quick: T; full?: Partial<T> }): T & { mode: Mode } {
  const mode = runMode();
  const base = mode === "full" ? resolveConfig(spec.quick, (spec.full ?? {}) as Record<string, unknown>, "the full-mode settings") : spec.quick;
  let overrides = envOverrides();
  if (process.env.KDH_PARAMS_LENIENT === "1") {
    overrides = Object.fromEntries(Object.entries(overrides).filter(([k]) => k in (spec.quick as object)));
  }
  const resolved = resolveConfig(base, overrides, PARAMS_ENV);
  return { ...resolved, mode };
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
