// The registry's signing configuration: the repository filters (exact for the
// signing repositories, never matching one that does not sign) and ECR's
// limits, up to fleets of 4,900 repositories.
import { App, IAspect, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { GitHubEcrPublisherFleet, ImageSigning } from '../../src';
import { MAX_FILTERS_PER_RULE, MAX_SIGNING_RULES, ruleCount, SIGNING_CONFIGURATION_ID, signingFilters } from '../../src/private/signing-registry';
import { ENV } from '../helpers/fixture';

/** ECR's WILDCARD_MATCH as its documentation describes it: `*` matches any run of characters. */
function matches(filter: string, name: string): boolean {
  return new RegExp(`^${filter.split('*').map((p) => p.replace(/[.+?^${}()|[\]\\/]/g, '\\$&')).join('.*')}$`).test(name);
}

/** Every signing name is matched by a filter, and no unsigned one is. */
function expectExact(filters: string[], signed: string[], unsigned: string[]): void {
  expect(signed.filter((n) => !filters.some((f) => matches(f, n)))).toEqual([]);
  expect(unsigned.filter((n) => filters.some((f) => matches(f, n)))).toEqual([]);
}

const FILTER_PATTERN = /^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*\/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$/;

describe('signingFilters', () => {
  test('a whole namespace signs: one wildcard', () => {
    const names = ['octo-org/a', 'octo-org/b', 'octo-org/c-d'];
    expect(signingFilters(names.map((name) => ({ name, namespace: 'octo-org/' })), [])).toEqual(['octo-org/*']);
  });

  test('repositories without a namespace get their exact name, never a wildcard', () => {
    expect(signingFilters([{ name: 'web' }, { name: 'api' }], [])).toEqual(['api', 'web']);
  });

  test('one opt-out splits the namespace at the first character that sets it apart', () => {
    const signed = ['octo-org/api', 'octo-org/app', 'octo-org/web', 'octo-org/worker'];
    const unsigned = ['octo-org/apx'];
    const filters = signingFilters(signed.map((name) => ({ name, namespace: 'octo-org/' })), unsigned);
    expectExact(filters, signed, unsigned);
    expect(filters).toEqual(['octo-org/api', 'octo-org/app', 'octo-org/w*']);
  });

  test('a signing name that is the prefix of an unsigned one is matched exactly', () => {
    const signed = ['o/ab', 'o/ab-x', 'o/ac'];
    const unsigned = ['o/ab-y'];
    const filters = signingFilters(signed.map((name) => ({ name, namespace: 'o/' })), unsigned);
    expectExact(filters, signed, unsigned);
    expect(filters).toContain('o/ab');
  });

  test('an unsigned repository outside the namespace does not split it', () => {
    const filters = signingFilters([{ name: 'o/a', namespace: 'o/' }, { name: 'o/b', namespace: 'o/' }], ['other/a', 'o']);
    expect(filters).toEqual(['o/*']);
  });

  test('every filter is a valid filter of the CloudFormation schema, over generated names', () => {
    let x = 7;
    const next = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const parts = ['api', 'web', 'svc', 'a', 'b', 'data', 'x1'];
    const names = [...new Set(Array.from({ length: 400 }, () => `org/${[0, 1, 2].map(() => parts[Math.floor(next() * parts.length)]).join(['-', '.', '_'][Math.floor(next() * 3)])}`))];
    const signed = names.filter(() => next() < 0.7);
    const unsigned = names.filter((n) => !signed.includes(n));
    const filters = signingFilters(signed.map((name) => ({ name, namespace: 'org/' })), unsigned);
    expectExact(filters, signed, unsigned);
    expect(filters.filter((f) => !FILTER_PATTERN.test(f) || f.length > 256)).toEqual([]);
  });
});

describe('ECR\'s limits: 10 rules of 100 filters per registry', () => {
  const repos = (n: number) => Array.from({ length: n }, (_, i) => `octo-org/service-${String(i).padStart(4, '0')}`);

  test('ruleCount packs 100 filters per rule and refuses more than 10 rules, with the reason', () => {
    expect(ruleCount(1, 1, 'r')).toBe(1);
    expect(ruleCount(4900, 1000, 'r')).toBe(10);
    expect(() => ruleCount(1225, 1001, '111111111111/us-east-1')).toThrow(
      /imageSigning: "1225 signing repositories" need 1001 repository filters in registry 111111111111\/us-east-1, more than the 1000 ECR allows \(10 rules of 100 filters\)/);
  });

  test('a fleet of 4,900 repositories that all sign but 60 fits; of the same names, 980 opting in fit and 1,225 scattered opt-ins are refused', () => {
    // Every repository signs, except 60 scattered ones: the configuration the fleet's base stack holds.
    const app = new App();
    const names = repos(4900);
    const optOut = new Set(names.filter((_, i) => i % 81 === 7));
    const fleet = new GitHubEcrPublisherFleet(app, 'Fleet', {
      env: ENV,
      shards: 24,
      roleQuota: 5000,
      defaults: { imageSigning: ImageSigning.managed() },
      repositories: names.map((repo) => (optOut.has(repo) ? { repo, imageSigning: ImageSigning.none() } : { repo })),
    });
    const rules = decidedRules(app, fleet.baseStack);
    const filters = rules.flatMap((r) => r.repositoryFilters.map((f) => f.filter));
    expect(rules.length).toBeLessThanOrEqual(MAX_SIGNING_RULES);
    expect(Math.max(...rules.map((r) => r.repositoryFilters.length))).toBeLessThanOrEqual(MAX_FILTERS_PER_RULE);
    expectExact(filters, names.filter((n) => !optOut.has(n)), [...optOut]);

    // Only some opt in (the fleet's default is no signing): the filters the same fleet's publishers contribute.
    const only = (optIn: string[]) => signingFilters(optIn.map((name) => ({ name, namespace: 'octo-org/' })), names.filter((n) => !optIn.includes(n)));
    const some = names.filter((_, i) => i % 5 === 1);
    const filtersOfSome = only(some);
    expectExact(filtersOfSome, some, names.filter((n) => !some.includes(n)));
    expect(ruleCount(some.length, filtersOfSome.length, 'r')).toBeLessThanOrEqual(MAX_SIGNING_RULES);
    const tooMany = names.filter((_, i) => i % 4 === 1);
    expect(() => ruleCount(tooMany.length, only(tooMany).length, 'r')).toThrow(/more than the 1000 ECR allows/);
  });
});

/**
 * The rules of the registry's signing configuration in `stack`, decided as
 * synth decides them (the app-wide record's aspect), without rendering the
 * templates of thousands of publishers.
 */
function decidedRules(app: App, stack: Stack): Array<{ repositoryFilters: Array<{ filter: string }> }> {
  (app.node.findChild('CdkGitHubEcrPublisherSigningRegistry') as unknown as IAspect).visit(app);
  const configuration = stack.node.findChild(SIGNING_CONFIGURATION_ID) as ecr.CfnSigningConfiguration;
  return configuration.rules as Array<{ repositoryFilters: Array<{ filter: string }> }>;
}
