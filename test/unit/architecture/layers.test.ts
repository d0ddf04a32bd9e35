/**
 * The shape docs/ARCHITECTURE.md draws, held against the imports: the folders of `functions/src`
 * import each other without a loop (so each has a floor, and nothing imports upwards), the folders of
 * pure logic import no Firebase package, and the browser reaches the server only through the
 * contract's package export. Imports are read with TypeScript's own pre-processor, so type-only and
 * dynamic imports count too.
 */
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve, sep } from "node:path";
import ts from "typescript";

const ROOT = resolve(__dirname, "../../..");
const SRC = join(ROOT, "functions", "src");

/** Folders whose code decides without touching Firebase: the rules, signatures, caches and the contract. */
const PURE = ["contract", "documents", "signing", "metrics", "pricing", "retention", "cache", "serving"];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === "node_modules" || name === "dist" ? [] : sourceFiles(path);
    return /\.tsx?$/.test(name) && !name.endsWith(".d.ts") ? [path] : [];
  });
}

const importsOf = (file: string) => ts.preProcessFile(readFileSync(file, "utf8"), true, true).importedFiles.map((f) => f.fileName);

/** The folder of `functions/src` a file lives in ("." for the files at its top). */
const folderOf = (file: string) => relative(SRC, file).split(sep)[0].replace(/\.ts$/, "") || ".";

/** Folder → the folders its files import, with one file and import for each, to name in a failure. */
function folderGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(SRC)) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Map<string, string>();
    graph.set(from, edges);
    for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
      const target = resolve(dirname(file), spec);
      const to = folderOf(target);
      if (to !== from && !edges.has(to)) edges.set(to, `${relative(SRC, file)} imports "${spec}"`);
    }
  }
  return graph;
}

/** A loop of folders, if there is one (depth-first search). */
function findLoop(graph: Map<string, Map<string, string>>): string[] | null {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === "done") return null;
    if (state.get(node) === "open") return [...path.slice(path.indexOf(node)), node];
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node)?.keys() ?? []) {
      const loop = visit(next);
      if (loop) return loop;
    }
    path.pop();
    state.set(node, "done");
    return null;
  };
  for (const node of graph.keys()) {
    const loop = visit(node);
    if (loop) return loop;
  }
  return null;
}

describe("the structure of the functions' code", () => {
  it("has no loop between its folders, so no import runs from a lower folder to a higher one", () => {
    const graph = folderGraph();
    const loop = findLoop(graph);
    const why = loop?.slice(1).map((to, i) => graph.get(loop[i])?.get(to)).join("; ");
    assert.equal(loop, null, `the folders ${loop?.join(" → ")} import each other in a loop: ${why}`);
  });

  it("keeps Firebase out of the folders of pure logic", () => {
    const offenders = sourceFiles(SRC)
      .filter((file) => PURE.includes(folderOf(file)))
      .flatMap((file) => importsOf(file).filter((spec) => /^(firebase-admin|firebase-functions|@google-cloud\/)/.test(spec)).map((spec) => `${relative(SRC, file)} imports ${spec}`));
    assert.deepEqual(offenders, []);
  });

  it("lets the browser reach the server only through the contract's package export", () => {
    const offenders = sourceFiles(join(ROOT, "web-client", "src")).flatMap((file) =>
      importsOf(file)
        .filter((spec) => (spec.startsWith(".") && resolve(dirname(file), spec).startsWith(join(ROOT, "functions"))) || (spec.startsWith("metrics-functions") && spec !== "metrics-functions/contract"))
        .map((spec) => `${relative(ROOT, file)} imports ${spec}`),
    );
    assert.deepEqual(offenders, []);
  });
});
