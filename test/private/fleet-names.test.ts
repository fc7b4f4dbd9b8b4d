import { execFileSync } from 'child_process';
import { FLEET_NAMES_SHELL, fleetRepositoryName, fleetRoleName, MAX_ROLE_NAME } from '../../src/private/fleet-names';

/** The organisation workflow's shell rule, run by bash for many names at once. */
function shellNames(repositories: string[]): Array<[string, string]> {
  const script = `while IFS= read -r REPOSITORY; do\n${FLEET_NAMES_SHELL}\nprintf '%s %s\\n' "$role" "$ecr_repository"\ndone`;
  const out = execFileSync('bash', ['--norc', '--noprofile', '-c', script], { input: repositories.join('\n') + '\n', encoding: 'utf8' });
  return out.trimEnd().split('\n').map((l) => l.split(' ') as [string, string]);
}

const NAMES = [
  'octo-org/api', 'Octo-Org/API', 'a/b', 'a-b/c', 'a/b-c', 'octo-org/my.repo', 'octo-org/my_repo', 'o/.dotfile',
  `octo-org/${'x'.repeat(55)}`, `octo-org/${'x'.repeat(54)}`, `octo-org/${'x'.repeat(56)}`,
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
    expect(fleetRoleName(long)).toMatch(/^octo-org\.x{46}-[0-9a-f]{8}$/);
    expect(fleetRoleName(`octo-org/${'x'.repeat(55)}`)).toBe(`octo-org.${'x'.repeat(55)}`);
  });

  test('different repositories never share a role name (case-insensitively distinct names)', () => {
    const distinct = [...new Set(NAMES.map((n) => n.toLowerCase()))];
    const roles = distinct.map(fleetRoleName);
    expect(new Set(roles.map((r) => r.toLowerCase())).size).toBe(distinct.length);
  });
});

describe('the organisation workflow computes the same names (shell twin)', () => {
  test(`parity over ${NAMES.length} names, long and colliding-looking ones included`, () => {
    const shell = shellNames(NAMES);
    expect(shell).toEqual(NAMES.map((n) => [fleetRoleName(n), fleetRepositoryName(n)]));
  });
});
