/**
 * Per-worker progress of a sweep: counts (done, failed, running, cached), a per-worker breakdown and an
 * ETA, as text lines; and a display that redraws them in place (a notebook output, a terminal) or
 * prints them every few seconds (a log file).
 */
import { inKernel } from "../core/display";

export interface WorkerStats {
  done: number;
  failed: number;
  running: number;
  /** Sum of the job times this worker reported, ms. */
  busyMs: number;
}

export interface SweepProgress {
  total: number;
  done: number;
  cached: number;
  failed: number;
  running: number;
  startedAt: number;
  workers: Map<string, WorkerStats>;
  /** A line about the connection, e.g. "Redis unreachable, reconnecting", or undefined. */
  notice?: string;
}

export function emptyProgress(total: number): SweepProgress {
  return { total, done: 0, cached: 0, failed: 0, running: 0, startedAt: Date.now(), workers: new Map() };
}

export function workerStats(p: SweepProgress, worker: string): WorkerStats {
  let w = p.workers.get(worker);
  if (!w) p.workers.set(worker, (w = { done: 0, failed: 0, running: 0, busyMs: 0 }));
  return w;
}

function duration(ms: number): string {
  if (!Number.isFinite(ms)) return "?";
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, "0")}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
}

/** Remaining time from the rate of jobs finished so far in this run (cached rows excluded). */
export function etaMs(p: SweepProgress, now = Date.now()): number {
  const finished = p.done + p.failed;
  const left = p.total - p.cached - finished;
  if (left <= 0) return 0;
  if (finished === 0) return NaN;
  return ((now - p.startedAt) / finished) * left;
}

export function progressLines(p: SweepProgress, now = Date.now()): string[] {
  const head = `${p.done + p.cached}/${p.total} done (${p.cached} already stored), ${p.failed} failed, ${p.running} running, elapsed ${duration(now - p.startedAt)}, ETA ${duration(etaMs(p, now))}`;
  const lines = [head];
  for (const [name, w] of [...p.workers.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const mean = w.done ? ` (${(w.busyMs / w.done / 1000).toFixed(2)} s/job)` : "";
    lines.push(`  ${name}: ${w.done} done, ${w.failed} failed, ${w.running} running${mean}`);
  }
  if (p.notice) lines.push(`  ${p.notice}`);
  return lines;
}

export interface ProgressDisplay {
  update(p: SweepProgress): void;
  done(p: SweepProgress): void;
}

/** A display for this process: notebook output, terminal redraw, or a block every `everyMs` elsewhere. */
export function progressDisplay(label: string, opts: { everyMs?: number; write?: (s: string) => void } = {}): ProgressDisplay {
  const render = (p: SweepProgress) => [`${label}: ${progressLines(p)[0]}`, ...progressLines(p).slice(1)].join("\n");
  if (!opts.write && inKernel()) {
    const d = (require("tslab") as { newDisplay(): { text(s: string): void } }).newDisplay();
    let last = 0;
    return {
      update(p) {
        if (Date.now() - last < 500) return;
        last = Date.now();
        d.text(render(p));
      },
      done: (p) => d.text(render(p)),
    };
  }
  if (!opts.write && process.stdout.isTTY) {
    let drawn = 0;
    const draw = (p: SweepProgress) => {
      const text = render(p);
      process.stdout.write((drawn ? `\x1b[${drawn}F\x1b[J` : "") + text + "\n");
      drawn = text.split("\n").length;
    };
    let last = 0;
    return {
      update(p) {
        if (Date.now() - last < 250) return;
        last = Date.now();
        draw(p);
      },
      done: draw,
    };
  }
  const write = opts.write ?? ((s: string) => console.log(s));
  const every = opts.everyMs ?? 5000;
  let last = 0;
  return {
    update(p) {
      if (Date.now() - last < every) return;
      last = Date.now();
      write(render(p));
    },
    done: (p) => write(render(p)),
  };
}
