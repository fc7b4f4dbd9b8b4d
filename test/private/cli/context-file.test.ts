// The one writer of cdk.context.json: never through a symbolic link, never a
// silent change of a recorded answer, the file replaced whole or not at all.
import * as fs from 'fs';
import { readContextFile, writeContextEntries, WriteOptions } from '../../../src/private/cli/context-file';
import { TempDir } from '../../helpers/cloud-assembly';

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => dir.cleanUp());

const options = (replace = false): WriteOptions => ({ replace, describe: (v) => JSON.stringify(v), replaceOption: '--replace' });
const read = (name: string) => fs.readFileSync(dir.file(name), 'utf8');

test('adds entries after the values already there, two-space JSON, and leaves no temporary file', () => {
  dir.write('cdk.context.json', { 'acknowledged-issue-numbers': [1], 'b': 'kept' });
  const result = writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: { x: 1 } }], options());
  expect(result).toEqual({ added: ['k'], unchanged: [], replaced: [] });
  expect(read('cdk.context.json')).toBe('{\n  "acknowledged-issue-numbers": [\n    1\n  ],\n  "b": "kept",\n  "k": {\n    "x": 1\n  }\n}\n');
  expect(fs.readdirSync(dir.path)).toEqual(['cdk.context.json']);
});

test('creates the file when there is none', () => {
  writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: 1 }], options());
  expect(readContextFile(dir.file('cdk.context.json'))).toEqual({ k: 1 });
});

test('the same answer again (keys in another order) changes nothing and does not rewrite the file', () => {
  dir.write('cdk.context.json', '{"k": {"a": 1, "b": 2}}');
  const result = writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: { b: 2, a: 1 } }], options());
  expect(result).toEqual({ added: [], unchanged: ['k'], replaced: [] });
  expect(read('cdk.context.json')).toBe('{"k": {"a": 1, "b": 2}}');
});

test('another answer for a recorded key is refused, naming both, and nothing is written', () => {
  dir.write('cdk.context.json', { k: 'found', other: 1 });
  const before = read('cdk.context.json');
  expect(() => writeContextEntries(dir.file('cdk.context.json'), [{ key: 'new', value: 2 }, { key: 'k', value: 'not found' }], options()))
    .toThrow(/cdk\.context\.json already records another answer; nothing was written\. "k": recorded "found", this run would record "not found"\. .*run the command again with --replace/);
  expect(read('cdk.context.json')).toBe(before);
});

test('with replace, the change is made and reported', () => {
  dir.write('cdk.context.json', { k: 'found' });
  const result = writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: 'not found' }], options(true));
  expect(result.replaced).toEqual([{ key: 'k', previous: 'found', value: 'not found' }]);
  expect(readContextFile(dir.file('cdk.context.json'))).toEqual({ k: 'not found' });
});

describe('symbolic links and other files are refused, their targets untouched', () => {
  test('a link to another file', () => {
    const target = dir.write('elsewhere/settings.json', { keep: true });
    fs.symlinkSync(target, dir.file('cdk.context.json'));
    expect(() => writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: 1 }], options()))
      .toThrow(/cdk\.context\.json is a symbolic link: the tool never writes through one/);
    expect(JSON.parse(fs.readFileSync(target, 'utf8'))).toEqual({ keep: true });
    expect(fs.lstatSync(dir.file('cdk.context.json')).isSymbolicLink()).toBe(true);
  });

  test('a dangling link (writing would create its target)', () => {
    fs.symlinkSync(dir.file('created-elsewhere.json'), dir.file('cdk.context.json'));
    expect(() => writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: 1 }], options())).toThrow(/is a symbolic link/);
    expect(fs.existsSync(dir.file('created-elsewhere.json'))).toBe(false);
  });

  test('a folder', () => {
    fs.mkdirSync(dir.file('cdk.context.json'));
    expect(() => readContextFile(dir.file('cdk.context.json'))).toThrow(/cdk\.context\.json is not a regular file/);
  });
});

test('a file that is not a JSON object is refused and kept; its content is not echoed', () => {
  dir.write('cdk.context.json', 'secret-looking text');
  expect(() => writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: 1 }], options()))
    .toThrow(new Error(`${dir.file('cdk.context.json')} is not valid JSON: fix or delete it, then run the command again`));
  expect(read('cdk.context.json')).toBe('secret-looking text');
});

test('keeps the file\'s permissions', () => {
  dir.write('cdk.context.json', {});
  fs.chmodSync(dir.file('cdk.context.json'), 0o600);
  writeContextEntries(dir.file('cdk.context.json'), [{ key: 'k', value: 1 }], options());
  expect(fs.statSync(dir.file('cdk.context.json')).mode % 0o1000).toBe(0o600);
});
