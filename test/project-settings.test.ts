// Settings of the build that users feel: the package ships the sources its
// source maps name, and CI type-checks the test files and the examples
// (ts-jest transpiles each test file alone, which reports no type error).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

const root = path.resolve(__dirname, '..');
const json = (file: string) => JSON.parse(fs.readFileSync(path.join(root, file), 'utf8').replace(/^\/\/.*\n/, ''));

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((e) => {
    const rel = `${dir}/${e.name}`;
    return e.isDirectory() ? sourceFiles(rel) : rel.endsWith('.ts') ? [rel] : [];
  });
}

test('the compiled code maps to src/*.ts, and the npm package ships every one of those files', () => {
  const { compilerOptions } = json('tsconfig.json');
  expect(compilerOptions).toEqual(expect.objectContaining({ rootDir: 'src', outDir: 'lib', inlineSourceMap: true, inlineSources: true }));
  const packed = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }));
  const files = new Set<string>(packed[0].files.map((f: { path: string }) => f.path));
  const sources = sourceFiles('src');
  expect(sources).toContain('src/private/errors.ts');
  expect(sources.filter((f) => !files.has(f))).toEqual([]);
  expect([...files].filter((f) => f.startsWith('test/'))).toEqual([]);
});

test('the test task type-checks src, test and examples (unused locals are errors) before jest runs', () => {
  const tasks = json('.projen/tasks.json').tasks;
  expect(tasks.test.steps.slice(0, 2)).toEqual([{ spawn: 'typecheck' }, { exec: 'jest --ci', receiveArgs: true }]);
  expect(tasks.typecheck.steps).toEqual([{ exec: 'tsc --noEmit -p tsconfig.dev.json' }]);
  const dev = json('tsconfig.dev.json');
  expect(dev.include).toEqual(expect.arrayContaining(['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts']));
  expect(dev.compilerOptions).toEqual(expect.objectContaining({ strict: true, noUnusedLocals: true, noUnusedParameters: true }));
});
