// Every input rule of the foundation and identity issues, one row each: the bad
// input must throw at construction (synth) time with a message that names the
// prop and says what is wrong, and a passing neighbour (the smallest change that
// makes it valid) must not throw, so each row proves the rule's edge rather than
// some unrelated failure.
import { App, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { GitHubEcrPublisher, GitHubEcrPublisherProps, GitHubIssuer, OidcProviderSource } from '../src';

const ENV = { account: '111111111111', region: 'us-east-1' };
const REPO = 'octo-org/chatgpt-web';

/** Builds one publisher in a fresh app; `stack` customises the stack. */
function publish(props: Partial<GitHubEcrPublisherProps>, stackProps: { envAgnostic?: boolean } = {}): void {
  const stack = new Stack(new App(), 'Stack', stackProps.envAgnostic ? {} : { env: ENV });
  new GitHubEcrPublisher(stack, 'Publisher', { repo: REPO, ...props });
}

const wildcard = (f: string) => ecr.ImageTagMutabilityExclusionFilter.wildcard(f);
const keep = (n: number): ecr.LifecycleRule => ({ maxImageCount: n });
const untagged = (n: number): ecr.LifecycleRule => ({ tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: n });
const WF = 'octo-org/automation/.github/workflows/build.yml';

interface Row {
  /** The rule, as the issue states it. */
  readonly rule: string;
  /** The prop (or factory) the message must name first. */
  readonly prop: string;
  /** What the message must say. */
  readonly fragment: string;
  readonly bad: () => void;
  readonly good: () => void;
}

const row = (rule: string, prop: string, fragment: string, bad: () => void, good: () => void): Row => ({ rule, prop, fragment, bad, good });
/** A row whose bad and good inputs differ only in props. */
const props = (rule: string, prop: string, fragment: string, bad: Partial<GitHubEcrPublisherProps>, good: Partial<GitHubEcrPublisherProps>): Row =>
  row(rule, prop, fragment, () => publish(bad), () => publish(good));

const ROWS: Row[] = [
  // ---- repo: GitHub owner/name syntax (security.md §1.8) ----
  props('repo is not empty', 'repo', 'is empty', { repo: '' }, { repo: REPO }),
  props('repo has no wildcard', 'repo', 'contains a wildcard', { repo: 'octo-org/*' }, { repo: 'octo-org/xy' }),
  props('repo has no wildcard in the owner', 'repo', 'contains a wildcard', { repo: 'octo-*/chatgpt-web' }, { repo: 'octo-x/chatgpt-web' }),
  props('repo has no "@" (IDs go in ownerId/repoId)', 'repo', 'contains "@"', { repo: 'octo-org@123/chatgpt-web@456' }, { repo: REPO, ownerId: 123, repoId: 456 }),
  props('repo has no ":"', 'repo', 'contains ":"', { repo: 'octo-org/chatgpt:web' }, { repo: 'octo-org/chatgpt.web' }),
  props('repo is not a URL', 'repo', 'looks like a URL', { repo: 'github.com/octo-org' }, { repo: 'github-com/octo-org' }),
  props('repo is owner/name', 'repo', 'has 0 "/" separators', { repo: 'chatgpt-web' }, { repo: 'octo-org/chatgpt-web' }),
  props('repo has exactly one "/"', 'repo', 'has 2 "/" separators', { repo: 'octo-org/chatgpt/web' }, { repo: 'octo-org/chatgpt-web' }),
  props('owner does not start with a hyphen', 'repo', 'has an invalid owner', { repo: '-octo/chatgpt-web' }, { repo: 'o-cto/chatgpt-web' }),
  props('owner has no double hyphen', 'repo', 'has an invalid owner', { repo: 'octo--org/chatgpt-web' }, { repo: 'octo-o-rg/chatgpt-web' }),
  props('owner is at most 39 characters', 'repo', 'has an invalid owner', { repo: `${'a'.repeat(40)}/x1` }, { repo: `${'a'.repeat(39)}/x1` }),
  props('name uses only letters, digits, ".", "-", "_"', 'repo', 'has an invalid repository name', { repo: 'octo-org/chat gpt' }, { repo: 'octo-org/chat_gpt' }),
  props('name is at most 100 characters', 'repo', 'has an invalid repository name', { repo: `octo-org/${'a'.repeat(101)}`, repositoryName: 'x1' }, { repo: `octo-org/${'a'.repeat(100)}`, repositoryName: 'x1' }),
  props('name has no ".git" suffix', 'repo', 'ends with ".git"', { repo: 'octo-org/chatgpt-web.git' }, { repo: 'octo-org/chatgpt-web.gib' }),
  props('name has no ".wiki" suffix', 'repo', 'ends with ".wiki"', { repo: 'octo-org/chatgpt-web.wiki' }, { repo: 'octo-org/chatgpt-web.wik' }),

  // ---- branches / tags: git ref names, "*" only as a pattern ----
  props('branches is not empty', 'branches', 'is an empty list', { branches: [] }, { branches: ['main'] }),
  props('branch without refs/heads/', 'branches', 'includes the "refs/heads/" prefix', { branches: ['refs/heads/main'] }, { branches: ['heads/main'] }),
  props('branch has no space', 'branches', 'contains a space', { branches: ['my branch'] }, { branches: ['my-branch'] }),
  props('branch has no ":"', 'branches', 'contains ":"', { branches: ['a:b'] }, { branches: ['a-b'] }),
  props('branch has no "?"', 'branches', 'contains "?"', { branches: ['releas?'] }, { branches: ['releas*'] }),
  props('branch has no "["', 'branches', 'contains "["', { branches: ['release[1]'] }, { branches: ['release-1'] }),
  props('branch has no "~"', 'branches', 'contains "~"', { branches: ['main~1'] }, { branches: ['main-1'] }),
  props('branch has no policy variable', 'branches', 'contains "${"', { branches: ['${aws.x}'] }, { branches: ['$aws.x'] }),
  props('branch is not a negation', 'branches', 'starts with "!"', { branches: ['!main'] }, { branches: ['main!'] }),
  props('branch has no ".."', 'branches', 'contains ".."', { branches: ['a..b'] }, { branches: ['a.b'] }),
  props('branch has no "@{"', 'branches', 'contains "@{"', { branches: ['a@{b'] }, { branches: ['a@b'] }),
  props('branch has no empty component', 'branches', 'has an empty path component', { branches: ['release//1'] }, { branches: ['release/1'] }),
  props('branch does not end with "."', 'branches', 'ends with "."', { branches: ['v1.'] }, { branches: ['v1.0'] }),
  props('branch component does not start with "."', 'branches', 'starts with "."', { branches: ['release/.hidden'] }, { branches: ['release/hidden'] }),
  props('branch component does not end with ".lock"', 'branches', 'ends with ".lock"', { branches: ['main.lock'] }, { branches: ['main.lok'] }),
  props('branch listed once', 'branches', 'is listed twice', { branches: ['main', 'main'] }, { branches: ['main', 'develop'] }),
  props('tags is not empty', 'tags', 'is an empty list', { tags: [] }, { tags: ['v*'] }),
  props('tag without refs/tags/', 'tags', 'includes the "refs/tags/" prefix', { tags: ['refs/tags/v*'] }, { tags: ['v*'] }),
  props('tag has no "^"', 'tags', 'contains "^"', { tags: ['v1^'] }, { tags: ['v1'] }),
  props('at most 5 release-tag patterns for the default mutability', 'tags', 'more than the 5 immutable-tag filters', { tags: ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'] }, { tags: ['a*', 'b*', 'c*', 'd*', 'e*'] }),
  props('trust scope is not empty', 'allowPullRequests', 'leaves the trust scope empty', { allowPullRequests: false }, { allowPullRequests: true }),

  // ---- environments: literal GitHub Environment names ----
  props('environments is not empty', 'environments', 'is an empty list', { environments: [] }, { environments: ['production'] }),
  props('environment is not empty', 'environments', 'is empty', { environments: [''] }, { environments: ['p'] }),
  props('environment has no wildcard', 'environments', 'contains a wildcard', { environments: ['prod*'] }, { environments: ['prod'] }),
  props('environment is at most 255 characters', 'environments', 'is 256 characters long', { environments: ['e'.repeat(256)] }, { environments: ['e'.repeat(255)] }),
  props('environment has no policy variable', 'environments', 'contains "${"', { environments: ['${x}'] }, { environments: ['$x'] }),
  props('environment has no leading/trailing space', 'environments', 'leading/trailing spaces', { environments: [' prod'] }, { environments: ['my prod'] }),
  props('environment listed once (case-insensitive)', 'environments', 'is listed twice', { environments: ['Prod', 'prod'] }, { environments: ['Prod', 'prod2'] }),

  // ---- ownerId / repoId ----
  props('ownerId is a positive integer', 'ownerId', 'is not a positive integer', { ownerId: 0, repoId: 456 }, { ownerId: 1, repoId: 456 }),
  props('repoId is an integer', 'repoId', 'is not a positive integer', { ownerId: 123, repoId: 4.5 }, { ownerId: 123, repoId: 4 }),
  props('ownerId needs repoId', 'ownerId', 'is set without repoId', { ownerId: 123 }, { ownerId: 123, repoId: 456 }),
  props('repoId needs ownerId', 'repoId', 'is set without ownerId', { repoId: 456 }, { ownerId: 123, repoId: 456 }),
  props('no IDs on GitHub Enterprise Server', 'ownerId', 'cannot be used with the GitHub Enterprise Server issuer',
    { ownerId: 123, repoId: 456, issuer: GitHubIssuer.enterpriseServer('github.example.com') }, { issuer: GitHubIssuer.enterpriseServer('github.example.com') }),

  // ---- issuers ----
  row('enterprise slug syntax', 'GitHubIssuer.enterpriseSlug', 'is not an enterprise slug', () => GitHubIssuer.enterpriseSlug('octo corp'), () => GitHubIssuer.enterpriseSlug('octo-corp')),
  row('GHES host without scheme', 'GitHubIssuer.enterpriseServer', 'contains a scheme, port or path', () => GitHubIssuer.enterpriseServer('https://github.example.com'), () => GitHubIssuer.enterpriseServer('github.example.com')),
  row('GHES host without port', 'GitHubIssuer.enterpriseServer', 'contains a scheme, port or path', () => GitHubIssuer.enterpriseServer('github.example.com:8443'), () => GitHubIssuer.enterpriseServer('github8443.example.com')),
  row('GHES host is a fully qualified name', 'GitHubIssuer.enterpriseServer', 'is not a fully qualified DNS name', () => GitHubIssuer.enterpriseServer('github'), () => GitHubIssuer.enterpriseServer('github.corp')),
  row('GHES host is not GitHub.com', 'GitHubIssuer.enterpriseServer', 'is GitHub.com', () => GitHubIssuer.enterpriseServer('github.com'), () => GitHubIssuer.enterpriseServer('github.co')),
  row('GHE.com subdomain is one DNS label', 'GitHubIssuer.dataResidency', 'is not a ghe.com subdomain', () => GitHubIssuer.dataResidency('octo.corp'), () => GitHubIssuer.dataResidency('octo-corp')),

  // ---- jobWorkflowRefs ----
  props('jobWorkflowRefs is not empty', 'jobWorkflowRefs', 'is an empty list', { jobWorkflowRefs: [] }, { jobWorkflowRefs: [`${WF}@refs/heads/main`] }),
  props('job workflow ref format', 'jobWorkflowRefs', 'is not a reusable-workflow reference', { jobWorkflowRefs: ['octo-org/automation/build.yml@refs/heads/main'] }, { jobWorkflowRefs: [`${WF}@refs/heads/main`] }),
  props('job workflow ref has no wildcard repository', 'jobWorkflowRefs', 'is not a reusable-workflow reference', { jobWorkflowRefs: ['octo-org/*/.github/workflows/build.yml@refs/heads/main'] }, { jobWorkflowRefs: [`${WF}@refs/heads/*`] }),
  props('job workflow ref is a full ref or SHA', 'jobWorkflowRefs', 'has ref "main"', { jobWorkflowRefs: [`${WF}@main`] }, { jobWorkflowRefs: [`${WF}@${'a'.repeat(40)}`] }),
  props('job workflow ref has no "?"', 'jobWorkflowRefs', 'has an invalid ref', { jobWorkflowRefs: [`${WF}@refs/heads/ma?n`] }, { jobWorkflowRefs: [`${WF}@refs/heads/ma*n`] }),
  props('job workflow ref owner is a GitHub owner', 'jobWorkflowRefs', 'has an invalid owner', { jobWorkflowRefs: ['-octo/automation/.github/workflows/build.yml@refs/heads/main'] }, { jobWorkflowRefs: ['octo/automation/.github/workflows/build.yml@refs/heads/main'] }),

  // ---- trust policy size quota ----
  props('trustPolicySizeQuota at least 2,048', 'trustPolicySizeQuota', 'is outside 2,048 to 4,096', { trustPolicySizeQuota: 2047 }, { trustPolicySizeQuota: 2048 }),
  props('trustPolicySizeQuota at most 4,096', 'trustPolicySizeQuota', 'is outside 2,048 to 4,096', { trustPolicySizeQuota: 4097 }, { trustPolicySizeQuota: 4096 }),
  props('trustPolicySizeQuota is an integer', 'trustPolicySizeQuota', 'is outside 2,048 to 4,096', { trustPolicySizeQuota: 3000.5 }, { trustPolicySizeQuota: 3000 }),

  // ---- role ----
  props('roleName at most 64 characters', 'roleName', 'is 65 characters long', { roleName: 'r'.repeat(65) }, { roleName: 'r'.repeat(64) }),
  props('roleName characters', 'roleName', 'contains characters IAM does not allow', { roleName: 'chatgpt web' }, { roleName: 'chatgpt+web' }),
  props('rolePath starts and ends with "/"', 'rolePath', 'is not a valid IAM path', { rolePath: 'github' }, { rolePath: '/github/' }),
  props('rolePath has no empty segment', 'rolePath', 'is not a valid IAM path', { rolePath: '/github//ci/' }, { rolePath: '/github/ci/' }),
  props('rolePath at most 512 characters', 'rolePath', 'is not a valid IAM path', { rolePath: `/${'p'.repeat(511)}/` }, { rolePath: `/${'p'.repeat(510)}/` }),
  props('maxSessionDuration at least 1 hour', 'maxSessionDuration', 'is outside 1 to 12 hours', { maxSessionDuration: Duration.minutes(59) }, { maxSessionDuration: Duration.minutes(60) }),
  props('maxSessionDuration at most 12 hours', 'maxSessionDuration', 'is outside 1 to 12 hours', { maxSessionDuration: Duration.hours(13) }, { maxSessionDuration: Duration.hours(12) }),
  props('maxSessionDuration in whole seconds', 'maxSessionDuration', 'is outside 1 to 12 hours', { maxSessionDuration: Duration.millis(3600500) }, { maxSessionDuration: Duration.millis(3601000) }),
  props('roleDescription at most 1,000 characters', 'roleDescription', 'is 1001 characters long', { roleDescription: 'd'.repeat(1001) }, { roleDescription: 'd'.repeat(1000) }),
  props('roleDescription characters', 'roleDescription', 'contains characters IAM does not allow', { roleDescription: 'pushes \u20ac images' }, { roleDescription: 'pushes \u00e9 images' }),

  // ---- ECR repository ----
  props('repositoryName lowercase', 'repositoryName', 'is not a valid ECR repository name', { repositoryName: 'ChatGPT-web' }, { repositoryName: 'chatgpt-web' }),
  props('repositoryName at least 2 characters', 'repositoryName', 'is 1 characters long', { repositoryName: 'c' }, { repositoryName: 'cw' }),
  props('repositoryName at most 256 characters', 'repositoryName', 'is 257 characters long', { repositoryName: 'c'.repeat(257) }, { repositoryName: 'c'.repeat(256) }),
  props('repositoryName no doubled separator', 'repositoryName', 'is not a valid ECR repository name', { repositoryName: 'team//web' }, { repositoryName: 'team/web' }),
  props('default repositoryName derived from repo must be valid', 'repositoryName', 'derived from repo', { repo: 'octo-org/my..web' }, { repo: 'octo-org/my..web', repositoryName: 'my-web' }),
  props('maxImageCount at least 1', 'maxImageCount', 'is not a whole number from 1 to 20,000', { maxImageCount: 0 }, { maxImageCount: 1 }),
  props('maxImageCount at most 20,000', 'maxImageCount', 'is not a whole number from 1 to 20,000', { maxImageCount: 20001 }, { maxImageCount: 20000 }),
  props('maxImageCount whole', 'maxImageCount', 'is not a whole number from 1 to 20,000', { maxImageCount: 2.5 }, { maxImageCount: 2 }),
  props('untaggedImageExpiry whole days', 'untaggedImageExpiry', 'is not a whole number of days', { untaggedImageExpiry: Duration.hours(36) }, { untaggedImageExpiry: Duration.hours(48) }),
  props('untaggedImageExpiry at least 1 day', 'untaggedImageExpiry', 'is not a whole number of days', { untaggedImageExpiry: Duration.days(0) }, { untaggedImageExpiry: Duration.days(1) }),
  props('lifecycleRules not empty', 'lifecycleRules', 'is an empty list', { lifecycleRules: [] }, { lifecycleRules: [keep(5)] }),
  props('lifecycleRules not combined with maxImageCount', 'lifecycleRules', 'are combined with maxImageCount', { lifecycleRules: [keep(5)], maxImageCount: 5 }, { lifecycleRules: [keep(5)] }),
  props('lifecycleRules not combined with untaggedImageExpiry', 'lifecycleRules', 'are combined with maxImageCount or untaggedImageExpiry', { lifecycleRules: [keep(5)], untaggedImageExpiry: Duration.days(1) }, { untaggedImageExpiry: Duration.days(1) }),
  props('rule has exactly one of count and age', 'lifecycleRules[0]', 'must set exactly one of maxImageCount and maxImageAge', { lifecycleRules: [{ maxImageCount: 5, maxImageAge: Duration.days(5) }] }, { lifecycleRules: [{ maxImageAge: Duration.days(5) }] }),
  props('rule count positive', 'lifecycleRules[0].maxImageCount', 'is not a positive integer', { lifecycleRules: [keep(0)] }, { lifecycleRules: [keep(1)] }),
  props('rule age whole days', 'lifecycleRules[0].maxImageAge', 'is not a whole number of days', { lifecycleRules: [{ maxImageAge: Duration.hours(12) }] }, { lifecycleRules: [{ maxImageAge: Duration.hours(24) }] }),
  props('rule priorities unique', 'lifecycleRules[1].rulePriority', 'is used by another rule',
    { lifecycleRules: [{ rulePriority: 1, tagPrefixList: ['v'], maxImageCount: 5 }, { rulePriority: 1, maxImageCount: 9 }] },
    { lifecycleRules: [{ rulePriority: 1, tagPrefixList: ['v'], maxImageCount: 5 }, { rulePriority: 2, maxImageCount: 9 }] }),
  props('TAGGED rule lists tags', 'lifecycleRules[0]', 'selects tagged images without tagPrefixList or tagPatternList',
    { lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, maxImageCount: 5 }] }, { lifecycleRules: [{ tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: ['v'], maxImageCount: 5 }] }),
  props('UNTAGGED rule lists no tags', 'lifecycleRules[0]', 'lists tags but has tagStatus',
    { lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, tagPrefixList: ['v'], maxImageCount: 5 }] }, { lifecycleRules: [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 5 }] }),
  props('rule uses one of prefix and pattern lists', 'lifecycleRules[0]', 'sets both tagPrefixList and tagPatternList',
    { lifecycleRules: [{ tagPrefixList: ['v'], tagPatternList: ['v*'], maxImageCount: 5 }] }, { lifecycleRules: [{ tagPatternList: ['v*'], maxImageCount: 5 }] }),
  props('tag pattern at most four wildcards', 'lifecycleRules[0].tagPatternList', 'has more than four "*" wildcards',
    { lifecycleRules: [{ tagPatternList: ['*a*b*c*d*'], maxImageCount: 5 }] }, { lifecycleRules: [{ tagPatternList: ['*a*b*c*d'], maxImageCount: 5 }] }),
  props('tag prefixes unique across rules', 'lifecycleRules[1].tagPrefixList', 'is already selected by another rule',
    { lifecycleRules: [{ tagPrefixList: ['v'], maxImageCount: 5 }, { tagPrefixList: ['v'], maxImageAge: Duration.days(9) }] },
    { lifecycleRules: [{ tagPrefixList: ['v'], maxImageCount: 5 }, { tagPrefixList: ['w'], maxImageAge: Duration.days(9) }] }),
  props('one untagged rule', 'lifecycleRules[1]', 'is a second rule for untagged images',
    { lifecycleRules: [untagged(5), { tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(3) }] },
    { lifecycleRules: [untagged(5), { tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(3) }] }),
  props('one ANY rule', 'lifecycleRules[1]', 'is a second TagStatus.ANY rule',
    { lifecycleRules: [keep(5), keep(9)] }, { lifecycleRules: [{ tagPrefixList: ['v'], maxImageCount: 5 }, keep(9)] }),
  props('exclusion filters only with *_WITH_EXCLUSION', 'imageTagMutabilityExclusionFilters', 'are set while imageTagMutability is',
    { imageTagMutability: ecr.TagMutability.IMMUTABLE, imageTagMutabilityExclusionFilters: [wildcard('latest')] },
    { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: [wildcard('latest')] }),
  props('1 to 5 exclusion filters', 'imageTagMutabilityExclusionFilters', 'is out of range',
    { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e', 'f'].map(wildcard) },
    { imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e'].map(wildcard) }),
  props('*_WITH_EXCLUSION needs filters', 'imageTagMutability', 'needs exclusion filters',
    { imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION }, { imageTagMutability: ecr.TagMutability.MUTABLE }),
  row('encryptionKey needs KMS encryption', 'encryption', 'is not KMS although encryptionKey is set',
    () => withKey((key) => ({ encryption: ecr.RepositoryEncryption.AES_256, encryptionKey: key })),
    () => withKey((key) => ({ encryption: ecr.RepositoryEncryption.KMS, encryptionKey: key }))),
  props('KMS_DSSE is not supported', 'encryption', 'is not supported', { encryption: ecr.RepositoryEncryption.KMS_DSSE }, { encryption: ecr.RepositoryEncryption.KMS }),
  props('emptyOnDelete needs DESTROY', 'emptyOnDelete', 'needs removalPolicy DESTROY', { emptyOnDelete: true }, { emptyOnDelete: true, removalPolicy: RemovalPolicy.DESTROY }),

  // ---- OIDC provider source ----
  row('lookupOrCreate needs a concrete env', 'providerSource', 'cannot look up the GitHub OIDC provider from stack',
    () => publish({}, { envAgnostic: true }), () => publish({ providerSource: OidcProviderSource.create() }, { envAgnostic: true })),
  row('fromProvider must match the issuer', 'providerSource', 'is a provider for another issuer',
    () => withProvider('https://token.actions.githubusercontent.com', GitHubIssuer.enterpriseSlug('octocorp')),
    () => withProvider('https://token.actions.githubusercontent.com/octocorp', GitHubIssuer.enterpriseSlug('octocorp'))),
  row('create() in one stack per account', 'providerSource', 'EntityAlreadyExists', () => twoStacks('111111111111'), () => twoStacks('222222222222')),

  // ---- uniqueness and the generated workflow ----
  row('ECR repository names are unique per account and region', 'repositoryName', 'is also the ECR repository of',
    () => sameName('us-east-1'), () => sameName('us-west-2')),
  row('the generated workflow cannot satisfy jobWorkflowRefs', 'renderWorkflow', 'cannot satisfy jobWorkflowRefs',
    () => renderFor({ jobWorkflowRefs: [`${WF}@refs/heads/main`] }), () => renderFor({})),
];

function withKey(propsOf: (key: kms.IKey) => Partial<GitHubEcrPublisherProps>): void {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const key = new kms.Key(stack, 'Key');
  new GitHubEcrPublisher(stack, 'Publisher', { repo: REPO, ...propsOf(key) });
}

/** A provider imported by ARN (its issuer is then known at synth time). */
function withProvider(url: string, issuer: GitHubIssuer): void {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  const arn = `arn:aws:iam::${ENV.account}:oidc-provider/${url.replace('https://', '')}`;
  const provider = iam.OidcProviderNative.fromOidcProviderArn(stack, 'Provider', arn);
  new GitHubEcrPublisher(stack, 'Publisher', { repo: REPO, issuer, providerSource: OidcProviderSource.fromProvider(provider) });
}

/** Two stacks that both create() the provider: the second account is the same (bad) or another (good). */
/** Two publishers of other GitHub repositories but the same ECR name, the second in `secondRegion` of the same account. */
function sameName(secondRegion: string): void {
  const app = new App();
  const a = new Stack(app, 'A', { env: ENV });
  const b = new Stack(app, 'B', { env: { account: ENV.account, region: secondRegion } });
  new GitHubEcrPublisher(a, 'Publisher', { repo: 'octo-org/app', providerSource: OidcProviderSource.create() });
  new GitHubEcrPublisher(b, 'Publisher', { repo: 'other-org/app', providerSource: OidcProviderSource.existing() });
}

function renderFor(extra: Partial<GitHubEcrPublisherProps>): void {
  const stack = new Stack(new App(), 'Stack', { env: ENV });
  new GitHubEcrPublisher(stack, 'Publisher', { repo: REPO, ...extra }).renderWorkflow();
}

function twoStacks(secondAccount: string): void {
  const app = new App();
  const a = new Stack(app, 'Dev', { env: ENV });
  const b = new Stack(app, 'Prod', { env: { account: secondAccount, region: 'us-west-2' } });
  new GitHubEcrPublisher(a, 'Publisher', { repo: REPO, providerSource: OidcProviderSource.create() });
  new GitHubEcrPublisher(b, 'Publisher', { repo: REPO, providerSource: OidcProviderSource.create() });
  app.synth();
}

function messageOf(build: () => void): string | undefined {
  try {
    build();
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

test('the table covers at least 25 rules', () => {
  expect(ROWS.length).toBeGreaterThanOrEqual(25);
  expect(new Set(ROWS.map((r) => r.rule)).size).toBe(ROWS.length);
});

describe.each(ROWS.map((r) => [r.rule, r] as const))('%s', (_rule, r) => {
  test(`GIVEN the bad input THEN it throws "${r.prop}: ... ${r.fragment}"`, () => {
    const message = messageOf(r.bad);
    expect(message).toBeDefined();
    expect(message!.startsWith(`${r.prop}: `)).toBe(true);
    expect(message).toContain(r.fragment);
  });

  test('GIVEN the passing neighbour THEN it does not throw', () => {
    expect(messageOf(r.good)).toBeUndefined();
  });
});
