/**
 * Notebook output that also behaves outside a notebook: markdown, the backend banner, and a live
 * progress line. Inside a tslab kernel these go through tslab's display API (one MIME type per call;
 * `newDisplay()` updates one output in place). In a script or test, `require("tslab").display.*` throws
 * "Not ready", so every helper checks `inKernel()` first and falls back to the console.
 */
import { backendChoice } from "./backend";

type TslabDisplay = {
  html(s: string): void;
  markdown(s: string): void;
  text(s: string): void;
};
type Tslab = { display: TslabDisplay; newDisplay(): TslabDisplay };

let tslabCache: Tslab | null | undefined;

function tslabModule(): Tslab | null {
  if (tslabCache !== undefined) return tslabCache;
  try {
    tslabCache = require("tslab") as Tslab;
  } catch {
    tslabCache = null;
  }
  return tslabCache;
}

/**
 * True when this process is a tslab kernel executing a cell. tslab sets `lastWriteDisplayData` in its
 * jupyter module when it starts executing a cell; it is null in any other process that merely
 * requires tslab. KDH_FORCE_CONSOLE=1 pretends we are not in a kernel (for tests).
 */
export function inKernel(): boolean {
  if (process.env.KDH_FORCE_CONSOLE === "1") return false;
  if (!tslabModule()) return false;
  try {
    const jupyter = require("tslab/dist/jupyter") as { lastWriteDisplayData?: unknown };
    return typeof jupyter.lastWriteDisplayData === "function";
  } catch {
    return false;
  }
}

/** Send text/html to the notebook, or print a note on the console outside a kernel. */
export function displayHtml(html: string): void {
  const t = inKernel() ? tslabModule() : null;
  if (t) t.display.html(html);
  else console.log(`[html output, ${html.length} characters]`);
}

/** Show markdown in a notebook; print it as plain text elsewhere. */
export function showMarkdown(text: string): void {
  const t = inKernel() ? tslabModule() : null;
  if (t) t.display.markdown(text);
  else console.log(text);
}

/** The one-line backend banner text (call after `await initBackend()`). */
export function backendBanner(): string {
  const choice = backendChoice();
  if (!choice) return "TensorFlow.js backend: not initialised yet (call `await initBackend()` first)";
  return `TensorFlow.js backend: **${choice.name}**: ${choice.reason}`;
}

/** Show which backend runs and why, as one markdown line (backendBanner() gives the text). */
export function showBackendBanner(): void {
  showMarkdown(backendBanner());
}

/** `[#####-----] ` for a fraction in [0,1]; empty when none is given. */
export function bar(fraction?: number, width = 20): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return "";
  const f = Math.min(1, Math.max(0, fraction));
  const n = Math.round(f * width);
  return `[${"#".repeat(n)}${"-".repeat(width - n)}] `;
}

export interface ProgressLine {
  /** New status text; `fraction` in [0,1], when given, draws a bar in front of it. */
  update(text: string, fraction?: number): void;
  done(text?: string): void;
}

/**
 * A progress line labelled `label`. In a kernel it is one output updated in place; on a TTY a `\r`
 * line; otherwise (pipes, CI logs) plain lines, at most one every `minIntervalMs` so logs stay short.
 */
export function progressLine(label: string, opts: { minIntervalMs?: number } = {}): ProgressLine {
  const minInterval = opts.minIntervalMs ?? 2000;
  const t = inKernel() ? tslabModule() : null;
  if (t) {
    const d = t.newDisplay();
    d.text(`${label}: …`);
    // Throttled: a display update per fast epoch floods the kernel's IOPub channel, and nbconvert then
    // stops the cell with "Timeout waiting for IOPub output" (seen with a 400-epoch loop).
    let last = 0;
    const every = opts.minIntervalMs ?? 500;
    return {
      update: (text, fraction) => {
        const now = Date.now();
        if (now - last < every) return;
        last = now;
        d.text(`${label}: ${bar(fraction)}${text}`);
      },
      done: (text = "done") => d.text(`${label}: ${text}`),
    };
  }
  if (process.stdout.isTTY) {
    let width = 0;
    const write = (s: string) => {
      process.stdout.write(`\r${s}${" ".repeat(Math.max(0, width - s.length))}`);
      width = s.length;
    };
    return {
      update: (text, fraction) => write(`${label}: ${bar(fraction)}${text}`),
      done: (text = "done") => {
        write(`${label}: ${text}`);
        process.stdout.write("\n");
      },
    };
  }
  let last = 0;
  return {
    update: (text, fraction) => {
      const now = Date.now();
      if (now - last < minInterval) return;
      last = now;
      console.log(`${label}: ${bar(fraction)}${text}`);
    },
    done: (text = "done") => console.log(`${label}: ${text}`),
  };
}
