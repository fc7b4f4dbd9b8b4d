import { App } from 'aws-cdk-lib';
import { GitHubIssuer } from '../../src';
import {
  checkAgainstRecord, githubHostOf, identityContextKey, IdentityRecord, parseIdentityRecord, readIdentityRecord, subjectFormOf,
} from '../../src/private/identity-context';
import { IMMUTABLE_PREFIX, identityRecord, REPO } from '../helpers/fixture';

const KEY = 'cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web';

describe('the context key', () => {
  test('names the host and owner/name lower-cased', () => {
    expect(identityContextKey('github.com', 'Octo-Org/ChatGPT-Web')).toBe(KEY);
    expect(identityContextKey('octocorp.ghe.com', REPO)).toBe('cdk-github-ecr-publisher:identity:octocorp.ghe.com:octo-org/chatgpt-web');
  });

  test.each<[string, GitHubIssuer, string | undefined]>([
    ['github.com', GitHubIssuer.GITHUB_COM, 'github.com'],
    ['an enterprise slug (still github.com)', GitHubIssuer.enterpriseSlug('octocorp'), 'github.com'],
    ['GHE.com', GitHubIssuer.dataResidency('octocorp'), 'octocorp.ghe.com'],
    ['GitHub Enterprise Server (no record)', GitHubIssuer.enterpriseServer('github.example.com'), undefined],
  ])('the host of %s', (_label, issuer, host) => {
    expect(githubHostOf(issuer)).toBe(host);
  });
});

describe('reading', () => {
  test('a record under its key, nothing without one, no key for GitHub Enterprise Server', () => {
    const app = new App({ context: { [KEY]: identityRecord() } });
    expect(readIdentityRecord(app, GitHubIssuer.GITHUB_COM, REPO)).toEqual({ key: KEY, record: identityRecord() });
    expect(readIdentityRecord(new App(), GitHubIssuer.GITHUB_COM, REPO)).toEqual({ key: KEY });
    expect(readIdentityRecord(app, GitHubIssuer.enterpriseServer('github.example.com'), REPO)).toBeUndefined();
  });

  test('a customised template keeps its claim keys', () => {
    const record = identityRecord({ useDefault: false, includeClaimKeys: ['repo', 'context'], templateSource: 'organization' });
    expect(parseIdentityRecord(KEY, 'github.com', record).includeClaimKeys).toEqual(['repo', 'context']);
  });
});

describe('a broken record names the key and the field', () => {
  test.each<[string, unknown, RegExp]>([
    ['not an object', 'repo:octo-org/chatgpt-web', /context ".*": "repo:octo-org\/chatgpt-web" is not an identity record/],
    ['an array', [1], /is not an identity record/],
    ['another host', { host: 'octocorp.ghe.com' }, /\.host: "octocorp.ghe.com" differs from the key's host "github.com"/],
    ['another repository', { fullName: 'octo-org/other' }, /\.fullName: "octo-org\/other" is not the repository the key names/],
    ['an owner ID that is a string', { ownerId: '123' }, /\.ownerId: "123" is not a positive integer/],
    ['a repository ID of 0', { repositoryId: 0 }, /\.repositoryId: 0 is not a positive integer/],
    ['an empty prefix', { subClaimPrefix: '' }, /\.subClaimPrefix: "" is not a non-empty string/],
    ['useDefault as a string', { useDefault: 'true' }, /\.useDefault: "true" is not true or false/],
    ['useImmutableSubject missing', { useImmutableSubject: undefined }, /\.useImmutableSubject: undefined is not true or false/],
    ['an unknown template source', { templateSource: 'enterprise' }, /\.templateSource: "enterprise" is not a template source/],
    ['a time that is not one', { recordedAt: 'yesterday' }, /\.recordedAt: "yesterday" is not an ISO 8601 time/],
    ['claim keys with the default template', { includeClaimKeys: ['repo'] }, /\.includeClaimKeys: \["repo"\] is set, but useDefault is true/],
    ['no claim keys with a customised template', { useDefault: false }, /\.includeClaimKeys: undefined is not a non-empty list of claim names, but useDefault is false/],
  ])('%s', (_label, change, message) => {
    const value = typeof change === 'object' && !Array.isArray(change) ? { ...identityRecord(), ...(change as object) } : change;
    expect(() => parseIdentityRecord(KEY, 'github.com', value)).toThrow(message);
    expect(() => parseIdentityRecord(KEY, 'github.com', value)).toThrow(/Record it again with npx cdk-github-ecr-publisher identity/);
  });
});

describe('the subject form', () => {
  test.each<[string, Partial<IdentityRecord>, 'name' | 'immutable']>([
    ['the name form', {}, 'name'],
    ['the immutable form', { subClaimPrefix: IMMUTABLE_PREFIX }, 'immutable'],
    // Seen in public repositories: the prefix is already immutable while use_immutable_subject says false.
    ['the immutable prefix while use_immutable_subject is still false', { subClaimPrefix: IMMUTABLE_PREFIX, useImmutableSubject: false }, 'immutable'],
    ['a customised template whose prefix starts with another claim', { useDefault: false, includeClaimKeys: ['repository_owner', 'repo'], subClaimPrefix: 'repository_owner:octo-org', useImmutableSubject: true }, 'immutable'],
  ])('%s', (_label, overrides, form) => {
    expect(subjectFormOf(KEY, identityRecord(overrides))).toBe(form);
  });

  test.each([
    ['another spelling', 'repo:Octo-Org/chatgpt-web'],
    ['other IDs', 'repo:octo-org@1/chatgpt-web@2'],
    ['not a repo prefix at all', 'repository_owner:octo-org'],
  ])('a default-template prefix with %s is refused', (_label, prefix) => {
    expect(() => subjectFormOf(KEY, identityRecord({ subClaimPrefix: prefix }))).toThrow(/\.subClaimPrefix: .* is neither "repo:octo-org\/chatgpt-web" nor "repo:octo-org@123\/chatgpt-web@456"/);
  });
});

describe('the props against the record', () => {
  test('agreeing props pass', () => {
    expect(() => checkAgainstRecord({ repo: REPO, ownerId: 123, repoId: 456 }, KEY, identityRecord())).not.toThrow();
    expect(() => checkAgainstRecord({ repo: REPO }, KEY, identityRecord())).not.toThrow();
  });

  test.each<[string, { repo: string; ownerId?: number; repoId?: number }, RegExp]>([
    ['another case', { repo: 'octo-org/ChatGPT-Web' }, /repo: "octo-org\/ChatGPT-Web" differs in case from GitHub's spelling "octo-org\/chatgpt-web"/],
    ['another owner ID', { repo: REPO, ownerId: 5, repoId: 456 }, /ownerId: 5 differs from the recorded ID 123/],
    ['another repository ID', { repo: REPO, ownerId: 123, repoId: 6 }, /repoId: 6 differs from the recorded ID 456/],
  ])('%s fails', (_label, props, message) => {
    expect(() => checkAgainstRecord(props, KEY, identityRecord())).toThrow(message);
  });
});
