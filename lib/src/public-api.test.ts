/**
 * The public API (index.ts and the area index files, which name what they export) covers every name the
 * notebooks, scripts and examples use: `kdh.<name>` in the notebooks' code cells, names imported from
 * "@kdh/lib" (or from lib/src's index files) and `<namespace>.<name>` after `import * as <namespace> from
 * "@kdh/lib"`. tslab compiles each cell against lib/dist's types, so a name dropped from an index would
 * otherwise only surface as a failing cell at run time; this test names it at once.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import * as ts from "typescript";
import { repoRoot } from "./core/paths";

const ROOT = repoRoot();
const LIB_SRC = path.join(ROOT, "lib", "src");

/** One use of a library name: the name, and where (file) it was found. */
interface Use {
  name: string;
  where: string;
}

/** `kdh.<name>` (first segment only: `kdh.tf.tidy` uses `tf`) in code. */
function namespaceUses(code: string, namespace: string): string[] {
  const re = new RegExp(`(?<![\\w$.])${namespace.replace(/\$/g, "\\$")}\\.([A-Za-z_$][\\w$]*)`, "g");
  return [...code.matchAll(re)].map((m) => m[1]);
}

/** Library modules a script may import: "@kdh/lib", or a path ending in lib/src or lib/src/<area> (index). */
function libIndexModule(specifier: string): string | undefined {
  if (specifier === "@kdh/lib") return "index";
  const m = /(?:^|\/)lib\/src(?:\/([a-z-]+))?(?:\/index)?$/.exec(specifier);
  if (!m) return undefined;
  return m[1] ? `${m[1]}/index` : "index";
}

/**
 * Names a TypeScript source takes from the library, keyed by the index module they come from ("index" for
 * @kdh/lib, "<area>/index" for an area's index): named imports (`import { a, b as c, type D }`) and
 * members of a namespace import (`import * as kdh from "@kdh/lib"`, then `kdh.x`).
 */
function libraryNamesInSource(code: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const add = (module: string, names: string[]) => out.set(module, [...(out.get(module) ?? []), ...names]);
  const sf = ts.createSourceFile("x.ts", code, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  for (const st of sf.statements) {
    if (!ts.isImportDeclaration(st) || !ts.isStringLiteral(st.moduleSpecifier) || !st.importClause) continue;
    const module = libIndexModule(st.moduleSpecifier.text);
    if (!module) continue;
    const bindings = st.importClause.namedBindings;
    if (bindings && ts.isNamedImports(bindings)) add(module, bindings.elements.map((e) => (e.propertyName ?? e.name).text));
    else if (bindings && ts.isNamespaceImport(bindings)) add(module, namespaceUses(code, bindings.name.text));
  }
  return out;
}

/** The code of a notebook's code cells, joined. */
function notebookCode(file: string): string {
  const nb = JSON.parse(fs.readFileSync(file, "utf8")) as { cells: Array<{ cell_type: string; source: string | string[] }> };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source))
    .join("\n");
}

/** *.ts files below `dir` (no node_modules), relative to the repository root. */
function tsFiles(dir: string): string[] {
  const out: string[] = [];
  if (!fs.existsSync(dir)) return out;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && e.name !== "node_modules") out.push(...tsFiles(p));
    else if (e.isFile() && e.name.endsWith(".ts")) out.push(p);
  }
  return out;
}

/** Every use of a library name in the notebooks (as `kdh.<name>`), scripts and examples, by index module. */
function libraryUses(): Map<string, Use[]> {
  const uses = new Map<string, Use[]>();
  const add = (module: string, names: string[], where: string) =>
    uses.set(module, [...(uses.get(module) ?? []), ...names.map((name) => ({ name, where }))]);
  const notebooks = path.join(ROOT, "notebooks");
  for (const f of fs.readdirSync(notebooks).filter((f) => f.endsWith(".ipynb")).sort()) {
    const code = notebookCode(path.join(notebooks, f));
    add("index", namespaceUses(code, "kdh"), `notebooks/${f}`);
    for (const [module, names] of libraryNamesInSource(code)) add(module, names, `notebooks/${f}`);
  }
  for (const file of [...tsFiles(path.join(ROOT, "scripts")), ...tsFiles(path.join(ROOT, "examples"))]) {
    for (const [module, names] of libraryNamesInSource(fs.readFileSync(file, "utf8"))) add(module, names, path.relative(ROOT, file));
  }
  return uses;
}

/** The names (values and types) each index module exports, read by the TypeScript checker from lib/src. */
function exportedNames(modules: string[]): Map<string, Set<string>> {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(ROOT, "lib", "tsconfig.json"), {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"));
    },
  });
  if (!config) throw new Error("lib/tsconfig.json could not be read");
  const files = modules.map((m) => path.join(LIB_SRC, `${m}.ts`));
  const program = ts.createProgram(files, { ...config.options, noEmit: true });
  const checker = program.getTypeChecker();
  const out = new Map<string, Set<string>>();
  for (const [i, file] of files.entries()) {
    const sf = program.getSourceFile(file);
    const symbol = sf && checker.getSymbolAtLocation(sf);
    if (!symbol) throw new Error(`${path.relative(ROOT, file)} is not a module lib/tsconfig.json compiles`);
    out.set(modules[i], new Set(checker.getExportsOfModule(symbol).map((s) => s.name)));
  }
  return out;
}

/** Uses whose name the module does not export: "name (module) used in file, file". */
function missingNames(uses: Map<string, Use[]>, exported: Map<string, Set<string>>): string[] {
  const missing = new Map<string, Set<string>>();
  for (const [module, list] of uses) {
    for (const u of list) {
      if (exported.get(module)?.has(u.name)) continue;
      const key = `${u.name} (${module === "index" ? "@kdh/lib" : `lib/src/${module}.ts`})`;
      missing.set(key, (missing.get(key) ?? new Set()).add(u.where));
    }
  }
  return [...missing].map(([k, where]) => `${k} used in ${[...where].join(", ")}`).sort();
}

test("the extractor finds library names in each form a notebook or script uses them", () => {
  const cases: Array<[string, string, Record<string, string[]>]> = [
    ["namespace import", `import * as kdh from "@kdh/lib";\nkdh.initBackend(); const t = kdh.tf.tidy(() => 1); let a: kdh.ArmResult;`, { index: ["initBackend", "tf", "ArmResult"] }],
    ["another namespace name", `import * as L from "@kdh/lib";\nL.buildMlp(); kdh.notThis();`, { index: ["buildMlp"] }],
    ["named imports, renamed, type-only", `import { a, b as c, type D } from "@kdh/lib";\nimport type { E } from "@kdh/lib";`, { index: ["a", "b", "D", "E"] }],
    ["an area index by path", `import { writeResults } from "../lib/src/core";\nimport { x } from "../../lib/src/catalog/index";`, { "core/index": ["writeResults"], "catalog/index": ["x"] }],
    ["the package index by path", `import { y } from "../lib/src";`, { index: ["y"] }],
    ["files other than index files are not the public API", `import { z } from "../lib/src/core/store";\nimport * as tf from "@tensorflow/tfjs"; tf.tidy;`, {}],
  ];
  for (const [what, code, expected] of cases) {
    assert.deepEqual(Object.fromEntries(libraryNamesInSource(code)), expected, what);
  }
  assert.deepEqual(namespaceUses("kdh.a; x.kdh.b; mykdh.c; `${kdh.d}`", "kdh"), ["a", "d"]);
});

test("a name the index does not export is reported with where it is used", () => {
  const uses = new Map<string, Use[]>([
    ["index", [{ name: "fitGmdh", where: "notebooks/20.ipynb" }, { name: "gone", where: "notebooks/20.ipynb" }, { name: "gone", where: "scripts/x.ts" }]],
    ["core/index", [{ name: "writeResults", where: "scripts/y.ts" }]],
  ]);
  const exported = new Map([["index", new Set(["fitGmdh"])]]);
  assert.deepEqual(missingNames(uses, exported), [
    "gone (@kdh/lib) used in notebooks/20.ipynb, scripts/x.ts",
    "writeResults (lib/src/core/index.ts) used in scripts/y.ts",
  ]);
});

test("every library name the notebooks, scripts and examples use is exported by the public API", { timeout: 120_000 }, () => {
  const uses = libraryUses();
  const notebookNames = new Set((uses.get("index") ?? []).filter((u) => u.where.startsWith("notebooks/")).map((u) => u.name));
  // 17 notebooks call well over a hundred library names; far fewer means the extraction broke.
  assert.ok(notebookNames.size > 100, `only ${notebookNames.size} kdh.<name> uses found in notebooks/`);
  for (const name of ["initBackend", "recipeParams", "writeResults", "tf", "datasets"]) assert.ok(notebookNames.has(name), `kdh.${name} not found in notebooks/`);
  const missing = missingNames(uses, exportedNames([...uses.keys()]));
  assert.deepEqual(missing, [], `used but not exported (add each to its area's index.ts):\n  ${missing.join("\n  ")}`);
});
