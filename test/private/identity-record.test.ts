// The identity record: one format for the command-line tool that writes it and
// the constructs that read it. Hand-edited or stale records must fail loudly.
import {
  emitsImmutableSubjects, identityContextKey, IdentityRecord, immutableSubjectPrefix, nameSubjectPrefix, parseIdentityRecord,
} from '../../src/private/identity-record';

const NAME_FORM: IdentityRecord = {
  host: 'github.com',
  fullName: 'Octo-Org/Chatgpt-Web',
  ownerId: 9919,
  repositoryId: 123456,
  subClaimPrefix: 'repo:Octo-Org/Chatgpt-Web',
  useDefault: true,
  useImmutableSubject: false,
  templateSource: 'default',
  recordedAt: '2026-12-07T03:00:00.000Z',
};
const KEY = 'cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web';

describe('identityContextKey', () => {
  test('host and owner/name lower-cased', () => {
    expect(identityContextKey('GitHub.com', 'Octo-Org/Chatgpt-Web')).toBe(KEY);
    expect(identityContextKey('octo.ghe.com', 'o_emu/r.x')).toBe('cdk-github-ecr-publisher:identity:octo.ghe.com:o_emu/r.x');
  });

  test.each([
    ['https://github.com', 'o/r', /is not a GitHub host name/],
    ['github.com', 'o/r/x', /is not a GitHub repository "owner\/name"/],
    ['github.com', 'o:x/r', /is not a GitHub repository/],
    ['github.com', '*/r', /is not a GitHub repository/],
  ])('refuses host %j, repository %j', (host, repository, message) => {
    expect(() => identityContextKey(host, repository)).toThrow(message);
  });
});

describe('parseIdentityRecord', () => {
  const immutable: IdentityRecord = { ...NAME_FORM, subClaimPrefix: 'repo:Octo-Org@9919/Chatgpt-Web@123456', useImmutableSubject: true };
  const organization: IdentityRecord = {
    ...NAME_FORM, useDefault: false, templateSource: 'organization', includeClaimKeys: ['repository_owner_id', 'context'], subClaimPrefix: 'repository_owner_id:9919',
  };

  test.each([
    ['the name form', NAME_FORM],
    ['the immutable form', immutable],
    ['mid-transition: the immutable prefix while use_immutable_subject still says false', { ...immutable, useImmutableSubject: false }],
    ['an organisation template', organization],
    ['a repository template', { ...organization, templateSource: 'repository' as const }],
  ])('reads %s back exactly, under its key', (_case, record) => {
    expect(parseIdentityRecord(JSON.parse(JSON.stringify(record)), KEY)).toEqual(record);
  });

  test('the prefix is what says which form GitHub sends', () => {
    expect(emitsImmutableSubjects(NAME_FORM)).toBe(false);
    expect(emitsImmutableSubjects({ ...immutable, useImmutableSubject: false })).toBe(true);
    expect(nameSubjectPrefix(NAME_FORM)).toBe('repo:Octo-Org/Chatgpt-Web');
    expect(immutableSubjectPrefix(NAME_FORM)).toBe('repo:Octo-Org@9919/Chatgpt-Web@123456');
  });

  test.each<[string, unknown, RegExp]>([
    ['not an object', [NAME_FORM], /is not a JSON object/],
    ['an unknown field', { ...NAME_FORM, sub: 'x' }, /has fields this version does not know \(sub\)/],
    ['no fullName', { ...NAME_FORM, fullName: undefined }, /has no fullName string/],
    ['an owner ID that is not a positive integer', { ...NAME_FORM, ownerId: '9919' }, /has no ownerId \(a positive integer\)/],
    ['a repository ID of 0', { ...NAME_FORM, repositoryId: 0 }, /has no repositoryId/],
    ['a host with a scheme', { ...NAME_FORM, host: 'https://github.com' }, /not a lower-case host name/],
    ['a prefix of another repository', { ...NAME_FORM, subClaimPrefix: 'repo:Octo-Org/other' }, /is neither "repo:Octo-Org\/Chatgpt-Web" nor "repo:Octo-Org@9919\/Chatgpt-Web@123456"/],
    ['a prefix of other IDs', { ...NAME_FORM, subClaimPrefix: 'repo:Octo-Org@1/Chatgpt-Web@2' }, /is neither/],
    ['a wildcard in the prefix', { ...organization, subClaimPrefix: 'repo:Octo-Org/*' }, /with a control character, a wildcard or "\$\{"/],
    ['useDefault false with the default template', { ...NAME_FORM, useDefault: false }, /has useDefault false with templateSource "default"/],
    ['claim keys with the default template', { ...NAME_FORM, includeClaimKeys: ['repo'] }, /has includeClaimKeys with the default template/],
    ['a customised template without keys', { ...organization, includeClaimKeys: [] }, /without includeClaimKeys/],
    ['an unknown template source', { ...organization, templateSource: 'enterprise' }, /not one of default, repository, organization/],
    ['a time that is not ISO 8601', { ...NAME_FORM, recordedAt: 'yesterday' }, /not an ISO 8601 time/],
  ])('refuses %s, naming the key and the way out', (_case, value, message) => {
    expect(() => parseIdentityRecord(value, KEY)).toThrow(message);
    expect(() => parseIdentityRecord(value, KEY)).toThrow(/^the identity record "cdk-github-ecr-publisher:identity:github\.com:octo-org\/chatgpt-web" .*; record it again with `cdk-github-ecr-publisher identity`$/);
  });

  test('a record stored under another repository\'s key', () => {
    expect(() => parseIdentityRecord(NAME_FORM, 'cdk-github-ecr-publisher:identity:github.com:octo-org/other'))
      .toThrow(/is for github\.com Octo-Org\/Chatgpt-Web, whose key is "cdk-github-ecr-publisher:identity:github\.com:octo-org\/chatgpt-web"/);
  });
});
