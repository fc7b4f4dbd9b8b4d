// The rules every subcommand follows (command.ts): help exits 0 with the
// subcommand's usage, options are strict, positionals only where declared, and
// what is printed cannot forge lines or drive the terminal.
import { Command, defineCommand, Io, safeIo, wantsHelp } from '../../../src/private/cli/command';
import { COMMANDS, main } from '../../../src/private/cli/main';
import { UsageError } from '../../../src/private/cli/usage-error';

function capture(): { io: Io; out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return { io: { out: (t) => (out += t), err: (t) => (err += t), env: {}, cwd: '/nonexistent' }, out: () => out, err: () => err };
}

function runMain(args: string[]) {
  const c = capture();
  const code = main(args, c.io);
  return { code, out: c.out(), err: c.err() };
}

describe('--help, for every subcommand the tool has', () => {
  const names = COMMANDS.map((c) => c.name);
  test('the tool has the subcommands its usage lists', () => {
    expect(names).toEqual(expect.arrayContaining(['secrets', 'context']));
  });

  test.each(names)('%s --help, -h (also after other options) and `help %s`: exit 0, that command\'s usage, nothing done', (name) => {
    const command = COMMANDS.find((c) => c.name === name)!;
    for (const args of [[name, '--help'], [name, '-h'], [name, '--cdk-out', 'x', '--help'], ['help', name]]) {
      const result = runMain(args);
      expect({ args, ...result }).toEqual({ args, code: 0, out: `Usage: cdk-github-ecr-publisher ${command.usage.trimStart()}`, err: '' });
    }
  });

  test('--help after `--` is an argument, not a request for help', () => {
    expect(wantsHelp(['--', '--help'])).toBe(false);
    expect(wantsHelp(['-x', '-h'])).toBe(true);
  });

  test('the tool\'s own --help lists every subcommand\'s usage', () => {
    const result = runMain(['--help']);
    expect(result.code).toBe(0);
    for (const command of COMMANDS) {
      expect(result.out).toContain(command.usage.trim());
    }
  });
});

describe('defineCommand', () => {
  const seen: Array<[unknown, string[]]> = [];
  const plain: Command = defineCommand({
    name: 'plain',
    usage: '\n  plain [--flag]\n',
    options: { flag: { type: 'boolean', default: false } },
    run: (values, positionals) => (seen.push([values, positionals]), 0),
  });
  const withArgs = defineCommand({
    name: 'args',
    usage: '\n  args OWNER/REPO...\n',
    options: {},
    positionals: 'OWNER/REPO',
    run: (_values, positionals) => positionals.length,
  });

  test('runs with the parsed options', () => {
    expect(plain.main(['--flag'], capture().io)).toBe(0);
    expect(seen.pop()).toEqual([{ flag: true }, []]);
  });

  test('an unknown option or an argument it does not take: a usage error (exit 2) that points at its help', () => {
    expect(() => plain.main(['--nope'], capture().io)).toThrow(expect.objectContaining({ exitCode: 2, message: expect.stringMatching(/^plain: Unknown option '--nope'.*\(see plain --help\)$/) }));
    expect(() => plain.main(['extra'], capture().io)).toThrow(new UsageError('plain takes no arguments, only options: "extra" (see plain --help)', 2));
  });

  test('positionals where the command declares them', () => {
    expect(withArgs.main(['a/b', 'c/d'], capture().io)).toBe(2);
  });
});

describe('printed output', () => {
  test('safeIo escapes terminal control characters but keeps the tool\'s own line breaks', () => {
    const c = capture();
    safeIo(c.io).out('one\ntwo \x1b[2J\r\u2028three\n');
    expect(c.out()).toBe('one\ntwo \\u001b[2J\\r\\u2028three\n');
  });

  test('an unknown command name is quoted, its line breaks escaped', () => {
    const result = runMain(['x\ngh secret set AWS_ROLE_ARN --body evil']);
    expect(result).toEqual({ code: 2, out: '', err: 'cdk-github-ecr-publisher: unknown command "x\\ngh secret set AWS_ROLE_ARN --body evil" (see --help)\n' });
  });
});
