// Assertions shared by the integration tests (test/integ.*.ts). Each helper
// adds SDK calls to an assertion stack; integ-runner runs them after deploying
// the test stacks and fails the test when a result does not match.
import { ExpectedResult, IApiCall, Match } from '@aws-cdk/integ-tests-alpha';
import { Fn, Token } from 'aws-cdk-lib';
import { escapeRegExp } from './helpers/fixture';

/** Anything that can add an SDK call to an assertion stack (an IntegTest's `assertions`). */
export interface ApiCaller {
  awsApiCall(service: string, api: string, parameters?: any): IApiCall;
}

/** The trust-policy condition-key prefix of GitHub.com tokens. */
export const GITHUB_COM = 'token.actions.githubusercontent.com';

// Characters RFC 3986 never encodes; IAM returns policies URL-encoded, every other character may appear as %XX.
const UNRESERVED = /^[A-Za-z0-9_~-]$/;


/**
 * A regular expression (source) that matches `text` either as is or
 * URL-encoded, as IAM's GetRole returns a trust policy (either hex case).
 */
export function urlEncodedPattern(text: string): string {
  return [...text].map((ch) => {
    if (UNRESERVED.test(ch)) {
      return ch;
    }
    if (ch === '.') {
      return '\\.';
    }
    const encoded = [...Buffer.from(ch, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');
    const forms = [...new Set([escapeRegExp(ch), encoded, encoded.toLowerCase()])];
    return `(?:${forms.join('|')})`;
  }).join('');
}

/**
 * The same for a value known only at deploy time (an ARN from another stack),
 * built with Fn::Split/Fn::Join. Only ":" "/" and "." are rewritten, which is
 * all an ARN holds besides letters, digits and "-". No backslash may appear in
 * it: the value is inserted into already serialized JSON.
 */
export function deployTimeArnPattern(arn: string): string {
  if (!Token.isUnresolved(arn)) {
    return urlEncodedPattern(arn);
  }
  // ":" first: the "/" replacement contains a ":" itself.
  const colons = Fn.join('(?::|%3A|%3a)', Fn.split(':', arn));
  const slashes = Fn.join('(?:/|%2F|%2f)', Fn.split('/', colons));
  return Fn.join('[.]', Fn.split('.', slashes));
}

// JSON whitespace, raw or URL-encoded.
const WS = '(?:\\s|%20|\\+)*';

/** `"key": "value"` (or `"key": ["value", ...`) in a URL-encoded policy; `valuePattern` is a regex source. */
function member(key: string, valuePattern: string): string {
  return `${urlEncodedPattern(`"${key}"`)}${WS}${urlEncodedPattern(':')}${WS}(?:${urlEncodedPattern('[')}${WS})?${urlEncodedPattern('"')}${valuePattern}${urlEncodedPattern('"')}`;
}

/** A regex that matches when every pattern occurs somewhere in the text. */
function allOf(patterns: string[]): string {
  return `^${patterns.map((p) => `(?=[\\s\\S]*?${p})`).join('')}`;
}

export interface TrustPolicyExpectation {
  /** ARN of the OIDC provider the role must trust (may be a token). */
  readonly providerArn: string;
  /** The `aud` the role requires. */
  readonly audience: string;
  /** Every `sub` value the role must admit, written out literally. */
  readonly subjects: string[];
  /** Other single-valued conditions, claim name (without prefix) to value, e.g. `repository_id`. */
  readonly claims?: Record<string, string>;
}

/**
 * Checks the deployed role's trust policy (IAM GetRole): the federated
 * principal, the action, the audience and claims, and every subject.
 *
 * Only the policy document is returned by the calls (`assertAtPath`): a
 * custom resource may answer CloudFormation with 4 KB at most.
 */
export function expectTrustPolicy(assertions: ApiCaller, roleName: string, expected: TrustPolicyExpectation): void {
  const principal = [
    member('Federated', deployTimeArnPattern(expected.providerArn)),
    member('Action', urlEncodedPattern('sts:AssumeRoleWithWebIdentity')),
    member(`${GITHUB_COM}:aud`, urlEncodedPattern(expected.audience)),
    ...Object.entries(expected.claims ?? {}).map(([claim, value]) => member(`${GITHUB_COM}:${claim}`, urlEncodedPattern(value))),
  ];
  assertions.awsApiCall('IAM', 'getRole', { RoleName: roleName })
    .assertAtPath('Role.AssumeRolePolicyDocument', ExpectedResult.stringLikeRegexp(allOf(principal)));

  const subjects = [
    urlEncodedPattern(`"${GITHUB_COM}:sub"`),
    ...expected.subjects.map((s) => urlEncodedPattern(`"${s}"`)),
  ];
  assertions.awsApiCall('IAM', 'getRole', { RoleName: roleName })
    .assertAtPath('Role.AssumeRolePolicyDocument', ExpectedResult.stringLikeRegexp(allOf(subjects)));
}

export interface RepositoryExpectation {
  readonly scanOnPush: boolean;
  readonly tagMutability: string;
  /** Immutable-tag wildcard filters, in order. */
  readonly immutableTagFilters?: string[];
}

/** Checks the deployed ECR repository (DescribeRepositories): scanning and tag mutability. */
export function expectRepository(assertions: ApiCaller, repositoryName: string, expected: RepositoryExpectation): void {
  assertions.awsApiCall('ECR', 'describeRepositories', { repositoryNames: [repositoryName] })
    .expect(ExpectedResult.objectLike({
      repositories: [{
        imageScanningConfiguration: { scanOnPush: expected.scanOnPush },
        imageTagMutability: expected.tagMutability,
        ...(expected.immutableTagFilters ? {
          imageTagMutabilityExclusionFilters: expected.immutableTagFilters.map((filter) => ({ filterType: 'WILDCARD', filter })),
        } : {}),
      }],
    }));
}

/**
 * Checks the repository's lifecycle policy (GetLifecyclePolicy) holds the
 * default rules with the registry build cache: its tag kept, the last `count`
 * tagged images besides it (`count` + 1 counted), and the untagged rule.
 */
export function expectKeepLastImages(assertions: ApiCaller, repositoryName: string, count: number): void {
  assertions.awsApiCall('ECR', 'getLifecyclePolicy', { repositoryName })
    .expect(ExpectedResult.objectLike({
      lifecyclePolicyText: Match.serializedJson(Match.objectLike({
        rules: [
          Match.objectLike({ rulePriority: 1, selection: Match.objectLike({ tagStatus: 'tagged', tagPatternList: ['buildcache'], countNumber: 1 }) }),
          Match.objectLike({ rulePriority: 2, selection: Match.objectLike({ tagStatus: 'tagged', tagPatternList: ['*'], countNumber: count + 1 }) }),
          Match.objectLike({ rulePriority: 3, selection: Match.objectLike({ tagStatus: 'untagged', countNumber: count }) }),
        ],
      })),
    }));
}

export interface ProviderExpectation {
  /** The client ID (audience) registered on the provider. */
  readonly audience: string;
  /** A tag the provider must carry. */
  readonly tag?: { readonly key: string; readonly value: string };
}

/** Checks the GitHub OIDC provider exists with the GitHub.com URL and the audience (GetOpenIDConnectProvider). */
export function expectOidcProvider(assertions: ApiCaller, providerArn: string, expected: ProviderExpectation): void {
  assertions.awsApiCall('IAM', 'getOpenIDConnectProvider', { OpenIDConnectProviderArn: providerArn })
    .expect(ExpectedResult.objectLike({
      Url: Match.stringLikeRegexp(`^(https://)?${escapeRegExp(GITHUB_COM)}$`),
      ClientIDList: [expected.audience],
      ...(expected.tag ? { Tags: Match.arrayWith([{ Key: expected.tag.key, Value: expected.tag.value }]) } : {}),
    }));
}

/**
 * Checks with IAM's policy simulator (SimulatePrincipalPolicy, the role's
 * own policies) that the role may call `action` on `resourceArn` or not.
 */
export function expectDecision(assertions: ApiCaller, roleArn: string, action: string, resourceArn: string, decision: 'allowed' | 'implicitDeny'): void {
  assertions.awsApiCall('IAM', 'simulatePrincipalPolicy', {
    PolicySourceArn: roleArn,
    ActionNames: [action],
    ResourceArns: [resourceArn],
  }).assertAtPath('EvaluationResults.0.EvalDecision', ExpectedResult.stringLikeRegexp(`^${decision}$`));
}
