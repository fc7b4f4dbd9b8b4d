// cdk-nag 3 (AwsSolutionsChecks) over every configuration the trust-boundary
// suite builds, plus provider and encryption variants: no finding may remain
// unacknowledged, and every acknowledgement carries its reason. The only
// expected finding is IAM5 for `ecr:GetAuthorizationToken` on "*": the action
// has no resource type, so IAM only accepts "*".
import { Stack, Validations } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { GitHubEcrPublisher, OidcProviderSource } from '../src';
import { CONFIGURATIONS, configurationFixture } from './fixtures/lint/configurations';
import { addPublisher, newPublisher, newStack } from './helpers/fixture';

const LOGIN_FINDING = 'AwsSolutions-IAM5[Resource::*]';
const LOGIN_REASON = 'ecr:GetAuthorizationToken has no resource type, so IAM requires Resource "*"; '
  + 'every repository action is scoped to this repository\'s ARN in a separate statement.';

/**
 * Acknowledges the login finding on the role's CfnRole only, not on the Role
 * construct: cdk-nag walks up the tree, so an acknowledgement on the Role
 * would also hide wildcards in a DefaultPolicy the user adds under it.
 */
function acknowledgeLogin(publisher: GitHubEcrPublisher): void {
  Validations.of(publisher.role.node.defaultChild!).acknowledge({ id: LOGIN_FINDING, reason: LOGIN_REASON });
}

function findings(scope: Stack): Array<{ rule: string; path?: string }> {
  const report = new AwsSolutionsChecks(scope.node.root).validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => ({ rule: v.ruleName, path: r.constructPath })));
}

/** Every acknowledgement recorded anywhere in the tree, with its reason. */
function acknowledgements(root: IConstruct): Array<{ path: string; id: string; reason: unknown }> {
  return root.node.findAll().flatMap((c) => c.node.metadata
    .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
    .flatMap((m) => Object.entries(m.data as Record<string, unknown>).map(([id, reason]) => ({ path: c.node.path, id, reason }))));
}

interface Variant {
  readonly name: string;
  readonly build: () => { readonly stack: Stack; readonly publisher: GitHubEcrPublisher };
}

const VARIANTS: Variant[] = [
  ...CONFIGURATIONS.map((c) => ({ name: c.name, build: () => configurationFixture(c) })),
  {
    name: 'create() in an environment-agnostic stack',
    build: () => newPublisher({ providerSource: OidcProviderSource.create() }, { env: null, id: 'Agnostic' }),
  },
  {
    name: 'existing() provider, KMS key with rotation',
    build: () => {
      const stack = newStack({ id: 'Kms' });
      const encryptionKey = new kms.Key(stack, 'Key', { enableKeyRotation: true });
      return {
        stack,
        publisher: addPublisher(stack, {
          providerSource: OidcProviderSource.existing(),
          encryptionKey,
          tags: ['v*'],
          imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
          imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('latest')],
        }),
      };
    },
  },
];

describe.each(VARIANTS.map((v) => [v.name, v] as const))('%s', (_name, variant) => {
  test('GIVEN no acknowledgement THEN the one finding is the login statement on the role', () => {
    const { stack, publisher } = variant.build();
    expect(findings(stack)).toEqual([{ rule: LOGIN_FINDING, path: publisher.role.node.defaultChild!.node.path }]);
  });

  test('GIVEN the login acknowledgement THEN no finding remains, and the one acknowledgement is on the CfnRole with its reason', () => {
    const { stack, publisher } = variant.build();
    acknowledgeLogin(publisher);
    expect(findings(stack)).toEqual([]);
    expect(acknowledgements(stack.node.root)).toEqual([
      { path: publisher.role.node.defaultChild!.node.path, id: LOGIN_FINDING, reason: LOGIN_REASON },
    ]);
  });
});

test('GIVEN the login acknowledgement WHEN the user adds a wildcard grant to the role THEN cdk-nag still reports it', () => {
  // The acknowledgement is as narrow as claimed: it does not hide other wildcards.
  const { stack, publisher } = configurationFixture(CONFIGURATIONS[0]);
  acknowledgeLogin(publisher);
  publisher.grantPrincipal.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:*'], resources: ['*'] }));
  const policyPath = publisher.role.node.findChild('DefaultPolicy').node.defaultChild!.node.path;
  expect(findings(stack)).toEqual([
    { rule: 'AwsSolutions-IAM5[Action::ecr:*]', path: policyPath },
    { rule: 'AwsSolutions-IAM5[Resource::*]', path: policyPath },
  ]);
});
