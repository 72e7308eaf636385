/**
 * The runner's progress display while a notebook runs: the current cell, the last line the cell
 * showed (the trainer's throttled epoch line) and the elapsed time. On a terminal it is one line
 * rewritten in place; in a log (not a TTY) a line is printed at most every `logEveryMs`, so a
 * long run still shows it is alive without flooding the log.
 */

export interface ProgressInfo {
  /** 1-based cell number among all cells. */
  cell: number;
  cells: number;
  text: string;
}

/** `KDH_PROGRESS {json}` lines written by execute_notebook.py; undefined for any other line. */
export function parseProgressLine(line: string): ProgressInfo | undefined {
  const m = /^KDH_PROGRESS (.*)$/.exec(line.trim());
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]) as Partial<ProgressInfo>;
    if (typeof v.cell !== "number" || typeof v.cells !== "number") return undefined;
    return { cell: v.cell, cells: v.cells, text: typeof v.text === "string" ? v.text : "" };
  } catch {
    return undefined;
  }
}

/** "cell 5/23 · 35 s · epoch 2/5 loss 0.41", cut to `width` characters. */
export function formatProgress(p: ProgressInfo | undefined, elapsedSeconds: number, width = 100): string {
  const parts = [p ? `cell ${p.cell}/${p.cells}` : "starting the kernel", `${Math.round(elapsedSeconds)} s`];
  if (p?.text) parts.push(p.text.replace(/\s+/g, " "));
  const s = parts.join(" · ");
  return s.length > width ? s.slice(0, Math.max(0, width - 1)) + "…" : s;
}

export interface ProgressSinkOptions {
  tty: boolean;
  write: (s: string) => void;
  /** Terminal width (the line must not wrap, or \r cannot rewrite it). */
  columns?: number;
  logEveryMs?: number;
  now?: () => number;
}

export class NotebookProgress {
  private info: ProgressInfo | undefined;
  private readonly t0: number;
  private lastLog: number;
  private printedLog = false;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly prefix: string,
    private readonly opts: ProgressSinkOptions,
  ) {
    const now = opts.now ?? Date.now;
    this.t0 = now();
    this.lastLog = this.t0;
    opts.write(prefix);
    // The elapsed time ticks on a terminal even while a cell prints nothing.
    if (opts.tty) this.timer = setInterval(() => this.draw(), 1000).unref();
  }

  private elapsed(): number {
    return ((this.opts.now ?? Date.now)() - this.t0) / 1000;
  }

  update(info: ProgressInfo): void {
    this.info = info;
    this.draw();
  }

  private draw(): void {
    if (this.opts.tty) {
      const width = Math.max(20, (this.opts.columns || 100) - this.prefix.length - 1);
      this.opts.write(`\r${this.prefix}${formatProgress(this.info, this.elapsed(), width)}\u001b[K`);
      return;
    }
    const now = (this.opts.now ?? Date.now)();
    if (now - this.lastLog < (this.opts.logEveryMs ?? 15_000)) return;
    this.lastLog = now;
    this.opts.write(`${this.printedLog ? "" : "\n"}    ${formatProgress(this.info, this.elapsed(), 160)}\n`);
    this.printedLog = true;
  }

  /** End the line with the outcome ("passed in 12.3 s"). */
  finish(outcome: string): void {
    if (this.timer) clearInterval(this.timer);
    if (this.opts.tty) this.opts.write(`\r${this.prefix}${outcome}\u001b[K\n`);
    else this.opts.write(`${this.printedLog ? this.prefix : ""}${outcome}\n`);
  }
}
