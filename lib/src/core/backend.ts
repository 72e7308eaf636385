/**
 * Backend selection: the fastest TensorFlow.js backend that actually loads here.
 *
 * Order: `tensorflow` (tfjs-node, native libtensorflow; only where its install could download it),
 * `blas` (this project's backend that routes matrix products and convolutions to OpenBLAS, see
 * blas-backend.ts), `wasm` (ships inside its npm package, works offline), `cpu` (plain JS, always there).
 * `KDH_BACKEND=<name>` forces one and fails loudly if it cannot load, so a forced run never silently
 * measures something else.
 */
import * as tf from "@tensorflow/tfjs";

export const BACKEND_ORDER = ["tensorflow", "blas", "wasm", "cpu"] as const;
export type BackendName = (typeof BACKEND_ORDER)[number];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  /** Why it was skipped or failed; empty when it loaded. */
  detail: string;
  /** What a loaded backend says about itself (blas: which path convolutions take). */
  note?: string;
}

export interface BackendChoice {
  name: BackendName;
  /** One line for a notebook's first output: which backend and why. */
  reason: string;
  forced: boolean;
  attempts: BackendAttempt[];
}

let current: BackendChoice | undefined;
let pending: Promise<BackendChoice> | undefined;

/** The environment variable that forces a backend. */
export const BACKEND_ENV = "KDH_BACKEND";

// The cpu backend prints a "Hi, looks like you are running TensorFlow.js in Node.js" banner the first
// time it is created unless PROD is set; it would land in every notebook's output.
tf.env().set("PROD", true);

/** Registers a backend; may return a one-line note about it for the choice's reason. */
type Loader = () => Promise<string | void>;

const FIX_HINT: Record<BackendName, string> = {
  tensorflow: "install @tensorflow/tfjs-node on a machine that can download libtensorflow (npm install @tensorflow/tfjs-node)",
  blas: "run 'npm run setup' (it installs libopenblas-dev and builds the native addon)",
  wasm: "reinstall @tensorflow/tfjs-backend-wasm (npm ci)",
  cpu: "reinstall @tensorflow/tfjs (npm ci)",
};

function loaders(): Record<BackendName, Loader> {
  return {
    tensorflow: async () => {
      // Registers the `tensorflow` backend on this same tfjs-core (npm dedupes the 4.22 copies).
      require("@tensorflow/tfjs-node");
      if (!tf.findBackend("tensorflow") && !tf.engine().registryFactory["tensorflow"]) {
        throw new Error("@tensorflow/tfjs-node loaded but registered no 'tensorflow' backend");
      }
    },
    blas: async () => {
      // Lazy so that a missing native build costs nothing when another backend is forced.
      const { registerBlasBackend, convPathLine } = require("./blas-backend") as typeof import("./blas-backend");
      registerBlasBackend();
      return convPathLine();
    },
    wasm: async () => {
      require("@tensorflow/tfjs-backend-wasm");
    },
    cpu: async () => {
      /* always registered by @tensorflow/tfjs */
    },
  };
}

/**
 * The Emscripten glue of the wasm backend installs process-wide uncaughtException and
 * unhandledRejection handlers that rethrow, which prints the whole minified glue source (tens of KB)
 * above every ordinary error, in scripts and in notebook cells alike. Drop whatever it adds.
 */
export async function withoutNewProcessHandlers<T>(load: () => Promise<T>): Promise<T> {
  type Listener = (...args: unknown[]) => void;
  const events = ["uncaughtException", "unhandledRejection"];
  const emitter = process as unknown as NodeJS.EventEmitter;
  const before = new Map(events.map((e) => [e, new Set(emitter.listeners(e))]));
  try {
    return await load();
  } finally {
    for (const e of events) {
      for (const l of emitter.listeners(e)) if (!before.get(e)!.has(l)) emitter.removeListener(e, l as Listener);
    }
  }
}

function parseForced(raw: string | undefined): BackendName | undefined {
  if (raw === undefined || raw.trim() === "") return undefined;
  const name = raw.trim().toLowerCase();
  if ((BACKEND_ORDER as readonly string[]).includes(name)) return name as BackendName;
  throw new Error(
    `${BACKEND_ENV}=${JSON.stringify(raw)} is not a backend name; expected one of ` +
      `${BACKEND_ORDER.join(", ")} (or unset it to pick the fastest that loads).`,
  );
}

function shortError(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  return msg.split("\n")[0].slice(0, 200);
}

async function tryBackend(name: BackendName): Promise<BackendAttempt> {
  return withoutNewProcessHandlers(() => tryBackendNow(name));
}

async function tryBackendNow(name: BackendName): Promise<BackendAttempt> {
  try {
    const note = (await loaders()[name]()) || undefined;
    const ok = await tf.setBackend(name);
    if (!ok) return { name, ok: false, detail: `tf.setBackend('${name}') returned false` };
    await tf.ready();
    // A backend that registers but cannot compute is worse than none: check one tiny op.
    const probe = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    if (probe !== 11) return { name, ok: false, detail: `self-check 1*3+2*4 gave ${probe}, expected 11` };
    return { name, ok: true, detail: "", note };
  } catch (e) {
    return { name, ok: false, detail: shortError(e) };
  }
}

/**
 * Pick and initialise the backend once per process; later calls return the same choice.
 * @param force a backend name, overriding the KDH_BACKEND environment variable.
 */
export function initBackend(force?: string): Promise<BackendChoice> {
  if (current && force === undefined) return Promise.resolve(current);
  if (pending && force === undefined) return pending;
  pending = choose(force).then((c) => (current = c));
  return pending;
}

async function choose(force?: string): Promise<BackendChoice> {
  const forced = parseForced(force ?? process.env[BACKEND_ENV]);
  const attempts: BackendAttempt[] = [];
  if (forced) {
    const a = await tryBackend(forced);
    attempts.push(a);
    if (!a.ok) {
      throw new Error(
        `backend '${forced}' was forced (${force !== undefined ? "by the caller" : `by ${BACKEND_ENV}`}) but could not load: ` +
          `${a.detail}. Unset ${BACKEND_ENV} to fall back automatically, or ${FIX_HINT[forced]}.`,
      );
    }
    return { name: forced, forced: true, attempts, reason: `${forced} (forced by ${force !== undefined ? "caller" : BACKEND_ENV})${a.note ? `; ${a.note}` : ""}` };
  }
  for (const name of BACKEND_ORDER) {
    const a = await tryBackend(name);
    attempts.push(a);
    if (a.ok) {
      const skipped = attempts.filter((x) => !x.ok).map((x) => `${x.name}: ${x.detail}`);
      const reason = (skipped.length
        ? `${name} (fastest that loaded; skipped ${skipped.join("; ")})`
        : `${name} (fastest available)`) + (a.note ? `; ${a.note}` : "");
      return { name, forced: false, attempts, reason };
    }
  }
  throw new Error(`no TensorFlow.js backend could be initialised: ${attempts.map((a) => `${a.name}: ${a.detail}`).join("; ")}`);
}

/** The choice made by initBackend, or undefined before it ran. */
export function backendChoice(): BackendChoice | undefined {
  return current;
}

/**
 * Whether the current backend can train convolutional networks. The wasm backend as shipped has no
 * Conv2DBackpropFilter kernel (the blas backend adds one on OpenBLAS), so on a machine where the native
 * addon did not build, convolutional arms are skipped with this reason instead of failing mid-training.
 */
export function convolutionTraining(): { ok: boolean; reason: string } {
  const name = tf.getBackend();
  if (tf.getKernel("Conv2DBackpropFilter", name) && tf.getKernel("Conv2DBackpropInput", name)) return { ok: true, reason: "" };
  return {
    ok: false,
    reason:
      `the ${name} backend cannot train convolutional networks (it has no Conv2DBackpropFilter kernel); ` +
      `the blas backend can: ${FIX_HINT.blas}${process.env[BACKEND_ENV] ? `, and unset ${BACKEND_ENV}` : ""}`,
  };
}

/** Throw the reason above, naming what needed it, when the current backend cannot train convolutions. */
export function requireConvolutionTraining(what: string): void {
  const c = convolutionTraining();
  if (!c.ok) throw new Error(`${what}: ${c.reason}.`);
}
