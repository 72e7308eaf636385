/**
 * Which Redis a sweep talks to, and how its secrets stay out of sight. The URL (redis://user:password@
 * host:port/db, or rediss:// for TLS) comes from the environment (KDH_REDIS_URL) or from a file named
 * there (KDH_REDIS_URL_FILE); a command line may name the server (`--redis redis://host:port`) but never
 * carry its password, since any user of the machine can read arguments with `ps`: that password comes
 * from KDH_REDIS_PASSWORD_FILE or KDH_REDIS_PASSWORD. Every line a sweep prints goes through `redact`,
 * which replaces the password (raw and URL-encoded) and the full URL with their redacted forms.
 */
import * as fs from "node:fs";
import { isIP } from "node:net";
import type { RedisOptions } from "ioredis";

export const REDIS_URL_ENV = "KDH_REDIS_URL";
export const REDIS_URL_FILE_ENV = "KDH_REDIS_URL_FILE";
/** The password for a Redis named on the command line (`--redis URL`, which must not carry one), or a file holding it. */
export const REDIS_PASSWORD_ENV = "KDH_REDIS_PASSWORD";
export const REDIS_PASSWORD_FILE_ENV = "KDH_REDIS_PASSWORD_FILE";
/** PEM file of the certificate authority that signed a TLS Redis's certificate (rediss:// only). */
export const REDIS_CA_FILE_ENV = "KDH_REDIS_CA_FILE";

export interface RedisTarget {
  /** The URL with its password replaced by ***: the only form ever printed. */
  redacted: string;
  /** ioredis connection options (password included: never print them). */
  options: RedisOptions;
  /** Replace every secret of this target in a text. */
  redact(text: string): string;
}

/** `redis://user:***@host:port/db`: the URL with any password hidden (or the whole URL when it does not parse). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<unparseable Redis URL>";
  }
}

/** Parse a Redis URL into connection options; errors name only the redacted URL. */
export function parseRedisUrl(url: string, env: NodeJS.ProcessEnv = process.env): RedisTarget {
  const redacted = redactUrl(url.trim());
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new Error(`${redacted}: expected redis://[user:password@]host[:port][/db] or rediss://... for TLS`);
  }
  if (u.protocol !== "redis:" && u.protocol !== "rediss:") throw new Error(`Redis URL ${redacted} has scheme ${u.protocol}, expected redis: or rediss: (TLS)`);
  if (!u.hostname) throw new Error(`Redis URL ${redacted} names no host`);
  const port = u.port ? Number(u.port) : 6379;
  const db = u.pathname && u.pathname !== "/" ? Number(u.pathname.slice(1)) : 0;
  if (!Number.isInteger(db) || db < 0 || db > 15) throw new Error(`Redis URL ${redacted}: database ${JSON.stringify(u.pathname.slice(1))} is not 0-15`);
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const options: RedisOptions = { host: u.hostname.replace(/^\[|\]$/g, ""), port, db, ...(username ? { username } : {}), ...(password ? { password } : {}) };
  if (u.protocol === "rediss:") {
    const caFile = env[REDIS_CA_FILE_ENV];
    // SNI takes a host name only (RFC 6066); an IP address is checked against the certificate's IP entries.
    options.tls = { ...(isIP(options.host!) ? {} : { servername: options.host }), ...(caFile ? { ca: fs.readFileSync(caFile) } : {}) };
  }
  const secrets = [url.trim(), password, u.password].filter((s): s is string => !!s && s.length > 0).sort((a, b) => b.length - a.length);
  const redact = (text: string) => {
    let out = text;
    for (const s of secrets) out = out.split(s).join(s === url.trim() ? redacted : "***");
    return out;
  };
  return { redacted, options, redact };
}

/** The trimmed contents of a secret file named by `envName`: a file others can read is refused. */
function readPrivateFile(envName: string, file: string, holds: string): string {
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch (e) {
    throw new Error(`${envName}=${file}: cannot read it (${(e as NodeJS.ErrnoException).code})`);
  }
  if (!st.isFile()) throw new Error(`${envName}=${file} is not a file`);
  if (st.mode & 0o077) throw new Error(`${envName}=${file} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); run chmod 600 ${file}`);
  const text = fs.readFileSync(file, "utf8").trim();
  if (!text) throw new Error(`${envName}=${file} is empty; it should hold ${holds}`);
  return text;
}

/**
 * Refuse a Redis URL that carries a password where it would be visible (a command-line argument),
 * pointing to the places a password belongs. The message shows the URL redacted.
 */
export function checkNoPassword(url: string, where: string): void {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    throw new Error(`${where}: ${redactUrl(url)} is not a URL; expected redis://[user@]host[:port][/db] or rediss://... for TLS`);
  }
  if (u.password) {
    throw new Error(
      `${where} ${redactUrl(url)} carries a password, and a command line is visible to every user of the machine (ps); ` +
        `give the URL without it and the password in a file named by ${REDIS_PASSWORD_FILE_ENV} (chmod 600), or put the whole URL in ${REDIS_URL_FILE_ENV} or ${REDIS_URL_ENV}`,
    );
  }
}

/**
 * The Redis named on the command line (`--redis redis://[user@]host:port`): the URL must not hold a
 * password; one, when the server needs it, comes from KDH_REDIS_PASSWORD_FILE or KDH_REDIS_PASSWORD.
 * Refused when KDH_REDIS_URL or KDH_REDIS_URL_FILE also names a Redis (two answers to one question).
 * Returns the target and the full URL (password included) to hand to child workers in their environment.
 */
export function redisTargetFromCommandLine(url: string, env: NodeJS.ProcessEnv = process.env): { target: RedisTarget; url: string } {
  checkNoPassword(url, "--redis");
  if (env[REDIS_URL_ENV] || env[REDIS_URL_FILE_ENV]) throw new Error(`--redis ${redactUrl(url)} and ${env[REDIS_URL_ENV] ? REDIS_URL_ENV : REDIS_URL_FILE_ENV} both name a Redis; give only one`);
  const full = withPasswordFromEnv(url.trim(), env);
  // parseRedisUrl's redaction covers the password raw and URL-encoded.
  return { target: parseRedisUrl(full, env), url: full };
}

/**
 * A URL without a password gets the one in KDH_REDIS_PASSWORD_FILE or KDH_REDIS_PASSWORD, when set;
 * a URL that has one keeps it (setting both is refused: which one is meant?).
 */
function withPasswordFromEnv(url: string, env: NodeJS.ProcessEnv): string {
  const file = env[REDIS_PASSWORD_FILE_ENV];
  const direct = env[REDIS_PASSWORD_ENV];
  if (file && direct) throw new Error(`both ${REDIS_PASSWORD_ENV} and ${REDIS_PASSWORD_FILE_ENV} are set; set only one`);
  if (!file && !direct) return url;
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url; // parseRedisUrl names the problem
  }
  if (u.password) throw new Error(`${redactUrl(url)} holds a password and ${file ? REDIS_PASSWORD_FILE_ENV : REDIS_PASSWORD_ENV} gives another; keep only one`);
  u.password = encodeURIComponent(file ? readPrivateFile(REDIS_PASSWORD_FILE_ENV, file, "the Redis password") : direct!);
  return u.toString();
}

/**
 * The Redis configured in the environment, or undefined when none is. KDH_REDIS_URL_FILE is read as
 * a file holding the URL (e.g. a secret mounted by the administrator); a file others can read is refused.
 * A URL without a password takes the one of KDH_REDIS_PASSWORD_FILE / KDH_REDIS_PASSWORD, if any.
 */
export function redisTargetFromEnv(env: NodeJS.ProcessEnv = process.env): RedisTarget | undefined {
  const file = env[REDIS_URL_FILE_ENV];
  const direct = env[REDIS_URL_ENV];
  if (file && direct) throw new Error(`both ${REDIS_URL_ENV} and ${REDIS_URL_FILE_ENV} are set; set only one`);
  if (direct) return parseRedisUrl(withPasswordFromEnv(direct.trim(), env), env);
  if (!file) return undefined;
  return parseRedisUrl(withPasswordFromEnv(readPrivateFile(REDIS_URL_FILE_ENV, file, "one redis:// or rediss:// URL"), env), env);
}
