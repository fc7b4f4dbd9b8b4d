// Every rule of src/private/validation.ts, once: failing cases (the message
// names the prop; no construct path, the construct adds it), passing cases
// that include each rule's nearest valid neighbour, and the token case where
// the rule skips tokens. test/bad-input.test.ts checks that each prop reaches
// its validator through the construct.
import { Duration, Lazy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { InvalidProp } from '../../src/private/errors';
import {
  validateDerivedRepositoryName, validateEnvironments, validateIds, validateJobWorkflowRefs, validateLifecycleRules, validateWorkflowFile,
  validateMaxImageCount, validateRefPatterns, validateRepo, validateRoleDescription, validateRolePath, validateTrustPolicySizeQuota,
  validateUntaggedImageExpiry,
} from '../../src/private/validation';
import { escapeRegExp } from '../helpers/fixture';

const lazyString = (value: string) => Lazy.string({ produce: () => value });
const lazyNumber = (value: number) => Lazy.number({ produce: () => value });
const WF = 'octo-org/automation/.github/workflows/build.yml';

test('validators throw an InvalidProp, which the construct prefixes with its path', () => {
  expect(() => validateRepo('')).toThrow(InvalidProp);
});

describe('validateRepo', () => {
  test.each([
    'octo-org/chatgpt-web',
    'o/rr',
    'Octo-Org/Chatgpt.Web_2',
    'octo-org/.github',
    'octo_shortcode/repo', // Enterprise Managed Users
    `${'a'.repeat(39)}/repo`,
    `octo/${'r'.repeat(100)}`,
    // the nearest valid neighbours of the rejected values below
    'octo-org/chatgpt.web', 'github-com/octo-org', 'o-cto/chatgpt-web', 'octo-o-rg/chatgpt-web',
    'octo-org/chat_gpt', 'octo-org/chatgpt-web.gib', 'octo-org/docs.wik', 'octo-org/...',
  ])('accepts %s', (repo) => {
    expect(() => validateRepo(repo)).not.toThrow();
  });

  test('returns owner and name', () => {
    expect(validateRepo('octo-org/chatgpt-web')).toEqual({ owner: 'octo-org', name: 'chatgpt-web' });
  });

  test.each([
    ['', /^repo: "" is empty/],
    ['octo-org/*', /^repo: "octo-org\/\*" contains a wildcard/],
    ['octo-org/chat?', /^repo: .* contains a wildcard/],
    ['*/chatgpt-web', /^repo: .* contains a wildcard/],
    ['octo-*/chatgpt-web', /^repo: .* contains a wildcard/],
    ['octo-org@1/chatgpt-web@2', /^repo: .* contains "@".*ownerId and repoId/],
    ['octo-org/chatgpt:web', /^repo: .* contains ":"/],
    ['https://github.com/octo-org/chatgpt-web', /^repo: .* is a git remote or URL, not the repository's "owner\/name"\. Use "octo-org\/chatgpt-web"$/],
    ['https://github.com/octo-org/chatgpt-web.git', /is a git remote or URL.*Use "octo-org\/chatgpt-web"$/],
    ['git@github.com:octo-org/chatgpt-web.git', /^repo: "git@github\.com:octo-org\/chatgpt-web\.git" is a git remote or URL.*Use "octo-org\/chatgpt-web"$/],
    ['ssh://git@github.com/octo-org/chatgpt-web.git', /is a git remote or URL.*Use "octo-org\/chatgpt-web"$/],
    ['github.com/octo-org/chatgpt-web', /is a git remote or URL.*Use "octo-org\/chatgpt-web"$/],
    ['https://github.com/octo-org', /^repo: .* looks like a URL/],
    ['chatgpt-web', /^repo: .* has 0 "\/" separators/],
    ['octo-org/chatgpt-web/main', /^repo: .* has 2 "\/" separators/],
    ['-octo/chatgpt-web', /^repo: .* has an invalid owner "-octo"\. A GitHub owner is 1-39 letters, digits or single hyphens, .*; an Enterprise Managed User's name adds "_" and the enterprise's short code/],
    ['octo_/chatgpt-web', /^repo: .* has an invalid owner "octo_"/],
    ['_octo/chatgpt-web', /^repo: .* has an invalid owner "_octo"/],
    ['octo-/chatgpt-web', /^repo: .* has an invalid owner/],
    ['oc--to/chatgpt-web', /^repo: .* has an invalid owner/],
    [`${'a'.repeat(40)}/repo`, /^repo: .* has an invalid owner/],
    ['/chatgpt-web', /^repo: .* has an invalid owner ""/],
    ['octo-org/', /^repo: .* has an invalid repository name ""/],
    ['octo-org/chat gpt', /^repo: .* has an invalid repository name/],
    ['octo-org/..', /^repo: .* has an invalid repository name/],
    ['octo-org/.', /^repo: .* has an invalid repository name/],
    [`octo/${'r'.repeat(101)}`, /^repo: .* has an invalid repository name/],
    ['octo-org/chatgpt-web.git', /^repo: .* ends with "\.git".*Use "octo-org\/chatgpt-web"/],
    ['octo-org/docs.wiki', /^repo: .* ends with "\.wiki"/],
  ])('rejects %j', (repo, message) => {
    expect(() => validateRepo(repo)).toThrow(message);
  });

  test('rejects an unresolved token: the trust policy subject needs the literal name', () => {
    expect(() => validateRepo(lazyString('octo-org/chatgpt-web'))).toThrow(/^repo: .* is an unresolved token/);
  });
});

describe('validateRefPatterns', () => {
  test.each<['branches' | 'tags', string[]]>([
    ['branches', ['main']],
    ['branches', ['main', 'release/*', 'feature/a.b', 'x.lockx', 'a@b', '*']],
    ['tags', ['v*', 'v1.0.0', 'release-*', 'v1.0+build']],
    // the nearest valid neighbours of the rejected values below
    ['branches', ['heads/main', 'my-branch', 'a-b', 'releas*', 'release-1', 'main-1', '$aws.x', 'main!', 'a.b', 'a@b',
      'release/1', 'v1.0', 'release/hidden', 'main.lok', 'develop']],
    ['tags', ['v1', 'v1-rc']],
  ])('%s accepts %j', (prop, values) => {
    expect(() => validateRefPatterns(prop, values)).not.toThrow();
  });

  test('accepts undefined (not set)', () => {
    expect(() => validateRefPatterns('branches', undefined)).not.toThrow();
  });

  test.each<['branches' | 'tags', string[], RegExp]>([
    ['branches', [], /^branches: \[\] is an empty list/],
    ['tags', [], /^tags: \[\] is an empty list/],
    ['branches', [''], /^branches: "" is empty/],
    ['branches', ['refs/heads/main'], /^branches: .* includes the "refs\/heads\/" prefix/],
    ['tags', ['refs/tags/v1'], /^tags: .* includes the "refs\/tags\/" prefix/],
    ['branches', ['my branch'], /^branches: .* contains a space or control character/],
    ['branches', ['a\u0001b'], /^branches: .* contains a space or control character/],
    ['branches', ['a\u007fb'], /^branches: .* contains a space or control character/],
    ['branches', ['a~1'], /^branches: .* contains "~"/],
    ['branches', ['a^b'], /^branches: .* contains "\^"/],
    ['tags', ['v1^'], /^tags: .* contains "\^"/],
    ['branches', ['a:b'], /^branches: .* contains ":"/],
    ['branches', ['a?'], /^branches: .* contains "\?"/],
    ['branches', ['releas?'], /^branches: .* contains "\?"/],
    ['branches', ['a[b]'], /^branches: .* contains "\["/],
    ['branches', ['a\\b'], /^branches: .* contains "\\"/],
    ['tags', ['v${tag}'], /^tags: .* contains "\$\{"/],
    ['branches', ['${aws.x}'], /^branches: .* contains "\$\{"/],
    ['branches', ['!main'], /^branches: .* starts with "!"/],
    ['branches', ['a..b'], /^branches: .* contains "\.\."/],
    ['branches', ['a@{b'], /^branches: .* contains "@\{" or is "@"/],
    ['branches', ['@'], /^branches: .* contains "@\{" or is "@"/],
    ['branches', ['/main'], /^branches: .* has an empty path component/],
    ['branches', ['main/'], /^branches: .* has an empty path component/],
    ['branches', ['a//b'], /^branches: .* has an empty path component/],
    ['branches', ['main.'], /^branches: .* ends with "\."/],
    ['branches', ['.hidden'], /^branches: .* component "\.hidden" that starts with "\."/],
    ['branches', ['a/.b'], /^branches: .* component "\.b" that starts with "\."/],
    ['branches', ['main.lock'], /^branches: .* component "main\.lock" that ends with "\.lock"/],
    ['branches', ['a.lock/b'], /^branches: .* component "a\.lock" that ends with "\.lock"/],
    ['branches', ['main', 'main'], /^branches: "main" is listed twice/],
  ])('%s rejects %j', (prop, values, message) => {
    expect(() => validateRefPatterns(prop, values)).toThrow(message);
  });

  // A deploy-time value (a CfnParameter answered "*") would land under
  // StringLike and trust every branch: the trust inputs must be literals.
  test.each(['branches', 'tags'] as const)('%s: refuses unresolved tokens, which could widen the trust at deploy time', (prop) => {
    expect(() => validateRefPatterns(prop, ['main', lazyString('*')]))
      .toThrow(new RegExp(`^${prop}: "an unresolved token" is only known at deploy time, where a value such as "\\*" would widen the trust policy unchecked\\. Give ${prop} as literal values$`));
  });

  // IAM policy documents accept tab, LF, CR and U+0020-U+00FF only.
  test.each<['branches' | 'tags', string, string]>([
    ['branches', '機能', '"機" (U+6A5F)'],
    ['branches', 'main\u200b', '"\u200b" (U+200B)'],
    ['tags', 'v1-🚀', '"🚀" (U+1F680)'],
  ])('%s: refuses %j, naming the character %s', (prop, value, described) => {
    expect(() => validateRefPatterns(prop, [value])).toThrow(`${prop}: ${JSON.stringify(value)} contains ${described}, which an IAM policy cannot hold`);
  });

  test('accepts Latin-1 letters, which IAM policies can hold', () => {
    expect(() => validateRefPatterns('branches', ['café', 'größe/ß'])).not.toThrow();
  });
});

describe('validateEnvironments', () => {
  test.each([
    [['production']],
    [['Production EU', 'staging', 'prod-eu', 'préprod']],
    [['e'.repeat(255)]],
    // the nearest valid neighbours of the rejected values below
    [['p', 'prod', '$x', 'my prod']],
    [['Prod', 'prod2']],
  ])('accepts %j', (values) => {
    expect(() => validateEnvironments(values)).not.toThrow();
  });

  test('accepts undefined (not set)', () => {
    expect(() => validateEnvironments(undefined)).not.toThrow();
  });

  test.each([
    [[], /^environments: \[\] is an empty list/],
    [[''], /^environments: "" is empty/],
    [['e'.repeat(256)], /^environments: .* is 256 characters long/],
    [['prod*'], /^environments: .* contains a wildcard/],
    [['prod?'], /^environments: .* contains a wildcard/],
    [['prod-${aws:username}'], /^environments: .* contains "\$\{"/],
    [['prod\u0007'], /^environments: .* contains control characters/],
    [[' prod'], /^environments: .* leading\/trailing spaces/],
    [['prod '], /^environments: .* leading\/trailing spaces/],
    [['Prod', 'prod'], /^environments: "prod" is listed twice \(GitHub environment names are case-insensitive\)/],
  ])('rejects %j', (values, message) => {
    expect(() => validateEnvironments(values)).toThrow(message);
  });

  test('refuses unresolved tokens', () => {
    expect(() => validateEnvironments([lazyString('prod*')])).toThrow(/^environments: "an unresolved token" is only known at deploy time/);
  });

  // GitHub writes ":" as "%3A" in the subject: "prod:eu" and an environment
  // literally named "prod%3Aeu" would get one subject.
  test.each([['prod:eu', ':'], ['prod%3Aeu', '%'], ['100%', '%']])('refuses %j (contains %s)', (value, character) => {
    expect(() => validateEnvironments([value])).toThrow(`environments: ${JSON.stringify(value)} contains "${character}"; GitHub encodes ":" as "%3A" in the token's subject`);
  });

  test.each([['生产', '"生" (U+751F)'], ['prod-🚀', '"🚀" (U+1F680)']])('refuses %j, naming the character %s', (value, described) => {
    expect(() => validateEnvironments([value])).toThrow(`environments: ${JSON.stringify(value)} contains ${described}, which an IAM policy cannot hold`);
  });
});

describe('validateIds', () => {
  test.each([
    [undefined, undefined],
    [1, 1],
    [123456, 987654321],
    [Number.MAX_SAFE_INTEGER, 2],
  ])('accepts ownerId %p with repoId %p', (ownerId, repoId) => {
    expect(() => validateIds(ownerId, repoId)).not.toThrow();
  });

  test.each([
    [0, 1, /^ownerId: 0 is not a positive integer.*owner\.id/],
    [-5, 1, /^ownerId: -5 is not a positive integer/],
    [1.5, 1, /^ownerId: 1\.5 is not a positive integer/],
    [Number.NaN, 1, /^ownerId: .* is not a positive integer/],
    [Number.MAX_SAFE_INTEGER + 1, 1, /^ownerId: .* is not a positive integer/],
    [1, 0, /^repoId: 0 is not a positive integer.*--jq \.id/],
    [1, -1, /^repoId: -1 is not a positive integer/],
    [123, undefined, /^ownerId: 123 is set without repoId/],
    [undefined, 456, /^repoId: 456 is set without ownerId/],
  ])('rejects ownerId %p with repoId %p', (ownerId, repoId, message) => {
    expect(() => validateIds(ownerId, repoId)).toThrow(message);
  });

  test('refuses unresolved tokens', () => {
    expect(() => validateIds(lazyNumber(1), 2)).toThrow(/^ownerId: "an unresolved token" is only known at deploy time/);
    expect(() => validateIds(1, lazyNumber(2))).toThrow(/^repoId: "an unresolved token" is only known at deploy time/);
  });
});

describe('validateJobWorkflowRefs', () => {
  test.each([
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/main']],
    [['octo-org/automation/.github/workflows/build.yaml@refs/tags/v1.2.3']],
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/*']],
    [['octo-org/automation/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567']],
    // the nearest valid neighbours of the rejected values below
    [[`${WF}@refs/heads/ma*n`, 'octo/automation/.github/workflows/build.yml@refs/heads/main']],
  ])('accepts %j', (values) => {
    expect(() => validateJobWorkflowRefs(values)).not.toThrow();
  });

  test('accepts undefined (not set)', () => {
    expect(() => validateJobWorkflowRefs(undefined)).not.toThrow();
  });

  test.each([
    [[], /^jobWorkflowRefs: \[\] is an empty list/],
    [['build.yml'], /^jobWorkflowRefs: .* is not a reusable-workflow reference/],
    [['octo-org/automation/.github/workflows/build.yml'], /^jobWorkflowRefs: .* is not a reusable-workflow reference/],
    [['octo-org/automation/workflows/build.yml@refs/heads/main'], /^jobWorkflowRefs: .* is not a reusable-workflow reference/],
    [['octo-org/automation/.github/workflows/build.txt@refs/heads/main'], /^jobWorkflowRefs: .* is not a reusable-workflow reference/],
    [['octo-org/automation/.github/workflows/*.yml@refs/heads/main'], /^jobWorkflowRefs: .* is not a reusable-workflow reference/],
    [['*/automation/.github/workflows/build.yml@refs/heads/main'], /^jobWorkflowRefs: .* is not a reusable-workflow reference/],
    [['octo-org/automation/.github/workflows/build.yml@main'], /^jobWorkflowRefs: .* has ref "main"/],
    [['octo-org/automation/.github/workflows/build.yml@refs/pull/1/merge'], /^jobWorkflowRefs: .* has ref "refs\/pull\/1\/merge"/],
    [['octo-org/automation/.github/workflows/build.yml@0123abc'], /^jobWorkflowRefs: .* has ref "0123abc"/],
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/a?b'], /^jobWorkflowRefs: .* has an invalid ref/],
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/${x}'], /^jobWorkflowRefs: .* contains "\$\{", which IAM would read as a policy variable/],
    [['octo-org/automation/.github/workflows/b${x}.yml@refs/heads/main'], /^jobWorkflowRefs: .* contains "\$\{", which IAM would read as a policy variable/],
    [['octo-org/automation/.github/workflows/構築.yml@refs/heads/main'], /^jobWorkflowRefs: .* contains "構" \(U\+69CB\), which an IAM policy cannot hold/],
  ])('rejects %j', (values, message) => {
    expect(() => validateJobWorkflowRefs(values)).toThrow(message);
  });

  test('rejects an invalid owner of the workflow repository', () => {
    expect(() => validateJobWorkflowRefs(['-octo/automation/.github/workflows/build.yml@refs/heads/main'])).toThrow(/invalid owner "-octo"/);
  });

  // The owner/name check reuses validateRepo; the message must still name the prop the user set.
  test('names jobWorkflowRefs when the workflow repository is invalid', () => {
    expect(() => validateJobWorkflowRefs(['-octo/automation/.github/workflows/build.yml@refs/heads/main'])).toThrow(/^jobWorkflowRefs: /);
  });

  test('refuses unresolved tokens', () => {
    expect(() => validateJobWorkflowRefs([lazyString('nonsense')])).toThrow(/^jobWorkflowRefs: "an unresolved token" is only known at deploy time/);
  });
});

describe('validateWorkflowFile', () => {
  test.each([undefined, 'publish.yml', 'publish-chatgpt-web.yaml', 'a_b.c-d.yml'])('accepts %j', (value) => {
    expect(() => validateWorkflowFile(value)).not.toThrow();
  });

  test.each(['publish', 'dir/publish.yml', '.hidden.yml', 'p*.yml', 'pub lish.yml', 'püblish.yml', ''])('refuses %j', (value) => {
    expect(() => validateWorkflowFile(value)).toThrow(new RegExp(`^workflowFile: ${escapeRegExp(JSON.stringify(value))} is not a workflow file name\\. Give the file name only`));
  });

  test('refuses unresolved tokens', () => {
    expect(() => validateWorkflowFile(lazyString('x.yml'))).toThrow(/^workflowFile: "an unresolved token" is only known at deploy time/);
  });
});

describe('validateDerivedRepositoryName', () => {
  // The default ECR name is derived from `repo` (lower-cased name), which
  // validateRepo has checked and which is never a token. An explicit
  // repositoryName is left to aws-cdk-lib.
  test.each(['ab', 'chatgpt-web', 'a.b_c-d', 'my.web', 'a'.repeat(256)])('accepts %j', (name) => {
    expect(() => validateDerivedRepositoryName(name, `octo-org/${name}`)).not.toThrow();
  });

  test.each([
    ['r', /^repositoryName: "r" \(the default, derived from repo "octo-org\/r"\) is 1 characters long\. Set repositoryName explicitly: ECR names are 2-256/],
    ['a'.repeat(257), /^repositoryName: .* is 257 characters long/],
    ['my..web', /^repositoryName: "my\.\.web" \(the default, derived from repo "octo-org\/my\.\.web"\) is not a valid ECR repository name\. Set repositoryName explicitly/],
    ['.github', /^repositoryName: .* is not a valid ECR repository name/],
    ['web-', /^repositoryName: .* is not a valid ECR repository name/],
    ['chat__gpt', /^repositoryName: .* is not a valid ECR repository name/],
  ])('rejects %j, saying where it came from', (name, message) => {
    expect(() => validateDerivedRepositoryName(name, `octo-org/${name}`)).toThrow(message);
  });
});

describe('validateMaxImageCount', () => {
  test.each([undefined, 1, 10, 20000])('accepts %p', (value) => {
    expect(() => validateMaxImageCount(value)).not.toThrow();
  });

  test.each([0, -1, 20001, 2.5])('rejects %p', (value) => {
    expect(() => validateMaxImageCount(value)).toThrow(/^maxImageCount: .* is not a whole number from 1 to 20,000/);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateMaxImageCount(lazyNumber(0))).not.toThrow();
  });
});

describe('validateUntaggedImageExpiry', () => {
  test.each([undefined, Duration.days(1), Duration.days(30), Duration.hours(48)])('accepts %s', (value) => {
    expect(() => validateUntaggedImageExpiry(value)).not.toThrow();
  });

  test.each([Duration.days(0), Duration.hours(12), Duration.hours(36), Duration.minutes(90)])('rejects %s', (value) => {
    expect(() => validateUntaggedImageExpiry(value)).toThrow(/^untaggedImageExpiry: .* is not a whole number of days of at least 1/);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateUntaggedImageExpiry(Duration.days(lazyNumber(0)))).not.toThrow();
  });
});

describe('validateLifecycleRules', () => {
  // aws-cdk-lib itself checks exactly one of count and age per rule, tag lists
  // only for TAGGED rules, one list per rule, four wildcards per pattern and a
  // single TagStatus.ANY rule (test/bad-input.test.ts shows its messages).
  test.each<[string, ecr.LifecycleRule[]]>([
    ['one count rule', [{ maxImageCount: 5 }]],
    ['a count of 1 and an age of 1 day', [{ maxImageCount: 1, tagPrefixList: ['v'] }, { maxImageAge: Duration.days(1) }]],
    ['an age of 24 hours (a whole day)', [{ maxImageAge: Duration.hours(24) }]],
    ['age and count rules', [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) }, { maxImageCount: 5 }]],
    ['prefix rules with unique prefixes and priorities', [
      { rulePriority: 1, tagPrefixList: ['v'], maxImageCount: 50 },
      { rulePriority: 2, tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: ['sha-'], maxImageCount: 5 },
    ]],
    ['one untagged rule and one ANY rule', [
      { tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 5 },
      { tagStatus: ecr.TagStatus.ANY, maxImageAge: Duration.days(3) },
    ]],
  ])('accepts %s', (_name, rules) => {
    expect(() => validateLifecycleRules(rules)).not.toThrow();
  });

  test('accepts undefined (not set)', () => {
    expect(() => validateLifecycleRules(undefined)).not.toThrow();
  });

  test.each<[string, ecr.LifecycleRule[], RegExp]>([
    ['an empty list', [], /^lifecycleRules: \[\] is an empty list/],
    ['a count of 0', [{ maxImageCount: 0 }], /^lifecycleRules\[0\]\.maxImageCount: 0 is not a positive integer/],
    ['a fractional count', [{ maxImageCount: 1.5 }], /^lifecycleRules\[0\]\.maxImageCount: 1\.5 is not a positive integer/],
    ['an age of 0 days', [{ maxImageAge: Duration.days(0) }], /^lifecycleRules\[0\]\.maxImageAge: .* is not a whole number of days/],
    ['an age in hours', [{ maxImageAge: Duration.hours(5) }], /^lifecycleRules\[0\]\.maxImageAge: 5 hours is not a whole number of days/],
    ['priority 0', [{ rulePriority: 0, maxImageCount: 1 }], /^lifecycleRules\[0\]\.rulePriority: 0 is not a positive integer/],
    ['a duplicate priority', [
      { rulePriority: 1, tagPrefixList: ['a'], maxImageCount: 1 },
      { rulePriority: 1, tagPrefixList: ['b'], maxImageCount: 1 },
    ], /^lifecycleRules\[1\]\.rulePriority: 1 is used by another rule/],
    ['a prefix in two rules', [
      { tagPrefixList: ['v'], maxImageCount: 1 },
      { tagPrefixList: ['v'], maxImageAge: Duration.days(3) },
    ], /^lifecycleRules\[1\]\.tagPrefixList: "v" is already selected by another rule/],
    ['two untagged rules', [
      { tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 1 },
      { tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(3) },
    ], /^lifecycleRules\[1\]\.tagStatus: "untagged" is a second rule for untagged images/],
  ])('rejects %s', (_name, rules, message) => {
    expect(() => validateLifecycleRules(rules)).toThrow(message);
  });

  test('skips unresolved counts and ages', () => {
    expect(() => validateLifecycleRules([{ maxImageCount: lazyNumber(0) }])).not.toThrow();
    expect(() => validateLifecycleRules([{ maxImageAge: Duration.days(lazyNumber(0)) }])).not.toThrow();
  });
});

describe('validateRoleDescription', () => {
  // The length (1,000 at most) is aws-cdk-lib's check; the characters are ours.
  test.each([undefined, '', 'Pushes images', 'Tabs\tand\nnewlines', 'Café résumé', 'pushes \u00e9 images'])('accepts %p', (value) => {
    expect(() => validateRoleDescription(value)).not.toThrow();
  });

  test('leaves the length to aws-cdk-lib: 1,001 characters pass here', () => {
    expect(() => validateRoleDescription('d'.repeat(1001))).not.toThrow();
  });

  test.each([
    ['Costs €', '"€"'],
    ['No\u00a0break', '"\u00a0"'],
    // outside the Basic Multilingual Plane: shown whole, not as half a surrogate pair
    ['Emoji 🚀', '"🚀"'],
  ])('rejects characters IAM does not allow: %j', (value, shown) => {
    expect(() => validateRoleDescription(value)).toThrow(`roleDescription: ${JSON.stringify(value)} contains ${shown}, which IAM does not allow. IAM role descriptions are printable Latin-1 characters`);
  });

  test('shortens a long value in the message', () => {
    expect(() => validateRoleDescription(`${'d'.repeat(70)}€`)).toThrow(/^roleDescription: "d{57}\.\.\." contains "€"/);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateRoleDescription(lazyString('€'))).not.toThrow();
  });
});

describe('validateTrustPolicySizeQuota', () => {
  test.each([undefined, 2048, 3000, 4096])('accepts %p', (value) => {
    expect(() => validateTrustPolicySizeQuota(value)).not.toThrow();
  });

  test.each([2047, 4097, 1024, 3000.5])('rejects %p', (value) => {
    expect(() => validateTrustPolicySizeQuota(value)).toThrow(/^trustPolicySizeQuota: .* is outside 2,048 to 4,096/);
  });

  test('rejects an unresolved token: the quota is compared with the policy at synth time', () => {
    expect(() => validateTrustPolicySizeQuota(lazyNumber(2048))).toThrow(/^trustPolicySizeQuota: /);
  });
});

describe('validateRolePath', () => {
  test('a GitHub expression fails: the rendered workflow would evaluate it inside role-to-assume', () => {
    expect(() => validateRolePath('/${{ github.ref }}/')).toThrow(/^rolePath: "\/\$\{\{ github\.ref \}\}\/" contains a GitHub expression/);
    expect(() => validateRolePath('/a/${{x}}/')).toThrow(InvalidProp);
  });

  test('plain paths, "$" without an expression, tokens and no path pass', () => {
    for (const value of ['/', '/github-ecr/', '/a$b/', '/{x}/', lazyString('/${{ x }}/'), undefined]) {
      expect(() => validateRolePath(value)).not.toThrow();
    }
  });
});
