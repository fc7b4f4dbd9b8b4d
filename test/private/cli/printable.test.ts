// Output quoting: names from files and APIs print as one line, and the printed
// gh commands run in a POSIX shell with exactly their arguments.
import { spawnSync } from 'child_process';
import { printable, printableLines, quote, shellCommand } from '../../../src/private/cli/printable';

test('printable: control characters, DEL, C1 and the Unicode line separators become escapes', () => {
  expect(printable('a\nb\r\t\x1b[31m\x7f\x85\u2028\u2029 ok é')).toBe('a\\nb\\r\\t\\u001b[31m\\u007f\\u0085\\u2028\\u2029 ok é');
  expect(printableLines('a\nb\x1b')).toBe('a\nb\\u001b');
  expect(quote('Web\ngh')).toBe('"Web\\ngh"');
});

describe('shellCommand', () => {
  test('quoted for a POSIX shell only where needed, and sh gets exactly the arguments back', () => {
    const args = ['secret', 'set', 'X', '--env', "prod 'eu' $HOME `id`", '--body', 'arn:aws:iam::1:role/a-b_c.d@e'];
    const line = shellCommand('printf', ['%s|', ...args]);
    expect(line).toBe("printf '%s|' secret set X --env 'prod '\\''eu'\\'' $HOME `id`' --body arn:aws:iam::1:role/a-b_c.d@e");
    expect(spawnSync('sh', ['-c', line], { encoding: 'utf8' }).stdout).toBe(`${args.join('|')}|`);
  });

  test.each(['Web\ngh secret set X --body evil', 'a\rb', 'a\u2028b', 'a\x1bb'])('an argument with a line break or control character is refused: %j', (arg) => {
    expect(() => shellCommand('gh', ['secret', 'set', 'X', '--body', arg])).toThrow(/refusing to print a command with the argument ".*": it contains a control character or line break/);
  });
});
