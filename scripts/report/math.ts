/**
 * TeX in markdown cells, rendered for the HTML reports. JupyterLab typesets `$…$` with MathJax, but a
 * report must open offline, where no MathJax can be fetched; so before the HTML export the math of
 * every markdown cell is turned into MathML (KaTeX, output "mathml"), which browsers draw natively
 * with no script, stylesheet or font. The .ipynb copies keep their TeX.
 */
import katex from "katex";

/** Spans of markdown that must not be touched: fenced code blocks and inline code. */
const PROTECTED = /(```[\s\S]*?```|~~~[\s\S]*?~~~|`[^`\n]*`)/g;

function mathml(tex: string, display: boolean): string {
  const html = katex.renderToString(tex, { output: "mathml", displayMode: display, throwOnError: false, strict: "ignore" });
  // The TeX annotation is for copy-paste only, and its underscores and asterisks could be read as
  // markdown emphasis by the exporter; drop it.
  return html.replace(/<annotation encoding="application\/x-tex">[\s\S]*?<\/annotation>/g, "");
}

function renderOutsideCode(text: string): string {
  return (
    text
      // Display math: $$…$$ (may span lines).
      .replace(/\$\$([\s\S]+?)\$\$/g, (_, tex: string) => `<div class="kdh-math">${mathml(tex.trim(), true)}</div>`)
      // Inline math: $…$ on one line, not `\$`, not "$ 5" money-like (no space just inside the dollars).
      .replace(/(^|[^\\$])\$(?!\s)([^$\n]+?)(?<!\s)\$(?!\d)/g, (_, pre: string, tex: string) => `${pre}${mathml(tex, false)}`)
  );
}

/** Markdown with its TeX math replaced by MathML; code spans and blocks are left as they are. */
export function renderMarkdownMath(markdown: string): string {
  const parts = markdown.split(PROTECTED);
  return parts.map((part, i) => (i % 2 === 1 ? part : renderOutsideCode(part))).join("");
}

interface Notebook {
  cells: { cell_type: string; source: string | string[] }[];
}

/** A copy of the notebook whose markdown cells carry MathML instead of TeX. */
export function notebookWithRenderedMath<T extends Notebook>(nb: T): T {
  return {
    ...nb,
    cells: nb.cells.map((c) => {
      if (c.cell_type !== "markdown") return c;
      const src = Array.isArray(c.source) ? c.source.join("") : c.source;
      return { ...c, source: renderMarkdownMath(src) };
    }),
  };
}
