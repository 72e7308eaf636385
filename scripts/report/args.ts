/**
 * Command-line arguments of `npm run reproduce`: which notebooks, which run size, which parameter
 * overrides, how long a cell may run. Unknown flags fail with the list of valid ones.
 */

export interface ReproduceArgs {
  mode: "quick" | "full";
  /** Name prefixes given to --only (empty: every notebook). */
  only: string[];
  /** --set key=value overrides, passed to the notebooks as KDH_PARAMS. */
  set: Record<string, string>;
  /** Per-cell timeout in seconds; 0 means none. */
  timeoutSeconds: number;
  /** Skip the HTML reports (faster when only checking that notebooks run). */
  html: boolean;
  /** Keep plotly.js inline in every report (single files) instead of one shared copy beside them. */
  selfContained: boolean;
  /** Also print every report to PDF (reports/pdf/). */
  pdf: boolean;
  help: boolean;
}

export const DEFAULT_TIMEOUT = { quick: 1200, full: 0 } as const;

export const USAGE = `usage: npm run reproduce -- [--full] [--only NAME[,NAME...]] [--set key=value]... [--timeout=SECONDS] [--no-html] [--self-contained] [--pdf]
  --quick             small data, few epochs (the default)
  --full              paper-scale settings
  --only NAME         run only notebooks whose name starts with NAME (e.g. 00 or 03_obd); comma-separate several
  --set key=value     override a notebook parameter (repeatable); passed as KDH_PARAMS
  --timeout=SECONDS   fail a cell that runs longer than this (default ${DEFAULT_TIMEOUT.quick} in quick mode, none in full mode; 0 = none)
  --no-html           skip the HTML reports
  --self-contained    inline plotly.js in every report (one file each, ~5 MB) instead of sharing reports/html/plotly.min.js
  --pdf               also print every report to reports/pdf/NAME.pdf (headless Chromium)`;

const FLAGS = ["--quick", "--full", "--only", "--set", "--timeout", "--no-html", "--self-contained", "--pdf", "--help"];

export function parseReproduceArgs(argv: string[]): ReproduceArgs {
  let mode: "quick" | "full" = "quick";
  const only: string[] = [];
  const set: Record<string, string> = {};
  let timeout: number | undefined;
  let html = true;
  let selfContained = false;
  let pdf = false;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const eq = arg.indexOf("=");
    const flag = arg.startsWith("--") && eq > 0 ? arg.slice(0, eq) : arg;
    const inline = arg.startsWith("--") && eq > 0 ? arg.slice(eq + 1) : undefined;
    const value = (): string => {
      if (inline !== undefined) return inline;
      const next = argv[i + 1];
      if (next === undefined || next.startsWith("--")) throw new Error(`${flag} needs a value, e.g. ${flag === "--set" ? "--set epochs=3" : flag === "--only" ? "--only 00" : "--timeout=600"}\n${USAGE}`);
      i++;
      return next;
    };
    switch (flag) {
      case "--quick":
      case "--full":
      case "--no-html":
      case "--self-contained":
      case "--pdf":
      case "--help":
        if (inline !== undefined) throw new Error(`${flag} takes no value, got ${JSON.stringify(arg)}\n${USAGE}`);
        if (flag === "--quick") mode = "quick";
        if (flag === "--full") mode = "full";
        if (flag === "--no-html") html = false;
        if (flag === "--self-contained") selfContained = true;
        if (flag === "--pdf") pdf = true;
        if (flag === "--help") help = true;
        break;
      case "--only":
        for (const name of value().split(",")) {
          const n = name.trim().replace(/\.ipynb$/, "");
          if (!n) throw new Error(`--only got an empty name in ${JSON.stringify(arg)}`);
          only.push(n);
        }
        break;
      case "--set": {
        const kv = value();
        const m = /^([A-Za-z_][\w]*)=(.*)$/s.exec(kv);
        if (!m) throw new Error(`--set expects key=value (e.g. --set epochs=3), got ${JSON.stringify(kv)}`);
        set[m[1]] = m[2];
        break;
      }
      case "--timeout": {
        const raw = value();
        const t = Number(raw);
        if (!Number.isFinite(t) || t < 0) throw new Error(`--timeout expects a number of seconds >= 0 (0 = no limit), got ${JSON.stringify(raw)}`);
        timeout = t;
        break;
      }
      default:
        throw new Error(`unknown argument ${JSON.stringify(arg)}; valid flags: ${FLAGS.join(", ")}\n${USAGE}`);
    }
  }
  if (pdf && !html) throw new Error(`--pdf prints the HTML reports, so it cannot be combined with --no-html\n${USAGE}`);
  return { mode, only, set, timeoutSeconds: timeout ?? DEFAULT_TIMEOUT[mode], html, selfContained, pdf, help };
}

/** Notebooks (names without .ipynb) matching the --only prefixes, in order; throws listing valid names. */
export function selectNotebooks(all: string[], only: string[]): string[] {
  if (!only.length) return all;
  const unmatched = only.filter((p) => !all.some((n) => n.startsWith(p)));
  if (unmatched.length) {
    throw new Error(`--only ${unmatched.map((u) => JSON.stringify(u)).join(", ")} matches no notebook; valid names: ${all.join(", ") || "(none found in notebooks/)"}`);
  }
  return all.filter((n) => only.some((p) => n.startsWith(p)));
}

/** The environment a notebook runs with. */
export function notebookEnv(args: ReproduceArgs, count: number): Record<string, string> {
  const env: Record<string, string> = { KDH_MODE: args.mode };
  if (Object.keys(args.set).length) {
    env.KDH_PARAMS = JSON.stringify(args.set);
    // Errors then quote the option as typed (`--set epochs=1e9`), not the variable.
    env.KDH_PARAMS_SOURCE = "--set";
    // One --set shared by several notebooks: each takes the keys it knows and ignores the rest.
    if (count > 1) env.KDH_PARAMS_LENIENT = "1";
  }
  return env;
}
