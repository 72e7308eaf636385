/**
 * What went wrong in a notebook run: which cell (1-based, counting every cell as JupyterLab shows them),
 * the head of its source, and the error text. execute_notebook.py reports the failing cell's index and
 * saves the partially executed notebook; the useful message is in that cell's outputs (tslab writes
 * type errors to the cell's stderr and leaves the exception's ename/evalue empty).
 */

export interface CellFailure {
  kind: "error" | "timeout" | "kernel" | "interrupted" | "other";
  /** 1-based index among all cells, or undefined when no cell was running. */
  cell?: number;
  sourceHead: string;
  message: string;
}

export interface DriverFailure {
  kind: CellFailure["kind"];
  message: string;
  cellIndex: number | null;
}

interface NbOutput {
  output_type: string;
  name?: string;
  text?: string | string[];
  ename?: string;
  evalue?: string;
  traceback?: string[];
}
export interface NbCell {
  cell_type: string;
  source: string | string[];
  outputs?: NbOutput[];
}

export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;]*[A-Za-z]/g, "");
}

const text = (s: string | string[] | undefined) => (Array.isArray(s) ? s.join("") : (s ?? ""));

export function sourceHead(source: string, lines = 3): string {
  const ls = source.trim().split("\n");
  return ls.slice(0, lines).join("\n") + (ls.length > lines ? "\n…" : "");
}

/** The error text of a cell: its error output (ename: evalue) or, failing that, its stderr stream. */
export function cellErrorText(cell: NbCell | undefined, maxLines = 6): string {
  if (!cell?.outputs) return "";
  const lines: string[] = [];
  for (const o of cell.outputs) {
    if (o.output_type === "error") {
      const head = [o.ename, o.evalue].filter(Boolean).join(": ");
      if (head) lines.push(head);
      else if (o.traceback?.length) lines.push(...stripAnsi(o.traceback.join("\n")).split("\n"));
    } else if (o.output_type === "stream" && o.name === "stderr") {
      lines.push(...stripAnsi(text(o.text)).split("\n"));
    }
  }
  // Lead with the error line itself ("ReferenceError: x is not defined", "4:1 - Cannot find name"),
  // then the context, without the stack frames of tslab's evaluator and without the throw location
  // Node prints first ("…/lib/dist/core/config.js:82", the source line, a caret): that is where the
  // library threw, which tells a reader nothing about what to change.
  const kept = withoutThrowLocations(lines.map((l) => l.trimEnd()).filter((l) => l.trim() && !/^\s+at /.test(l)));
  const isHeadline = (l: string) => /^\s*([A-Z]\w*(Error|Exception)\b|\d+:\d+ - )/.test(l);
  const ordered = [...kept.filter(isHeadline), ...kept.filter((l) => !isHeadline(l))];
  return ordered.slice(0, maxLines).join("\n");
}

const LOCATION = /^\s*(\/|file:|[A-Za-z]:\\|evalmachine\.|node:)\S*:\d+(:\d+)?\s*$/;
const CARET = /^\s*\^+\s*$/;

/** Drop Node's "file:line / source line / ^" preamble of an uncaught error, wherever it appears. */
export function withoutThrowLocations(lines: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (LOCATION.test(lines[i])) {
      if (i + 2 < lines.length && CARET.test(lines[i + 2])) i += 2;
      else if (i + 1 < lines.length && CARET.test(lines[i + 1])) i += 1;
      continue;
    }
    if (CARET.test(lines[i])) continue;
    out.push(lines[i]);
  }
  return out;
}

/** Combine the driver's report with the partially executed notebook's cells. */
export function describeCellFailure(f: DriverFailure, cells: NbCell[]): CellFailure {
  const idx = typeof f.cellIndex === "number" ? f.cellIndex : undefined;
  const cell = idx !== undefined ? cells[idx] : undefined;
  const fromCell = f.kind === "error" ? cellErrorText(cell) : "";
  // nbclient gives "<Error>: " when the kernel supplied no ename/evalue: the cell's outputs say more.
  const generic = /^(<Error>)?:?\s*$/.test(f.message.trim()) || f.message.trim() === "<Error>:";
  // tslab sends its errors to the cell's stderr; when even that is empty there is nothing to show, so
  // say what is known and what to do rather than print a bare "<Error>: ". (The known cause, ZeroMQ
  // refusing tslab's unawaited sends, is fixed by the suite's kernel, scripts/kernel/launch.cjs; the
  // kernel's own stderr, e.g. its note of dropped messages, ends up in the notebook's log.)
  const silent = f.kind === "error" && generic && !fromCell
    ? "the kernel reported that the cell failed but gave no message and printed nothing to the cell (the kernel's own messages, if any, are in the log); run the notebook again (finished arms and seeds are loaded from the run cache)"
    : "";
  const message = silent || (fromCell && (generic || !fromCell.includes(f.message)) ? fromCell : f.message);
  return { kind: f.kind, cell: idx !== undefined ? idx + 1 : undefined, sourceHead: cell ? sourceHead(text(cell.source)) : "", message: message || f.message };
}

export function describeFailure(f: CellFailure): string {
  const where = f.cell !== undefined ? `cell ${f.cell}` : "no cell (the kernel or notebook failed)";
  const src = f.sourceHead ? `\n    > ${f.sourceHead.split("\n").join("\n    > ")}` : "";
  if (f.kind === "interrupted") return `interrupted${f.cell !== undefined ? ` in cell ${f.cell}` : ""}: ${f.message}`;
  return `${f.kind === "timeout" ? "timeout" : f.kind === "kernel" ? "kernel died" : "error"} in ${where}: ${f.message.split("\n").join("\n    ")}${src}`;
}
