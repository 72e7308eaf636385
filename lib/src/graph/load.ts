/**
 * A user's own graph, from two text files:
 *
 * - the **edge list**: one undirected edge per line, two node ids separated by spaces, a tab or a comma
 *   (`12 40`); ids are whole numbers counted from 0; blank lines and lines starting with `#` are skipped;
 *   duplicates, reversed duplicates and self-loops are allowed (merged / dropped);
 * - the **node table**: CSV (plain comma-separated values, no quoted fields) with a header row; the column named `label` holds each node's class
 *   (0, 1, 2, ...), every other column is a numeric feature; data row i (counting from 0 after the
 *   header) belongs to node i, so the number of rows is the number of nodes.
 *
 * An edge that names a node with no row, a row with a missing or non-numeric value, or a table without a
 * `label` column is refused with the file, line and value.
 */
import * as fs from "node:fs";
import { NodeGraph, buildGraph } from "./graph";

function readText(file: string, what: string): string {
  try {
    return fs.readFileSync(file, "utf8");
  } catch (e) {
    throw new Error(`cannot read the ${what} ${JSON.stringify(file)}: ${(e as Error).message}. Check the path.`);
  }
}

/** Parse an edge list; `name` appears in messages. Returns the edges and the line of each. */
export function parseEdgeList(text: string, name = "edge list"): { edges: [number, number][]; lines: number[] } {
  const edges: [number, number][] = [];
  const lines: number[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) return;
    const parts = line.split(/[\s,]+/);
    if (parts.length !== 2) throw new Error(`${name}, line ${i + 1}: ${JSON.stringify(raw)} is not an edge; write two node ids such as "12 40".`);
    const ids = parts.map(Number);
    ids.forEach((v, j) => {
      if (!Number.isInteger(v) || v < 0) throw new Error(`${name}, line ${i + 1}: ${JSON.stringify(parts[j])} is not a node id; ids are whole numbers counted from 0.`);
    });
    edges.push([ids[0], ids[1]]);
    lines.push(i + 1);
  });
  return { edges, lines };
}

/** Parse the node table (CSV with a header and a `label` column). */
export function parseNodeTable(text: string, name = "node table"): { features: number[][]; labels: number[]; featureNames: string[] } {
  const rows = text.split(/\r?\n/).map((l, i) => ({ l, i })).filter((r) => r.l.trim() !== "");
  if (rows.length < 2) throw new Error(`${name} needs a header row and at least one node row; it has ${rows.length} non-empty line(s).`);
  const header = rows[0].l.split(",").map((h) => h.trim());
  const labelCol = header.indexOf("label");
  if (labelCol < 0) throw new Error(`${name}: the header ${JSON.stringify(rows[0].l)} has no "label" column; name the class column "label".`);
  if (header.length < 2) throw new Error(`${name}: the header has only the label column; add at least one feature column.`);
  const featureNames = header.filter((_, j) => j !== labelCol);
  const features: number[][] = [];
  const labels: number[] = [];
  for (const { l, i } of rows.slice(1)) {
    const cells = l.split(",").map((c) => c.trim());
    if (cells.length !== header.length) throw new Error(`${name}, line ${i + 1}: ${cells.length} value(s) for ${header.length} columns.`);
    const values = cells.map((c, j) => {
      const v = c === "" ? NaN : Number(c);
      if (!Number.isFinite(v)) throw new Error(`${name}, line ${i + 1}, column ${JSON.stringify(header[j])}: ${JSON.stringify(c)} is not a finite number.`);
      return v;
    });
    labels.push(values[labelCol]);
    features.push(values.filter((_, j) => j !== labelCol));
  }
  return { features, labels, featureNames };
}

/**
 * Load a graph from an edge-list file and a node-table file (formats above). `nodes`, when given, is
 * the node count the caller expects; the table must then have exactly that many rows.
 */
export function loadGraphFiles(opts: { edges: string; nodeTable: string; nodes?: number }): NodeGraph {
  const table = parseNodeTable(readText(opts.nodeTable, "node table"), opts.nodeTable);
  const { edges, lines } = parseEdgeList(readText(opts.edges, "edge list"), opts.edges);
  const nodes = opts.nodes ?? table.features.length;
  if (opts.nodes !== undefined && table.features.length !== opts.nodes) {
    throw new Error(`${opts.nodeTable} has ${table.features.length} node row(s) but the graph should have ${opts.nodes} nodes; give one row per node, in node-id order.`);
  }
  return buildGraph({
    nodes,
    edges,
    features: table.features,
    labels: table.labels,
    description: `graph from ${opts.edges} and ${opts.nodeTable}`,
    edgeSource: (k) => `${opts.edges}, line ${lines[k]}`,
  });
}
