/** The browser check's site and PDF rules, on small files made here (no browser needed). */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkPdfs, siteProblems } from "./browser-check";

test("siteProblems: every local reference must exist; remote, data and in-page references are left to the network rule", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-site-check-"));
  try {
    fs.writeFileSync(path.join(dir, "plotly.min.js"), "");
    fs.mkdirSync(path.join(dir, "api"));
    fs.writeFileSync(path.join(dir, "api", "index.html"), "");
    const page = path.join(dir, "00.html");
    const cases: Array<[string, RegExp[]]> = [
      ['<script src="plotly.min.js"></script><a href="api/index.html#x">api</a><a href="#top">top</a><img src="data:image/png;base64,AA"><a href="https://example.org/">x</a>', []],
      ['<link rel="stylesheet" href="report-000000000000.css"><a href="../index.html">all</a>', [/refers to report-000000000000\.css, which does not exist/, /refers to \.\.\/index\.html, which does not exist/]],
      ['<script>window.define = undefined;</script><script>A</script><script>window.define = undefined;</script><script>B</script>', [/inlines plotly\.js 2 times/]],
      ['<script>var s = \'<a href="nowhere.html">\';</script><script src="plotly.min.js"></script>', []],
    ];
    for (const [html, want] of cases) {
      const problems = siteProblems(page, html);
      assert.equal(problems.length, want.length, `${html}: ${problems.join("; ")}`);
      want.forEach((re, i) => assert.match(problems[i], re));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** A one-page A4 PDF whose content stream is `content` (xref offsets computed, so poppler reads it cleanly). */
function pdf(content: string): Buffer {
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let body = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n \n`).join("")}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, "latin1");
}

test("checkPdfs: a page with text passes, an empty page and a page with only a footer fail as blank", { skip: spawnSync("pdftoppm", ["-v"]).error ? "poppler-utils not installed" : false }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "kdh-pdf-check-"));
  try {
    fs.writeFileSync(path.join(dir, "a_text.pdf"), pdf("BT /F1 36 Tf 60 600 Td (Claims, checked) Tj ET"));
    fs.writeFileSync(path.join(dir, "b_empty.pdf"), pdf(""));
    // 8 pt text 20 pt above the bottom edge: inside the footer band, which the check leaves out.
    fs.writeFileSync(path.join(dir, "c_footer.pdf"), pdf("BT /F1 8 Tf 260 20 Td (page 1 of 1) Tj ET"));
    const results = checkPdfs([], dir);
    assert.deepEqual(results.map((r) => [path.basename(r.file), r.ok, r.pages]), [["a_text.pdf", true, 1], ["b_empty.pdf", false, 1], ["c_footer.pdf", false, 1]]);
    assert.match(results[1].problems[0], /page 1 is blank/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
