/** Tests for tables: column order, escaping, CSV quoting and the danfojs round trip. */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { saveCsv, tableData, tableHtml, tableText, toCsv, toDataFrame, type DataFrameLike } from "./table";

const rows = [
  { name: "a<b", value: 0.123456789 },
  { name: 'say "hi", then go', value: 2, extra: true },
];

test("columns come in first-seen order; missing cells are empty", () => {
  const { columns, rows: r } = tableData(rows);
  assert.deepEqual(columns, ["name", "value", "extra"]);
  assert.deepEqual(r[0], ["a<b", 0.123456789, undefined]);
});

test("html escapes cells and rounds to the requested digits", () => {
  const html = tableHtml(rows, { digits: 3, caption: "T & z" });
  assert.ok(html.includes("a&lt;b"));
  assert.ok(html.includes(">0.123<"));
  assert.ok(html.includes("T &amp; z"));
  assert.ok(!html.includes("a<b"));
});

test("CSV quotes fields with commas and quotes (RFC 4180) and keeps full precision", () => {
  assert.equal(toCsv(rows), 'name,value,extra\na<b,0.123456789,\n"say ""hi"", then go",2,true\n');
});

test("saveCsv writes atomically and a danfojs DataFrame round-trips", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-table-"));
  const file = path.join(dir, "t.csv");
  const df = toDataFrame([{ T: 1, H: 0.5 }, { T: 2, H: 0.75 }]) as DataFrameLike;
  assert.deepEqual(df.columns, ["T", "H"]);
  saveCsv(df, file);
  assert.equal(fs.readFileSync(file, "utf8"), "T,H\n1,0.5\n2,0.75\n");
  assert.deepEqual(fs.readdirSync(dir), ["t.csv"]);
  assert.match(tableText(df), /T\s+H\n-+\s+-+\n1\s+0\.5/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test("bad input names what is wrong", () => {
  assert.throws(() => tableData([1 as never]), /row 0 must be an object/);
  assert.throws(() => tableData("x" as never), /array of row objects/);
});
