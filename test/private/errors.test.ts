// The library's one error format: `<construct path>: <prop>: <value> <problem>. <allowed>`.
import { spawnSync } from 'child_process';
import * as path from 'path';
import { Duration } from 'aws-cdk-lib';
import { at, checkAll, errorAt, invalid, InvalidProp } from '../../src/private/errors';

/** What `fn` throws (undefined if nothing). */
function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  return undefined;
}

describe('invalid', () => {
  test('builds "<prop>: <value> <problem>. <allowed>" as an InvalidProp', () => {
    const error = invalid('repo', 'a/b/c', 'is wrong', 'Do this');
    expect(error).toBeInstanceOf(InvalidProp);
    expect(error.name).toBe('InvalidProp');
    expect(error.message).toBe('repo: "a/b/c" is wrong. Do this');
  });

  test.each<[string, unknown, string]>([
    ['a string, quoted', 'x', '"x"'],
    ['a duration, in human form', Duration.minutes(30), '30 minutes'],
    ['a list, as JSON', ['a', 'b'], '["a","b"]'],
    ['a number', 0, '0'],
    ['undefined', undefined, 'undefined'],
    ['a value JSON cannot show', (() => { const cyclic: Record<string, unknown> = {}; cyclic.self = cyclic; return cyclic; })(), '[object Object]'],
  ])('shows %s', (_name, value, shown) => {
    expect(invalid('p', value, 'is bad', 'X').message).toBe(`p: ${shown} is bad. X`);
  });
});

describe('errorAt', () => {
  test('prefixes every problem with the construct path, one line each', () => {
    const error = errorAt('Stack/Publisher', [invalid('a', 1, 'is bad', 'X'), invalid('b', 2, 'is worse', 'Y')]);
    expect(error).not.toBeInstanceOf(InvalidProp);
    expect(error.message).toBe('Stack/Publisher: a: 1 is bad. X\nStack/Publisher: b: 2 is worse. Y');
  });
});

describe('checkAll', () => {
  const fail = (prop: string) => () => {
    throw invalid(prop, 0, 'is bad', 'X');
  };
  const pass = () => undefined;

  test('passes when every check passes', () => {
    expect(() => checkAll('P', [pass, pass])).not.toThrow();
  });

  test('reports every invalid prop at once, in order, each prefixed with the path', () => {
    expect(() => checkAll('Stack/P', [fail('a'), pass, fail('b')]))
      .toThrow(new Error('Stack/P: a: 0 is bad. X\nStack/P: b: 0 is bad. X'));
  });

  test('rethrows anything that is not an InvalidProp as it is (a bug, not bad input)', () => {
    const bug = new TypeError('boom');
    expect(thrownBy(() => checkAll('P', [fail('a'), () => { throw bug; }]))).toBe(bug);
  });
});

describe('at', () => {
  test('returns what the function returns', () => {
    expect(at('P', () => 42)).toBe(42);
  });

  test('prefixes an InvalidProp with the path', () => {
    expect(() => at('Stack/P', fail)).toThrow(new Error('Stack/P: tags: [] is bad. X'));
    function fail(): never {
      throw invalid('tags', [], 'is bad', 'X');
    }
  });

  test('rethrows any other error as it is', () => {
    const bug = new RangeError('boom');
    expect(thrownBy(() => at('P', () => { throw bug; }))).toBe(bug);
  });
});

describe('an uncaught error prints its message once', () => {
  // Node prints the source line of an uncaught throw above the error. The
  // library's code is run here as plain JavaScript without source maps (as
  // node runs lib/ unless told otherwise): each .ts file transpiled alone.
  const root = path.resolve(__dirname, '..', '..');
  function runApp(app: string): string {
    const hook = `
      const ts = require('typescript');
      const fs = require('fs');
      require.extensions['.ts'] = (m, file) => m._compile(ts.transpileModule(fs.readFileSync(file, 'utf8'),
        { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } }).outputText, file);
      const { App, Stack } = require('aws-cdk-lib');
      const lib = require('./src');
      const app = new App();
      const stack = new Stack(app, 'Web', { env: { account: '111111111111', region: 'us-east-1' } });
      ${app}`;
    const result = spawnSync(process.execPath, ['-e', hook], { cwd: root, encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    return result.stderr;
  }
  const count = (text: string, part: string) => text.split(part).length - 1;

  test.each([
    ['an invalid prop (checkAll)', "new lib.GitHubEcrPublisher(stack, 'P', { repo: 'octo-org/*' });", 'contains a wildcard, which would trust other repositories'],
    ['a conflict found while constructing (two publishers, one ECR repository)',
      "for (const id of ['A', 'B']) new lib.GitHubEcrPublisher(stack, id, { repo: 'octo-org/web-' + id, repositoryName: 'web' });",
      'is also the ECR repository of'],
  ])('%s', (_case, app, message) => {
    const stderr = runApp(app);
    expect(count(stderr, message)).toBe(1);
  });
});
