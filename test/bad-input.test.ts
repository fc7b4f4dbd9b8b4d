// Every prop the construct checks reaches its check: one row per prop (and per
// check, where a prop has several), whose invalid value fails through the
// construct with the construct path and the prop first,
// `Stack/Publisher: <prop>: ...`, and whose nearest valid neighbour passes, so
// each row proves the wiring rather than some unrelated failure. Every edge of
// each rule (and its token case) is tested once, at unit level, in
// test/private/. Where aws-cdk-lib already checks a prop with a clear message,
// the row shows that its message reaches the user.
import * as fs from 'fs';
import { join } from 'path';
import { App, Duration, Lazy, RemovalPolicy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GitHubEcrPublisherProps, GitHubIssuer, OidcProviderSource } from '../src';
import { GHES } from './fixtures/lint/configurations';
import { TempDir } from './helpers/cloud-assembly';
import { ACCOUNT, addPublisher, errorOf, escapeRegExp, newPublisher, newStack, OTHER_ACCOUNT } from './helpers/fixture';

const WF = 'octo-org/automation/.github/workflows/build.yml';
const wildcard = (f: string) => ecr.ImageTagMutabilityExclusionFilter.wildcard(f);
const keep = (n: number): ecr.LifecycleRule => ({ maxImageCount: n });
/** 14 branches: a trust policy of 2,121 characters, over the default quota of 2,048. */
const FOURTEEN_BRANCHES = Array.from({ length: 14 }, (_, i) => `release-${String(i + 1).padStart(2, '0')}`);

/** Builds a publisher `Stack/Publisher` with `props` and synthesizes its stack. */
const publish = (props: Partial<GitHubEcrPublisherProps>) => () => newPublisher(props).template();

interface Row {
  /** What is checked. */
  readonly rule: string;
  /** The prop (or option) our message names first; none for aws-cdk-lib's checks. */
  readonly prop?: string;
  /** The message: ours start with `Stack/Publisher: <prop>: `; aws-cdk-lib's are matched as they are. */
  readonly message: RegExp;
  readonly bad: () => unknown;
  readonly good: () => unknown;
}

/** A check of ours: the message is `<path>: <prop>: <value> <fragment>...`. */
function ours(rule: string, prop: string, fragment: string, bad: () => unknown, good: () => unknown, path = 'Stack/Publisher'): Row {
  return { rule, prop, message: new RegExp(`^${escapeRegExp(`${path}: ${prop}: `)}[^\\n]*${escapeRegExp(fragment)}[^\\n]*$`), bad, good };
}
const prop = (rule: string, name: string, fragment: string, bad: Partial<GitHubEcrPublisherProps>, good: Partial<GitHubEcrPublisherProps>) =>
  ours(rule, name, fragment, publish(bad), publish(good));
/** A check aws-cdk-lib makes: its own message. */
const cdk = (rule: string, message: string, bad: Partial<GitHubEcrPublisherProps>, good: Partial<GitHubEcrPublisherProps>): Row =>
  ({ rule, message: new RegExp(escapeRegExp(message)), bad: publish(bad), good: publish(good) });

const OURS: Row[] = [
  prop('repo: GitHub owner/name', 'repo', 'contains a wildcard', { repo: 'octo-org/*' }, { repo: 'octo-org/xy' }),
  prop('branches: git ref names', 'branches', 'contains ":"', { branches: ['a:b'] }, { branches: ['a-b'] }),
  prop('tags: git ref names', 'tags', 'includes the "refs/tags/" prefix', { tags: ['refs/tags/v*'] }, { tags: ['v*'] }),
  prop('tags: at most 5 release tag patterns for the default mutability', 'tags', 'give 6 release tag patterns',
    // No "b*": it would match the build cache's tag.
    { tags: ['a*', 'c*', 'd*', 'e*', 'f*', 'g*'] }, { tags: ['a*', 'c*', 'd*', 'e*', 'f*'] }),
  prop('environments: literal GitHub Environment names', 'environments', 'contains a wildcard', { environments: ['prod*'] }, { environments: ['prod'] }),
  prop('environments: no ":" (a look-alike "prod%3Aeu" would share the subject)', 'environments', 'contains ":"', { environments: ['prod:eu'] }, { environments: ['prod-eu'] }),
  prop('environments: characters an IAM policy can hold', 'environments', 'contains "生" (U+751F)', { environments: ['生产'] }, { environments: ['prod'] }),
  prop('branches: literals, not deploy-time values', 'branches', 'is only known at deploy time', { branches: [Lazy.string({ produce: () => '*' })] }, { branches: ['*'] }),
  prop('workflowFile: a file name in .github/workflows', 'workflowFile', 'is not a workflow file name', { workflowFile: 'ci/publish.yml' }, { workflowFile: 'publish.yml' }),
  prop('jobWorkflowRefs: need claim conditions', 'jobWorkflowRefs', 'need the job_workflow_ref claim, which the trust policy cannot use here',
    { jobWorkflowRefs: [`${WF}@refs/heads/main`], claimConditions: false }, { jobWorkflowRefs: [`${WF}@refs/heads/main`] }),
  prop('allowPullRequests: the trust scope is not empty', 'allowPullRequests', 'leaves the trust scope empty', { allowPullRequests: false }, { allowPullRequests: true }),
  prop('rolePath: no GitHub expression (written into role-to-assume)', 'rolePath', 'contains a GitHub expression', { rolePath: '/${{github.ref}}/' }, { rolePath: '/github/' }),
  prop('ownerId: a positive integer', 'ownerId', 'is not a positive integer', { ownerId: 0, repoId: 456 }, { ownerId: 1, repoId: 456 }),
  prop('repoId: given with ownerId', 'repoId', 'is set without ownerId', { repoId: 456 }, { ownerId: 123, repoId: 456 }),
  prop('ownerId: not with GitHub Enterprise Server', 'ownerId', 'cannot be used with the GitHub Enterprise Server issuer',
    { ownerId: 123, repoId: 456, issuer: GHES }, { issuer: GHES }),
  prop('jobWorkflowRefs: reusable-workflow references', 'jobWorkflowRefs', 'has ref "main"', { jobWorkflowRefs: [`${WF}@main`] }, { jobWorkflowRefs: [`${WF}@refs/heads/main`] }),
  prop('trustPolicySizeQuota: 2,048 to 4,096', 'trustPolicySizeQuota', 'is outside 2,048 to 4,096', { trustPolicySizeQuota: 2047 }, { trustPolicySizeQuota: 2048 }),
  prop('trustPolicySizeQuota: the trust policy fits it', 'trustPolicySizeQuota', 'is smaller than the role\'s trust policy, 2121 non-whitespace characters',
    { branches: FOURTEEN_BRANCHES }, { branches: FOURTEEN_BRANCHES, trustPolicySizeQuota: 2121 }),
  prop('maxImageCount: 1 to 20,000', 'maxImageCount', 'is not a whole number from 1 to 20,000', { maxImageCount: 0 }, { maxImageCount: 1 }),
  prop('untaggedImageExpiry: whole days', 'untaggedImageExpiry', 'is not a whole number of days', { untaggedImageExpiry: Duration.hours(36) }, { untaggedImageExpiry: Duration.hours(48) }),
  prop('lifecycleRules: what ECR rejects at deploy time', 'lifecycleRules[0].maxImageCount', 'is not a positive integer', { lifecycleRules: [keep(0)] }, { lifecycleRules: [keep(1)] }),
  prop('lifecycleRules: not combined with maxImageCount', 'lifecycleRules', 'are combined with maxImageCount or untaggedImageExpiry',
    { lifecycleRules: [keep(5)], maxImageCount: 5 }, { lifecycleRules: [keep(5)] }),
  prop('lifecycleRules: not combined with untaggedImageExpiry', 'lifecycleRules', 'are combined with maxImageCount or untaggedImageExpiry',
    { lifecycleRules: [keep(5)], untaggedImageExpiry: Duration.days(1) }, { untaggedImageExpiry: Duration.days(1) }),
  prop('roleDescription: characters IAM accepts', 'roleDescription', 'which IAM does not allow', { roleDescription: 'pushes \u20ac images' }, { roleDescription: 'pushes \u00e9 images' }),
  prop('encryption: not KMS_DSSE', 'encryption', 'is not supported', { encryption: ecr.RepositoryEncryption.KMS_DSSE }, { encryption: ecr.RepositoryEncryption.KMS }),
  prop('repositoryName: the default derived from repo is a valid ECR name', 'repositoryName', '(the default, derived from repo "octo-org/my..web")',
    { repo: 'octo-org/my..web' }, { repo: 'octo-org/my..web', repositoryName: 'my-web' }),
  ours('repositoryName: unique per account and region', 'repositoryName', 'is also the ECR repository of A/Publisher',
    () => sameName('us-east-1'), () => sameName('us-west-2'), 'B/Publisher'),
  ours('providerSource: lookupOrCreate() needs a concrete env', 'providerSource', 'cannot look up the GitHub OIDC provider from stack "Stack"',
    () => newPublisher({}, { env: null }), () => newPublisher({ providerSource: OidcProviderSource.create() }, { env: null })),
  ours('providerSource: fromProvider() is for the publisher\'s issuer', 'providerSource', 'is a provider for another issuer',
    () => withProvider('token.actions.githubusercontent.com'), () => withProvider('token.actions.githubusercontent.com/octocorp')),
  ours('providerSource: create() with one removal policy per stack', 'providerSource', 'conflicts with another publisher in stack "Stack"',
    () => twoCreators(RemovalPolicy.DESTROY), () => twoCreators(RemovalPolicy.RETAIN), 'Stack/Second'),
  ours('providerSource: create() in one stack per account', 'providerSource', 'which share account 111111111111',
    () => creatorsIn(ACCOUNT), () => creatorsIn(OTHER_ACCOUNT), 'Prod/Publisher'),
  ours('renderWorkflow: not for a publisher that trusts only reusable workflows', 'renderWorkflow', 'cannot satisfy jobWorkflowRefs with pinWorkflowFile: false',
    () => newPublisher({ jobWorkflowRefs: [`${WF}@refs/heads/main`], pinWorkflowFile: false }).publisher.renderWorkflow(),
    () => newPublisher({ jobWorkflowRefs: [`${WF}@refs/heads/main`] }).publisher.renderWorkflow()),
  ours('workflowFile: unique among the publishers of one GitHub repository', 'workflowFile', 'is also the workflow file of A/Publisher for octo-org/chatgpt-web',
    () => twoOfOneRepository('chatgpt-web'), () => twoOfOneRepository('chatgpt-web-b'), 'B/Publisher'),
  ours('providerSource: fromProvider() is in the role\'s account', 'providerSource', 'is a provider of account 222222222222, but the role is in account 111111111111',
    () => providerOfAccount(OTHER_ACCOUNT), () => providerOfAccount(ACCOUNT)),
  ours('renderWorkflow options: each option is checked', 'jobId', 'is not a valid job ID',
    () => newPublisher().publisher.renderWorkflow({ jobId: '1job' }), () => newPublisher().publisher.renderWorkflow({ jobId: 'job1' })),
  ours('writeWorkflow: the root of the git checkout it is in', 'writeWorkflow', 'is inside the git repository',
    () => writeInCheckout('infra'), () => writeInCheckout('.')),
  ours('explainClaims: claim values are strings', 'explainClaims claims.aud', 'is not a string',
    () => newPublisher().publisher.explainClaims({ aud: ['sts.amazonaws.com'] } as any), () => newPublisher().publisher.explainClaims({ aud: 'sts.amazonaws.com' })),
];

const LEFT_TO_AWS_CDK_LIB: Row[] = [
  cdk('roleName', 'Invalid roleName.', { roleName: 'r'.repeat(65) }, { roleName: 'r'.repeat(64) }),
  cdk('rolePath', 'Role path must be either a slash or valid characters', { rolePath: 'github' }, { rolePath: '/github/' }),
  cdk('maxSessionDuration', 'maxSessionDuration is set to 3540, but must be >= 3600sec (1hr) and <= 43200sec (12hrs)',
    { maxSessionDuration: Duration.minutes(59) }, { maxSessionDuration: Duration.minutes(60) }),
  cdk('roleDescription length', 'Role description must be no longer than 1000 characters.', { roleDescription: 'd'.repeat(1001) }, { roleDescription: 'd'.repeat(1000) }),
  cdk('emptyOnDelete needs DESTROY', 'Cannot use \'emptyOnDelete\' property on a repository without setting removal policy to \'DESTROY\'.',
    { emptyOnDelete: true }, { emptyOnDelete: true, removalPolicy: RemovalPolicy.DESTROY }),
  {
    rule: 'encryption must be KMS with encryptionKey',
    message: /^encryptionKey is specified, so 'encryption' must be set to KMS \(value: AES256\)$/,
    bad: () => withKey(ecr.RepositoryEncryption.AES_256),
    good: () => withKey(ecr.RepositoryEncryption.KMS),
  },
  cdk('exclusion filters only with a *_WITH_EXCLUSION mutability',
    'imageTagMutability must be \'IMMUTABLE_WITH_EXCLUSION\' or \'MUTABLE_WITH_EXCLUSION\' when imageTagMutabilityExclusionFilters is provided, got: IMMUTABLE.',
    { imageTagMutability: ecr.TagMutability.IMMUTABLE, imageTagMutabilityExclusionFilters: [wildcard('latest')] },
    { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: [wildcard('latest')] }),
  cdk('1 to 5 exclusion filters', 'imageTagMutabilityExclusionFilters must contain between 1 and 5 filters, got 6.',
    { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e', 'f'].map(wildcard) },
    // Five filters, one of them the build cache's tag (the publisher would add it as a sixth otherwise).
    { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'buildcache'].map(wildcard) }),
  cdk('a *_WITH_EXCLUSION mutability needs filters', 'imageTagMutabilityExclusionFilters must be specified when imageTagMutability is \'MUTABLE_WITH_EXCLUSION\'.',
    { imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION }, { imageTagMutability: ecr.TagMutability.MUTABLE }),
  cdk('an explicit repositoryName', 'Invalid ECR repository name (value: ChatGPT-web)', { repositoryName: 'ChatGPT-web' }, { repositoryName: 'chatgpt-web' }),
  cdk('lifecycle rule: exactly one of count and age', 'Life cycle rule must contain exactly one of \'maxImageAge\' and \'maxImageCount\'',
    { lifecycleRules: [{ maxImageCount: 5, maxImageAge: Duration.days(5) }] }, { lifecycleRules: [{ maxImageAge: Duration.days(5) }] }),
  cdk('lifecycle rule: TAGGED lists tags', 'TagStatus.Tagged requires the specification of a tagPrefixList or a tagPatternList',
    { lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, maxImageCount: 5 }] },
    { lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: ['v'], maxImageCount: 5 }] }),
  cdk('lifecycle rule: only TAGGED lists tags', 'tagPrefixList and tagPatternList can only be specified when tagStatus is set to Tagged',
    { lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, tagPrefixList: ['v'], maxImageCount: 5 }] },
    { lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 5 }] }),
  cdk('lifecycle rule: one of the tag lists', 'Both tagPrefixList and tagPatternList cannot be specified together in a rule',
    { lifecycleRules: [{ tagPrefixList: ['v'], tagPatternList: ['v*'], maxImageCount: 5 }] }, { lifecycleRules: [{ tagPatternList: ['v*'], maxImageCount: 5 }] }),
  cdk('lifecycle rule: at most four wildcards per pattern', 'A tag pattern cannot contain more than four wildcard characters (*), pattern: *a*b*c*d*, counts: 5',
    { lifecycleRules: [{ tagPatternList: ['*a*b*c*d*'], maxImageCount: 5 }] }, { lifecycleRules: [{ tagPatternList: ['*a*b*c*d'], maxImageCount: 5 }] }),
  cdk('lifecycle rules: one TagStatus.ANY rule', 'Life cycle can only have one TagStatus.Any rule',
    { lifecycleRules: [keep(5), keep(9)] }, { lifecycleRules: [{ tagPrefixList: ['v'], maxImageCount: 5 }, keep(9)] }),
];

/** Two publishers of other GitHub repositories with the same ECR name, the second in `secondRegion` of the same account. */
function sameName(secondRegion: string): void {
  const app = new App();
  addPublisher(newStack({ app, id: 'A' }), { repo: 'octo-org/app', providerSource: OidcProviderSource.create() });
  addPublisher(newStack({ app, id: 'B', env: { account: ACCOUNT, region: secondRegion } }), { repo: 'other-org/app', providerSource: OidcProviderSource.existing() });
}

/** A github.com publisher trusting a provider imported by ARN (so its issuer is known at synth time). */
function withProvider(hostPath: string): void {
  const stack = newStack();
  const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', `arn:aws:iam::${ACCOUNT}:oidc-provider/${hostPath}`);
  addPublisher(stack, { issuer: GitHubIssuer.enterpriseSlug('octocorp'), providerSource: OidcProviderSource.fromProvider(provider) });
}

/** Two publishers of one stack that create() the provider, the second with `removalPolicy`. */
function twoCreators(removalPolicy: RemovalPolicy): void {
  const stack = newStack();
  addPublisher(stack, { providerSource: OidcProviderSource.create() }, 'First');
  addPublisher(stack, { repositoryName: 'second', providerSource: OidcProviderSource.create({ removalPolicy }) }, 'Second');
}

/** Stacks Dev and Prod that both create() the provider, Prod in `prodAccount`; the app decides at synth. */
function creatorsIn(prodAccount: string): void {
  const app = new App();
  addPublisher(newStack({ app, id: 'Dev' }), { providerSource: OidcProviderSource.create() });
  addPublisher(newStack({ app, id: 'Prod', env: { account: prodAccount, region: 'us-west-2' } }), { providerSource: OidcProviderSource.create(), workflowFile: 'publish-prod.yml' });
  app.synth();
}

/** Two publishers of REPO in two accounts (no ECR name clash), the second with the ECR repository `secondName`. */
function twoOfOneRepository(secondName: string): void {
  const app = new App();
  addPublisher(newStack({ app, id: 'A' }), { providerSource: OidcProviderSource.existing() });
  addPublisher(newStack({ app, id: 'B', env: { account: OTHER_ACCOUNT, region: 'us-east-1' } }), { repositoryName: secondName, providerSource: OidcProviderSource.existing() });
}

/** writeWorkflow() into `folder` of a fresh git checkout (removed afterwards). */
function writeInCheckout(folder: string): void {
  const dir = new TempDir();
  try {
    fs.mkdirSync(join(dir.path, '.git'));
    newPublisher().publisher.writeWorkflow(join(dir.path, folder));
  } finally {
    dir.cleanUp();
  }
}

/** A publisher trusting a provider imported by the ARN of `account`. */
function providerOfAccount(account: string): void {
  const stack = newStack();
  const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`);
  addPublisher(stack, { providerSource: OidcProviderSource.fromProvider(provider) });
}

function withKey(encryption: ecr.RepositoryEncryption): void {
  const stack = newStack();
  addPublisher(stack, { encryption, encryptionKey: new kms.Key(stack, 'Key') });
}

describe.each([...OURS, ...LEFT_TO_AWS_CDK_LIB].map((r) => [r.rule, r] as const))('%s', (_rule, r) => {
  test('GIVEN the invalid value THEN it throws, naming the path and the prop', () => {
    expect(errorOf(r.bad)).toMatch(r.message);
  });

  test('GIVEN its nearest valid neighbour THEN it does not throw', () => {
    expect(errorOf(r.good)).toBeUndefined();
  });
});

test('every prop the construct checks has a row', () => {
  expect(new Set(OURS.map((r) => r.prop?.replace(/\[.*$/, '')))).toEqual(new Set([
    'repo', 'branches', 'tags', 'environments', 'allowPullRequests', 'ownerId', 'repoId', 'jobWorkflowRefs', 'trustPolicySizeQuota',
    'maxImageCount', 'untaggedImageExpiry', 'lifecycleRules', 'roleDescription', 'encryption', 'repositoryName', 'providerSource',
    'renderWorkflow', 'jobId', 'workflowFile', 'writeWorkflow', 'explainClaims claims.aud', 'rolePath',
  ]));
});

test('several invalid props are reported together, one line each, each prefixed with the path', () => {
  expect(errorOf(() => newPublisher({ repo: 'octo-org/chat:gpt', branches: ['a:b'], maxImageCount: 0, roleDescription: '\u20ac' }))).toBe([
    'Stack/Publisher: repo: "octo-org/chat:gpt" contains ":", which GitHub names never contain. Give one GitHub repository as "owner/name", e.g. "octo-org/chatgpt-web"',
    'Stack/Publisher: branches: "a:b" contains ":", which git does not allow in ref names. Each branch is a git branch name or a pattern where "*" matches any characters (e.g. "main", "release/*")',
    'Stack/Publisher: maxImageCount: 0 is not a whole number from 1 to 20,000. ECR lifecycle counts are positive integers (0 is rejected by ECR) and a repository holds at most 20,000 images',
    'Stack/Publisher: roleDescription: "\u20ac" contains "\u20ac", which IAM does not allow. IAM role descriptions are printable Latin-1 characters',
  ].join('\n'));
});

test('GitHubIssuer factories have no construct: their messages name the factory', () => {
  expect(errorOf(() => GitHubIssuer.enterpriseSlug('octo corp'))).toMatch(/^GitHubIssuer\.enterpriseSlug: "octo corp" is not an enterprise slug/);
});
