// A cloud assembly is input like any other: every file its manifest names
// stays inside it, a refused file is never read or echoed, and a nested
// assembly that contains itself is a usage error, not a crash.
import * as fs from 'fs';
import * as path from 'path';
import { readAssembly, readJson } from '../../../src/private/cli/cloud-assembly';
import { UsageError } from '../../../src/private/cli/usage-error';
import { addPublisherStacks, synthesize, TempDir } from '../../helpers/cloud-assembly';

let dir: TempDir;
beforeEach(() => {
  dir = new TempDir();
});
afterEach(() => dir.cleanUp());

const SECRET = 'root:x:0:0:do-not-print';

/** A one-stack assembly whose manifest `edit` changes. */
function assemblyWith(edit: (manifest: any) => void): string {
  synthesize(dir, (app) => addPublisherStacks(app, { Web: {} }));
  const file = dir.file('cdk.out/manifest.json');
  const manifest = JSON.parse(fs.readFileSync(file, 'utf8'));
  edit(manifest);
  fs.writeFileSync(file, JSON.stringify(manifest));
  return dir.file('cdk.out');
}

const stackOf = (manifest: any) => manifest.artifacts.Web.properties;

test('a real assembly reads as before', () => {
  const assembly = readAssembly(assemblyWith(() => undefined));
  expect(assembly.stacks.map((s) => [s.stackName, path.basename(s.templateFile)])).toEqual([['Web', 'Web.template.json']]);
});

describe('template paths outside the assembly are refused, not read', () => {
  test.each([
    ['a relative path that climbs out', () => '../secret.json'],
    ['an absolute path', () => dir.file('secret.json')],
  ])('%s', (_case, templateFile) => {
    dir.write('secret.json', SECRET);
    const cdkOut = assemblyWith((m) => {
      stackOf(m).templateFile = templateFile();
    });
    expect(() => readAssembly(cdkOut)).toThrow(/names the template of stack "Web" ".*secret\.json", which is outside the cloud assembly .*: refused, not read/);
    try {
      readAssembly(cdkOut);
    } catch (e) {
      expect((e as Error).message).not.toContain('do-not-print');
    }
  });

  test('a link inside the assembly that points outside it', () => {
    dir.write('secret.json', SECRET);
    const cdkOut = assemblyWith((m) => {
      stackOf(m).templateFile = 'linked.json';
    });
    fs.symlinkSync(dir.file('secret.json'), path.join(cdkOut, 'linked.json'));
    expect(() => readAssembly(cdkOut)).toThrow(/names the template of stack "Web" "linked\.json", which is outside the cloud assembly/);
  });
});

describe('nested assemblies', () => {
  test('one that points at itself is a usage error', () => {
    const cdkOut = assemblyWith((m) => {
      m.artifacts.Self = { type: 'cdk:cloud-assembly', properties: { directoryName: '.' } };
    });
    expect(() => readAssembly(cdkOut)).toThrow(UsageError);
    expect(() => readAssembly(cdkOut)).toThrow(/the nested cloud assembly .* contains itself/);
  });

  test('a cycle through two levels is a usage error', () => {
    const cdkOut = assemblyWith((m) => {
      m.artifacts.Inner = { type: 'cdk:cloud-assembly', properties: { directoryName: 'inner' } };
    });
    dir.write('cdk.out/inner/manifest.json', { version: '1', artifacts: { Back: { type: 'cdk:cloud-assembly', properties: { directoryName: '..' } } } });
    expect(() => readAssembly(cdkOut)).toThrow(/contains itself \(a cycle through 2 level\(s\)\)/);
  });

  test('one outside the assembly is refused', () => {
    const cdkOut = assemblyWith((m) => {
      m.artifacts.Out = { type: 'cdk:cloud-assembly', properties: { directoryName: '../elsewhere' } };
    });
    dir.write('elsewhere/manifest.json', { version: '1' });
    expect(() => readAssembly(cdkOut)).toThrow(/names the nested assembly "Out" "\.\.\/elsewhere", which is outside the cloud assembly/);
  });
});

test('a file that is not JSON: the message says where, never what the file holds', () => {
  const file = dir.write('broken.json', `{ "a": ${SECRET} }`);
  expect(() => readJson(file)).toThrow(UsageError);
  try {
    readJson(file);
  } catch (e) {
    expect((e as Error).message).toMatch(/broken\.json is not valid JSON( \(at position \d+\))?$/);
    expect((e as Error).message).not.toContain('root');
  }
});
