import { execFileSync } from 'child_process';
import { createHash } from 'crypto';
import { FLEET_NAMES_SHELL, fleetRepositoryName, fleetRoleName, MAX_ROLE_NAME } from '../../src/private/fleet-names';

/** The organisation workflow's shell rule, run by bash for many names at once. */
function shellNames(repositories: string[]): Array<[string, string]> {
  const script = `while IFS= read -r REPOSITORY; do\n${FLEET_NAMES_SHELL}\nprintf '%s %s\\n' "$role" "$ecr_repository"\ndone`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { input: repositories.join('\n') + '\n', encoding: 'utf8' });
  return out.trimEnd().split('\n').map((l) => l.split(' ') as [string, string]);
}

const NAMES = [
  'octo-org/api', 'Octo-Org/API', 'a/b', 'a-b/c', 'a/b-c', 'octo-org/my.repo', 'octo-org/my_repo', 'o/.dotfile',
  `octo-org/${'x'.repeat(55)}`, `octo-org/${'x'.repeat(54)}`, `octo-org/${'x'.repeat(56)}`, `Octo-Org/${'X'.repeat(56)}`, `OCTO-ORG/${'Mixed-Case'.repeat(9)}`,
  `${'a'.repeat(39)}/${'b'.repeat(100)}`, `${'a'.repeat(39)}/${'b'.repeat(99)}`,
  ...Array.from({ length: 300 }, (_, i) => `org-${i % 7}/repo-${'z'.repeat(i % 90)}-${i}`),
];

describe('fleetRoleName', () => {
  test('owner.repo in lower case when it fits', () => {
    expect(fleetRoleName('Octo-Org/API')).toBe('octo-org.api');
    expect(fleetRoleName('a-b/c')).toBe('a-b.c');
    expect(fleetRoleName('a/b-c')).toBe('a.b-c');
  });

  test('at most 64 characters of IAM role name characters, a hash suffix when longer', () => {
    for (const name of NAMES) {
      expect(fleetRoleName(name)).toMatch(/^[\w+=,.@-]{1,64}$/);
    }
    const long = `octo-org/${'x'.repeat(56)}`;
    expect(fleetRoleName(long)).toHaveLength(MAX_ROLE_NAME);
    expect(fleetRoleName(long)).toMatch(/^octo-org\.x{46}\+[0-9a-f]{8}$/);
    expect(fleetRoleName(`octo-org/${'x'.repeat(55)}`)).toBe(`octo-org.${'x'.repeat(55)}`);
  });

  test('different repositories never share a role name (case-insensitively distinct names)', () => {
    const distinct = [...new Set(NAMES.map((n) => n.toLowerCase()))];
    const roles = distinct.map(fleetRoleName);
    expect(new Set(roles.map((r) => r.toLowerCase())).size).toBe(distinct.length);
  });

  test('mixed case: the hashed name is the one of the lower-cased name, its hash of the lower-cased owner/repo', () => {
    const mixed = `Octo-Org/${'Mixed-Case'.repeat(9)}`;
    const lower = mixed.toLowerCase();
    expect(fleetRoleName(mixed)).toBe(fleetRoleName(lower));
    expect(fleetRoleName(mixed)).toBe(`${lower.replace('/', '.').slice(0, 55)}+${createHash('sha256').update(lower).digest('hex').slice(0, 8)}`);
  });

  test('a shortened name never equals the full name of another repository (GitHub names have no "+")', () => {
    const long = `octo-org/${'x'.repeat(60)}`;
    const shortened = fleetRoleName(long);
    // The 64-character repository whose full name looks most like it: its "+" as the "-" GitHub allows.
    const lookalike = `octo-org/${shortened.slice('octo-org.'.length).replace('+', '-')}`;
    expect(fleetRoleName(lookalike)).toBe(lookalike.replace('/', '.'));
    expect(fleetRoleName(lookalike)).not.toBe(shortened);
    for (const name of NAMES) {
      expect(fleetRoleName(name).includes('+')).toBe(name.replace('/', '.').length > MAX_ROLE_NAME);
    }
  });
});

describe('the organisation workflow computes the same names (shell twin)', () => {
  test(`parity over ${NAMES.length} names, long, mixed-case and colliding-looking ones included`, () => {
    const shell = shellNames(NAMES);
    expect(shell).toEqual(NAMES.map((n) => [fleetRoleName(n), fleetRepositoryName(n)]));
  });
});
