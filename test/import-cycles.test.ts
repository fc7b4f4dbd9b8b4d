// The import graph of src/ has no cycle, type-only imports included (eslint's
// import/no-cycle skips `import type`). A cycle between the public files and
// src/private/ would mean a private helper reaches back into the construct.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ts from 'typescript';

const SRC = path.join(__dirname, '..', 'src');

/** Every .ts file under `dir` and the relative modules each imports or re-exports (type-only too). */
function importGraph(dir: string): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const files = (fs.readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => path.join(dir, f));
  for (const file of files) {
    // preProcessFile lists `import`, `import type`, `export ... from` and require() specifiers.
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles
      .map((i) => i.fileName)
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => resolveModule(path.dirname(file), spec));
    graph.set(file, targets);
  }
  return graph;
}

function resolveModule(from: string, spec: string): string {
  const base = path.resolve(from, spec);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(candidate)) {
      return candidate;
    }
  }
  throw new Error(`cannot resolve ${spec} from ${from}`);
}

/** Every elementary cycle found by a depth-first search, as lists of files relative to `dir`. */
function findCycles(graph: Map<string, string[]>, dir: string): string[][] {
  const cycles: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (file: string) => {
    state.set(file, 'open');
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') {
        cycles.push([...stack.slice(stack.indexOf(next)), next].map((f) => path.relative(dir, f)));
      } else if (!state.has(next)) {
        visit(next);
      }
    }
    stack.pop();
    state.set(file, 'done');
  };
  [...graph.keys()].sort().forEach((f) => state.has(f) || visit(f));
  return cycles;
}

test('src/ has no import cycle, type-only imports included', () => {
  const graph = importGraph(SRC);
  expect(graph.size).toBeGreaterThan(10);
  expect(findCycles(graph, SRC)).toEqual([]);
});

test('the check finds a cycle made only of type-only imports', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycles-'));
  try {
    fs.mkdirSync(path.join(dir, 'private'));
    fs.writeFileSync(path.join(dir, 'construct.ts'), "import { render } from './private/renderer';\nexport class C { r = render; }\n");
    fs.writeFileSync(path.join(dir, 'private', 'renderer.ts'), "import type { C } from '../construct';\nexport function render(c: C) { return c; }\n");
    fs.writeFileSync(path.join(dir, 'leaf.ts'), 'export const x = 1;\n');
    expect(findCycles(importGraph(dir), dir)).toEqual([['construct.ts', 'private/renderer.ts', 'construct.ts']]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
