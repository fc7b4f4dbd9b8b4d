// Every rule of src/private/validation.ts with a failing case (the message names
// the prop), a passing neighbour, and the token case where the rule skips tokens.
import { Duration, Lazy } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import {
  invalid, validateEcrRepositoryName, validateEnvironments, validateIds, validateJobWorkflowRefs, validateLifecycleRules,
  validateMaxImageCount, validateMaxSessionDuration, validateRefPatterns, validateRepo, validateRoleDescription,
  validateRoleName, validateRolePath, validateTagMutability, validateTrustPolicySizeQuota, validateUntaggedImageExpiry,
} from '../../src/private/validation';

const lazyString = (value: string) => Lazy.string({ produce: () => value });
const lazyNumber = (value: number) => Lazy.number({ produce: () => value });
const filter = (value: string) => ecr.ImageTagMutabilityExclusionFilter.wildcard(value);

describe('invalid', () => {
  test('builds "<prop>: <value> <problem>. <allowed>"', () => {
    expect(invalid('repo', 'a/b/c', 'is wrong', 'Do this').message).toBe('repo: "a/b/c" is wrong. Do this');
  });

  test('shows durations in human form and other values as JSON', () => {
    expect(invalid('maxSessionDuration', Duration.minutes(30), 'is short', 'X').message).toBe('maxSessionDuration: 30 minutes is short. X');
    expect(invalid('branches', [], 'is empty', 'X').message).toBe('branches: [] is empty. X');
  });
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
    ['octo-org@1/chatgpt-web@2', /^repo: .* contains "@".*ownerId and repoId/],
    ['octo-org/chatgpt:web', /^repo: .* contains ":"/],
    ['https://github.com/octo-org/chatgpt-web', /^repo: .* contains ":"/],
    ['github.com/octo-org/chatgpt-web', /^repo: .* looks like a URL/],
    ['chatgpt-web', /^repo: .* has 0 "\/" separators/],
    ['octo-org/chatgpt-web/main', /^repo: .* has 2 "\/" separators/],
    ['-octo/chatgpt-web', /^repo: .* has an invalid owner "-octo"/],
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
    ['branches', ['a:b'], /^branches: .* contains ":"/],
    ['branches', ['a?'], /^branches: .* contains "\?"/],
    ['branches', ['a[b]'], /^branches: .* contains "\["/],
    ['branches', ['a\\b'], /^branches: .* contains "\\"/],
    ['tags', ['v${tag}'], /^tags: .* contains "\$\{"/],
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

  test('skips unresolved tokens', () => {
    expect(() => validateRefPatterns('branches', [lazyString('refs/heads/x:y')])).not.toThrow();
    expect(() => validateRefPatterns('branches', [lazyString('a'), 'a:b'])).toThrow(/^branches: "a:b"/);
  });
});

describe('validateEnvironments', () => {
  test.each([
    [['production']],
    [['prod:eu', 'Production EU', 'staging']],
    [['e'.repeat(255)]],
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

  test('skips unresolved tokens', () => {
    expect(() => validateEnvironments([lazyString('prod*')])).not.toThrow();
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

  test('skips unresolved tokens', () => {
    expect(() => validateIds(lazyNumber(-1), lazyNumber(0))).not.toThrow();
  });
});

describe('validateJobWorkflowRefs', () => {
  test.each([
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/main']],
    [['octo-org/automation/.github/workflows/build.yaml@refs/tags/v1.2.3']],
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/*']],
    [['octo-org/automation/.github/workflows/build.yml@0123456789abcdef0123456789abcdef01234567']],
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
    [['octo-org/automation/.github/workflows/build.yml@refs/heads/${x}'], /^jobWorkflowRefs: .* has an invalid ref/],
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

  test('skips unresolved tokens', () => {
    expect(() => validateJobWorkflowRefs([lazyString('nonsense')])).not.toThrow();
  });
});

describe('validateEcrRepositoryName', () => {
  test.each([
    'ab',
    'chatgpt-web',
    'team/chatgpt-web',
    'a.b_c-d/e',
    'a'.repeat(256),
  ])('accepts %j', (name) => {
    expect(() => validateEcrRepositoryName(name)).not.toThrow();
  });

  test.each([
    ['a', /^repositoryName: "a" is 1 characters long/],
    ['a'.repeat(257), /^repositoryName: .* is 257 characters long/],
    ['ChatGPT', /^repositoryName: .* is not a valid ECR repository name/],
    ['_chatgpt', /^repositoryName: .* is not a valid ECR repository name/],
    ['chatgpt-', /^repositoryName: .* is not a valid ECR repository name/],
    ['chat__gpt', /^repositoryName: .* is not a valid ECR repository name/],
    ['team//web', /^repositoryName: .* is not a valid ECR repository name/],
    ['/web', /^repositoryName: .* is not a valid ECR repository name/],
  ])('rejects %j', (name, message) => {
    expect(() => validateEcrRepositoryName(name)).toThrow(message);
  });

  test('says when the invalid name is the default derived from repo', () => {
    expect(() => validateEcrRepositoryName('r', 'octo-org/r'))
      .toThrow(/^repositoryName: "r" \(the default, derived from repo "octo-org\/r"\) is 1 characters long\. Set repositoryName explicitly/);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateEcrRepositoryName(lazyString('_BAD'))).not.toThrow();
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
  test.each<[string, ecr.LifecycleRule[]]>([
    ['one count rule', [{ maxImageCount: 5 }]],
    ['age and count rules', [{ tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(1) }, { maxImageCount: 5 }]],
    ['prefix rules with unique prefixes and priorities', [
      { rulePriority: 1, tagPrefixList: ['v'], maxImageCount: 50 },
      { rulePriority: 2, tagStatus: ecr.TagStatus.TAGGED, tagPrefixList: ['sha-'], maxImageCount: 5 },
    ]],
    ['a pattern with four wildcards', [{ tagPatternList: ['*a*b*c*'], maxImageCount: 3 }]],
  ])('accepts %s', (_name, rules) => {
    expect(() => validateLifecycleRules(rules)).not.toThrow();
  });

  test('accepts undefined (not set)', () => {
    expect(() => validateLifecycleRules(undefined)).not.toThrow();
  });

  test.each<[string, ecr.LifecycleRule[], RegExp]>([
    ['an empty list', [], /^lifecycleRules: \[\] is an empty list/],
    ['a rule with neither count nor age', [{ tagStatus: ecr.TagStatus.ANY }], /^lifecycleRules\[0\]: .* must set exactly one of maxImageCount and maxImageAge/],
    ['a rule with count and age', [{ maxImageCount: 1, maxImageAge: Duration.days(1) }], /^lifecycleRules\[0\]: .* must set exactly one/],
    ['a count of 0', [{ maxImageCount: 0 }], /^lifecycleRules\[0\]\.maxImageCount: 0 is not a positive integer/],
    ['a fractional count', [{ maxImageCount: 1.5 }], /^lifecycleRules\[0\]\.maxImageCount: 1\.5 is not a positive integer/],
    ['an age of 0 days', [{ maxImageAge: Duration.days(0) }], /^lifecycleRules\[0\]\.maxImageAge: .* is not a whole number of days/],
    ['an age in hours', [{ maxImageAge: Duration.hours(5) }], /^lifecycleRules\[0\]\.maxImageAge: 5 hours is not a whole number of days/],
    ['priority 0', [{ rulePriority: 0, maxImageCount: 1 }], /^lifecycleRules\[0\]\.rulePriority: 0 is not a positive integer/],
    ['a duplicate priority', [
      { rulePriority: 1, tagPrefixList: ['a'], maxImageCount: 1 },
      { rulePriority: 1, tagPrefixList: ['b'], maxImageCount: 1 },
    ], /^lifecycleRules\[1\]\.rulePriority: 1 is used by another rule/],
    ['TAGGED without tags', [{ tagStatus: ecr.TagStatus.TAGGED, maxImageCount: 1 }], /^lifecycleRules\[0\]: .* selects tagged images without tagPrefixList or tagPatternList/],
    ['UNTAGGED with a prefix list', [{ tagStatus: ecr.TagStatus.UNTAGGED, tagPrefixList: ['v'], maxImageCount: 1 }], /^lifecycleRules\[0\]: .* lists tags but has tagStatus untagged/],
    ['prefix and pattern lists', [{ tagPrefixList: ['v'], tagPatternList: ['v*'], maxImageCount: 1 }], /^lifecycleRules\[0\]: .* sets both tagPrefixList and tagPatternList/],
    ['a pattern with five wildcards', [{ tagPatternList: ['*a*b*c*d*'], maxImageCount: 1 }], /^lifecycleRules\[0\]\.tagPatternList: .* has more than four "\*" wildcards/],
    ['a prefix in two rules', [
      { tagPrefixList: ['v'], maxImageCount: 1 },
      { tagPrefixList: ['v'], maxImageAge: Duration.days(3) },
    ], /^lifecycleRules\[1\]\.tagPrefixList: "v" is already selected by another rule/],
    ['two untagged rules', [
      { tagStatus: ecr.TagStatus.UNTAGGED, maxImageCount: 1 },
      { tagStatus: ecr.TagStatus.UNTAGGED, maxImageAge: Duration.days(3) },
    ], /^lifecycleRules\[1\]: .* is a second rule for untagged images/],
    ['two ANY rules', [{ maxImageCount: 1 }, { maxImageAge: Duration.days(3) }], /^lifecycleRules\[1\]: .* is a second TagStatus\.ANY rule/],
  ])('rejects %s', (_name, rules, message) => {
    expect(() => validateLifecycleRules(rules)).toThrow(message);
  });

  test('skips unresolved counts and ages', () => {
    expect(() => validateLifecycleRules([{ maxImageCount: lazyNumber(0) }])).not.toThrow();
    expect(() => validateLifecycleRules([{ maxImageAge: Duration.days(lazyNumber(0)) }])).not.toThrow();
  });
});

describe('validateTagMutability', () => {
  test.each<[string, ecr.TagMutability | undefined, ecr.ImageTagMutabilityExclusionFilter[] | undefined]>([
    ['nothing set', undefined, undefined],
    ['MUTABLE', ecr.TagMutability.MUTABLE, undefined],
    ['IMMUTABLE', ecr.TagMutability.IMMUTABLE, undefined],
    ['MUTABLE_WITH_EXCLUSION with one filter', ecr.TagMutability.MUTABLE_WITH_EXCLUSION, [filter('v*')]],
    ['IMMUTABLE_WITH_EXCLUSION with five filters', ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, ['a*', 'b*', 'c*', 'd*', 'e*'].map(filter)],
  ])('accepts %s', (_name, mutability, filters) => {
    expect(() => validateTagMutability(mutability, filters)).not.toThrow();
  });

  test.each<[string, ecr.TagMutability | undefined, ecr.ImageTagMutabilityExclusionFilter[] | undefined, RegExp]>([
    ['filters with MUTABLE', ecr.TagMutability.MUTABLE, [filter('v*')], /^imageTagMutabilityExclusionFilters: "1 filter\(s\)" are set while imageTagMutability is MUTABLE/],
    ['filters with IMMUTABLE', ecr.TagMutability.IMMUTABLE, [filter('v*')], /^imageTagMutabilityExclusionFilters: .* while imageTagMutability is IMMUTABLE/],
    ['no filter in the list', ecr.TagMutability.MUTABLE_WITH_EXCLUSION, [], /^imageTagMutabilityExclusionFilters: "0 filter\(s\)" is out of range/],
    ['six filters', ecr.TagMutability.MUTABLE_WITH_EXCLUSION, ['a*', 'b*', 'c*', 'd*', 'e*', 'f*'].map(filter), /^imageTagMutabilityExclusionFilters: "6 filter\(s\)" is out of range/],
    ['MUTABLE_WITH_EXCLUSION without filters', ecr.TagMutability.MUTABLE_WITH_EXCLUSION, undefined, /^imageTagMutability: "MUTABLE_WITH_EXCLUSION" needs exclusion filters/],
    ['IMMUTABLE_WITH_EXCLUSION without filters', ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION, undefined, /^imageTagMutability: "IMMUTABLE_WITH_EXCLUSION" needs exclusion filters/],
  ])('rejects %s', (_name, mutability, filters, message) => {
    expect(() => validateTagMutability(mutability, filters)).toThrow(message);
  });
});

describe('validateRoleName', () => {
  test.each([undefined, 'publisher', 'a+b=c,d.e@f_g-h', 'r'.repeat(64)])('accepts %p', (name) => {
    expect(() => validateRoleName(name)).not.toThrow();
  });

  test.each([
    ['', /^roleName: "" contains characters IAM does not allow/],
    ['r'.repeat(65), /^roleName: .* is 65 characters long/],
    ['my role', /^roleName: .* contains characters IAM does not allow/],
    ['team/role', /^roleName: .* contains characters IAM does not allow/],
  ])('rejects %j', (name, message) => {
    expect(() => validateRoleName(name)).toThrow(message);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateRoleName(lazyString('bad name!'))).not.toThrow();
  });
});

describe('validateRolePath', () => {
  test.each([undefined, '/', '/github/', '/a/b/', `/${'a'.repeat(510)}/`])('accepts %p', (path) => {
    expect(() => validateRolePath(path)).not.toThrow();
  });

  test.each([
    '',
    'github/',
    '/github',
    '/a//b/',
    '/a b/',
    `/${'a'.repeat(511)}/`,
  ])('rejects %j', (path) => {
    expect(() => validateRolePath(path)).toThrow(/^rolePath: .* is not a valid IAM path/);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateRolePath(lazyString('no-slashes'))).not.toThrow();
  });
});

describe('validateMaxSessionDuration', () => {
  test.each([undefined, Duration.hours(1), Duration.seconds(3600), Duration.hours(12), Duration.seconds(43200)])('accepts %s', (value) => {
    expect(() => validateMaxSessionDuration(value)).not.toThrow();
  });

  test.each([Duration.minutes(59), Duration.seconds(3599), Duration.seconds(43201), Duration.hours(13), Duration.millis(3_600_500)])('rejects %s', (value) => {
    expect(() => validateMaxSessionDuration(value)).toThrow(/^maxSessionDuration: .* is outside 1 to 12 hours/);
  });

  test('skips unresolved tokens', () => {
    expect(() => validateMaxSessionDuration(Duration.seconds(lazyNumber(5)))).not.toThrow();
  });
});

describe('validateRoleDescription', () => {
  test.each([undefined, '', 'Pushes images', 'd'.repeat(1000), 'Tabs\tand\nnewlines', 'Café résumé'])('accepts %p', (value) => {
    expect(() => validateRoleDescription(value)).not.toThrow();
  });

  test('rejects more than 1,000 characters and shortens the value in the message', () => {
    expect(() => validateRoleDescription('d'.repeat(1001))).toThrow(/^roleDescription: "d{57}\.\.\." is 1001 characters long/);
  });

  test.each(['Costs €', 'Emoji 🚀', 'No\u00a0break'])('rejects characters IAM does not allow: %j', (value) => {
    expect(() => validateRoleDescription(value)).toThrow(/^roleDescription: .* contains characters IAM does not allow/);
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
