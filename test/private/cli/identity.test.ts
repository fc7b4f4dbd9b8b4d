// `identity` with a stand-in gh: both subject forms, the mid-transition
// answer, repository and organisation templates, --check on renamed and
// re-created repositories, every refusal, rate limits and resume.
import * as fs from 'fs';
import { App, Annotations as CoreAnnotations, Stack } from 'aws-cdk-lib';
import { GitHubEcrPublisher } from '../../../src';
import { Io, main } from '../../../src/private/cli/main';
import { parseIdentityRecord as readForConstruct } from '../../../src/private/identity-context';
import { identityContextKey, IdentityRecord } from '../../../src/private/identity-record';
import { synthesize, TempDir } from '../../helpers/cloud-assembly';
import { ENV } from '../../helpers/fixture';
import { GhTable, StandInGh } from '../../helpers/stand-in-gh';

let dir: TempDir;
let gh: StandInGh;
let slept: number[];
beforeEach(() => {
  dir = new TempDir();
  gh = new StandInGh(dir.path);
  slept = [];
});
afterEach(() => dir.cleanUp());

const NOW = new Date('2026-12-07T03:00:00.000Z');
const KEY = 'cdk-github-ecr-publisher:identity:github.com:octo-org/chatgpt-web';

function run(args: string[], env: NodeJS.ProcessEnv = gh.env()): { code: number; out: string; err: string } {
  let out = '';
  let err = '';
  const io: Io = { out: (t) => (out += t), err: (t) => (err += t), env, cwd: dir.path, sleep: (s) => slept.push(s), now: () => NOW };
  const code = main(args, io);
  return { code, out, err };
}

/** GitHub's answers for one repository. */
function repository(fullName: string, ids: { owner: number; repo: number }, sub: Record<string, unknown>): GhTable {
  return {
    [`repos/${fullName}`]: { body: { id: ids.repo, full_name: fullName, owner: { id: ids.owner, login: fullName.split('/')[0] } } },
    [`repos/${fullName}/actions/oidc/customization/sub`]: { body: sub },
  };
}
const NAME_FORM = repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, {
  use_default: true, use_immutable_subject: false, sub_claim_prefix: 'repo:Octo-Org/ChatGPT-Web',
});
// GitHub answers case-insensitively: the user's spelling finds the repository, the answer has GitHub's.
const asTyped = (table: GhTable): GhTable => ({ ...table, 'repos/octo-org/chatgpt-web': table['repos/Octo-Org/ChatGPT-Web'] });

const contextOf = () => JSON.parse(fs.readFileSync(dir.file('cdk.context.json'), 'utf8'));
const BASE: IdentityRecord = {
  host: 'github.com',
  fullName: 'Octo-Org/ChatGPT-Web',
  ownerId: 9919,
  repositoryId: 123456,
  subClaimPrefix: 'repo:Octo-Org/ChatGPT-Web',
  useDefault: true,
  useImmutableSubject: false,
  templateSource: 'default',
  recordedAt: NOW.toISOString(),
};

describe('recording', () => {
  test('the name form: GitHub\'s spelling and IDs under the lower-cased key; gh called with argument arrays', () => {
    gh.answer(asTyped(NAME_FORM));
    const result = run(['identity', 'octo-org/chatgpt-web']);
    expect(result.code).toBe(0);
    expect(contextOf()).toEqual({ [KEY]: BASE });
    expect(gh.calls()).toEqual([
      ['api', '--hostname', 'github.com', '-H', 'Accept: application/vnd.github+json', 'repos/octo-org/chatgpt-web'],
      ['api', '--hostname', 'github.com', '-H', 'Accept: application/vnd.github+json', 'repos/Octo-Org/ChatGPT-Web/actions/oidc/customization/sub'],
    ]);
    expect(result.out).toBe('github.com Octo-Org/ChatGPT-Web: owner 9919, repository 123456; tokens carry "repo:Octo-Org/ChatGPT-Web:..." (name subjects); ' +
      'to pin in code: ownerId: 9919, repoId: 123456\n');
    expect(result.err).toBe('1 recorded, 0 already recorded, in cdk.context.json (commit it)\n');
  });

  test('what the command writes is what the constructs read', () => {
    gh.answer(asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, {
      use_default: false, include_claim_keys: ['repo', 'context'], use_immutable_subject: true, sub_claim_prefix: 'repo:Octo-Org@9919/ChatGPT-Web@123456',
    })));
    expect(run(['identity', 'octo-org/chatgpt-web']).code).toBe(0);
    expect(readForConstruct(KEY, 'github.com', contextOf()[KEY])).toEqual(contextOf()[KEY]);
  });

  test.each([
    ['the immutable form', { use_default: true, use_immutable_subject: true, sub_claim_prefix: 'repo:Octo-Org@9919/ChatGPT-Web@123456' }, true],
    // Seen on GitHub: the prefix already immutable while use_immutable_subject still says false. The prefix is what tokens carry.
    ['mid-transition', { use_default: true, use_immutable_subject: false, sub_claim_prefix: 'repo:Octo-Org@9919/ChatGPT-Web@123456' }, false],
  ])('%s: the prefix GitHub reports is recorded', (_case, sub, flag) => {
    gh.answer(asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, sub)));
    const result = run(['identity', 'octo-org/chatgpt-web']);
    expect(result.code).toBe(0);
    expect(contextOf()[KEY]).toEqual({ ...BASE, subClaimPrefix: 'repo:Octo-Org@9919/ChatGPT-Web@123456', useImmutableSubject: flag });
    expect(result.out).toContain('(immutable subjects)');
  });

  test('a repository template: its claim keys', () => {
    gh.answer(asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, {
      use_default: false, include_claim_keys: ['repo', 'context', 'job_workflow_ref'], use_immutable_subject: false, sub_claim_prefix: 'repo:Octo-Org/ChatGPT-Web',
    })));
    expect(run(['identity', 'octo-org/chatgpt-web']).code).toBe(0);
    expect(contextOf()[KEY]).toEqual({ ...BASE, useDefault: false, templateSource: 'repository', includeClaimKeys: ['repo', 'context', 'job_workflow_ref'] });
  });

  test('a repository that defers to its organisation\'s template: the organisation\'s keys', () => {
    gh.answer({
      ...asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, { use_default: false, use_immutable_subject: false, sub_claim_prefix: 'repository_owner_id:9919' })),
      'orgs/octo-org/actions/oidc/customization/sub': { body: { include_claim_keys: ['repository_owner_id', 'repository_id', 'context'] } },
    });
    expect(run(['identity', 'octo-org/chatgpt-web']).code).toBe(0);
    expect(contextOf()[KEY]).toEqual({
      ...BASE, useDefault: false, templateSource: 'organization', includeClaimKeys: ['repository_owner_id', 'repository_id', 'context'], subClaimPrefix: 'repository_owner_id:9919',
    });
    expect(gh.paths()).toEqual(['repos/octo-org/chatgpt-web', 'repos/Octo-Org/ChatGPT-Web/actions/oidc/customization/sub', 'orgs/octo-org/actions/oidc/customization/sub']);
  });

  test('a GitHub Enterprise Cloud host from GH_HOST: asked there, recorded under its key', () => {
    gh.answer(asTyped(NAME_FORM));
    expect(run(['identity', 'octo-org/chatgpt-web'], gh.env({ GH_HOST: 'octo.ghe.com' })).code).toBe(0);
    expect(Object.keys(contextOf())).toEqual(['cdk-github-ecr-publisher:identity:octo.ghe.com:octo-org/chatgpt-web']);
    expect(gh.calls()[0].slice(0, 3)).toEqual(['api', '--hostname', 'octo.ghe.com']);
  });

  test('without OWNER/REPO: the repositories the synthesized app names (publisher outputs, identity keys in annotations)', () => {
    synthesize(dir, (app: App) => {
      const stack = new Stack(app, 'Web', { env: ENV });
      new GitHubEcrPublisher(stack, 'Publisher', { repo: 'Octo-Org/ChatGPT-Web' });
      CoreAnnotations.of(stack).addInfo(`record it: ${identityContextKey('github.com', 'octo-org/api')}`);
    });
    gh.answer({ ...NAME_FORM, ...repository('octo-org/api', { owner: 9919, repo: 7 }, { use_default: true, use_immutable_subject: false, sub_claim_prefix: 'repo:octo-org/api' }) });
    const result = run(['identity']);
    expect(result.code).toBe(0);
    expect(Object.keys(contextOf()).sort()).toEqual(['cdk-github-ecr-publisher:identity:github.com:octo-org/api', KEY]);
    expect(result.err).toContain('[2/2]');
  });
});

describe('--check', () => {
  beforeEach(() => {
    dir.write('cdk.context.json', { [KEY]: BASE });
  });

  test('as recorded: exit 0, nothing written', () => {
    gh.answer(asTyped(NAME_FORM));
    const before = fs.readFileSync(dir.file('cdk.context.json'), 'utf8');
    expect(run(['identity', '--check', 'octo-org/chatgpt-web'])).toEqual({ code: 0, out: 'ok github.com Octo-Org/ChatGPT-Web: as recorded 2026-12-07T03:00:00.000Z\n', err: '' });
    expect(fs.readFileSync(dir.file('cdk.context.json'), 'utf8')).toBe(before);
  });

  test.each<[string, GhTable, RegExp]>([
    ['re-created (same name, another ID)', asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 999 }, { use_default: true, sub_claim_prefix: 'repo:Octo-Org/ChatGPT-Web' })),
      /DIFFERS github\.com octo-org\/chatgpt-web: the IDs changed \(owner 9919 -> 9919, repository 123456 -> 999\): the repository was deleted and re-created, or transferred/],
    ['renamed (GitHub now answers with another name)', { 'repos/octo-org/chatgpt-web': { body: { id: 123456, full_name: 'Octo-Org/web', owner: { id: 9919 } } }, 'repos/Octo-Org/web/actions/oidc/customization/sub': { body: { use_default: true, sub_claim_prefix: 'repo:Octo-Org/web' } } },
      /the name changed \(Octo-Org\/ChatGPT-Web -> Octo-Org\/web\)/],
    ['now emits immutable subjects', asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, { use_default: true, use_immutable_subject: true, sub_claim_prefix: 'repo:Octo-Org@9919/ChatGPT-Web@123456' })),
      /the subject format changed \("repo:Octo-Org\/ChatGPT-Web" -> "repo:Octo-Org@9919\/ChatGPT-Web@123456"\)/],
  ])('%s: exit 1, naming the change', (_case, table, message) => {
    gh.answer(table);
    const result = run(['identity', '--check', 'octo-org/chatgpt-web']);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(message);
    expect(result.err).toMatch(/1 of 1 repositories differ from cdk\.context\.json/);
  });

  test('a repository not recorded is a difference', () => {
    gh.answer(repository('octo-org/api', { owner: 9919, repo: 7 }, { use_default: true, sub_claim_prefix: 'repo:octo-org/api' }));
    const result = run(['identity', '--check', 'octo-org/api']);
    expect(result).toEqual(expect.objectContaining({ code: 1, out: 'DIFFERS github.com octo-org/api: not recorded\n' }));
  });
});

describe('refusals, each saying what to do', () => {
  test.each<[string, GhTable, RegExp]>([
    ['not found, or not visible to the token', {}, /octo-org\/chatgpt-web was not found on github\.com, or the token cannot see it: .*GITHUB_TOKEN reads only its own repository/],
    ['the repository is forbidden', { 'repos/octo-org/chatgpt-web': { status: 403, body: { message: 'Resource not accessible by integration' } } },
      /the token cannot read octo-org\/chatgpt-web on github\.com \(HTTP 403\)/],
    ['the subject customisation is forbidden', { ...asTyped(NAME_FORM), 'repos/Octo-Org/ChatGPT-Web/actions/oidc/customization/sub': { status: 403, body: { message: 'Must have admin rights' } } },
      /cannot read the OIDC subject customisation of Octo-Org\/ChatGPT-Web \(HTTP 403\): the token needs the repo scope/],
    ['the organisation template without read:org', asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, { use_default: false, sub_claim_prefix: 'x' })),
      /uses its organisation's subject template, which the token cannot read \(HTTP 404\): it needs the read:org scope \(`gh auth refresh --hostname github\.com --scopes read:org`\)/],
    ['a template without a repository claim', asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, { use_default: false, include_claim_keys: ['context'], sub_claim_prefix: 'context' })),
      /the repository's subject template of Octo-Org\/ChatGPT-Web is \["context"\], which cannot be trusted as it is: it names no repository claim/],
    ['a template with a claim GitHub does not document', asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 123456 }, { use_default: false, include_claim_keys: ['repo', 'team'], sub_claim_prefix: 'repo:x' })),
      /\["team"\] is not a claim GitHub documents/],
    ['not logged in', { 'repos/octo-org/chatgpt-web': { exit: 4, stderr: 'To get started with GitHub CLI, please run:  gh auth login\n' } },
      /gh is not logged in to github\.com: run `gh auth login --hostname github\.com` \(or set GH_TOKEN\)/],
  ])('%s', (_case, table, message) => {
    gh.answer(table);
    const result = run(['identity', 'octo-org/chatgpt-web']);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(message);
    expect(fs.existsSync(dir.file('cdk.context.json'))).toBe(false);
  });

  test('no gh on PATH', () => {
    const result = run(['identity', 'octo-org/chatgpt-web'], { ...process.env, PATH: dir.file('empty') });
    expect(result).toEqual(expect.objectContaining({ code: 1, err: expect.stringContaining('gh (the GitHub CLI) is not on PATH') }));
  });

  test('GitHub Enterprise Server: refused with the reason, before any call', () => {
    const result = run(['identity', '--hostname', 'github.example.com', 'octo-org/chatgpt-web']);
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/"github\.example\.com" is neither github\.com nor a GitHub Enterprise Cloud host .*GitHub Enterprise Server has no immutable subjects/);
    expect(gh.calls()).toEqual([]);
  });

  test.each([['octo-org/*'], ['octo-org/chatgpt-web/x'], ['https://github.com/octo-org/chatgpt-web']])('%j is not OWNER/REPO (exit 2)', (repo) => {
    expect(run(['identity', repo])).toEqual(expect.objectContaining({ code: 2, err: expect.stringMatching(/is not a GitHub repository "owner\/name"/) }));
  });

  test('a recorded identity is not changed silently: --refresh refuses the change, --replace makes it and says so', () => {
    dir.write('cdk.context.json', { [KEY]: BASE });
    gh.answer(asTyped(repository('Octo-Org/ChatGPT-Web', { owner: 9919, repo: 999 }, { use_default: true, sub_claim_prefix: 'repo:Octo-Org/ChatGPT-Web' })));
    const refused = run(['identity', '--refresh', 'octo-org/chatgpt-web']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/already records another answer; nothing was written\. .*recorded Octo-Org\/ChatGPT-Web \(owner 9919, repository 123456, .*this run would record Octo-Org\/ChatGPT-Web \(owner 9919, repository 999/);
    expect(contextOf()[KEY]).toEqual(BASE);
    const replaced = run(['identity', '--refresh', '--replace', 'octo-org/chatgpt-web']);
    expect(replaced.code).toBe(0);
    expect(replaced.err).toMatch(/note: replaced the record of "cdk-github-ecr-publisher:identity:github\.com:octo-org\/chatgpt-web": was .*repository 123456/);
    expect(contextOf()[KEY].repositoryId).toBe(999);
  });

  test('--refresh with nothing changed keeps the record (and its time) as it is', () => {
    const earlier = { ...BASE, recordedAt: '2026-11-01T00:00:00.000Z' };
    dir.write('cdk.context.json', { [KEY]: earlier });
    gh.answer(asTyped(NAME_FORM));
    expect(run(['identity', '--refresh', 'octo-org/chatgpt-web']).code).toBe(0);
    expect(contextOf()[KEY]).toEqual(earlier);
  });

  test('a context file that is a symbolic link is refused (the shared writer)', () => {
    const target = dir.write('elsewhere.json', {});
    fs.symlinkSync(target, dir.file('cdk.context.json'));
    gh.answer(asTyped(NAME_FORM));
    expect(run(['identity', 'octo-org/chatgpt-web']).err).toMatch(/cdk\.context\.json is a symbolic link/);
    expect(fs.readFileSync(target, 'utf8')).toBe('{}');
  });
});

describe('many repositories: rate limits and resume', () => {
  test('a rate-limit answer is waited out until the limit resets, then retried', () => {
    const reset = Math.floor(Date.now() / 1000) + 120;
    gh.answer({
      ...asTyped(NAME_FORM),
      'repos/octo-org/chatgpt-web': [{ status: 403, body: { message: 'API rate limit exceeded for user ID 1.' } }, asTyped(NAME_FORM)['repos/octo-org/chatgpt-web'] as object],
      'rate_limit': { body: { resources: { core: { limit: 5000, remaining: 0, reset } } } },
    });
    const result = run(['identity', 'octo-org/chatgpt-web']);
    expect(result.code).toBe(0);
    expect(slept).toHaveLength(1);
    expect(slept[0]).toBeGreaterThanOrEqual(115);
    expect(slept[0]).toBeLessThanOrEqual(122);
    expect(result.err).toMatch(/GitHub's rate limit \(primary\) answered repos\/octo-org\/chatgpt-web: waiting \d+ s, then retrying \(1 of 5\)/);
    expect(gh.paths()).toEqual(['repos/octo-org/chatgpt-web', 'rate_limit', 'repos/octo-org/chatgpt-web', 'repos/Octo-Org/ChatGPT-Web/actions/oidc/customization/sub']);
  });

  test('a secondary rate limit: a minute, then retried; a limit that does not lift stops the run', () => {
    gh.answer({ 'repos/octo-org/chatgpt-web': { status: 403, body: { message: 'You have exceeded a secondary rate limit.' } } });
    const result = run(['identity', 'octo-org/chatgpt-web']);
    expect(slept).toEqual([60, 60, 60, 60, 60]);
    expect(result.code).toBe(1);
    expect(result.err).toMatch(/GitHub answered repos\/octo-org\/chatgpt-web on github\.com with HTTP 403: "You have exceeded a secondary rate limit\."/);
  });

  test('a run that stops keeps what it recorded; the next run resumes without asking again', () => {
    const names = ['octo-org/a', 'octo-org/b', 'octo-org/c'];
    const table: GhTable = Object.assign({}, ...names.map((n, i) => repository(n, { owner: 9919, repo: i + 1 }, { use_default: true, sub_claim_prefix: `repo:${n}` })));
    gh.answer({ ...table, 'repos/octo-org/b': { status: 404, body: { message: 'Not Found' } } });
    const stopped = run(['identity', ...names]);
    expect(stopped.code).toBe(1);
    expect(stopped.err).toMatch(/stopped at 2 of 3; 1 recorded in cdk\.context\.json this run\. Run the command again to resume/);
    expect(Object.keys(contextOf())).toEqual([identityContextKey('github.com', 'octo-org/a')]);

    gh.answer(table);
    const resumed = run(['identity', ...names]);
    expect(resumed.code).toBe(0);
    expect(gh.paths().filter((p) => p === 'repos/octo-org/a')).toHaveLength(1);
    expect(Object.keys(contextOf())).toEqual(names.map((n) => identityContextKey('github.com', n)));
    expect(resumed.err).toContain('[1/3] octo-org/a: already recorded (2026-12-07T03:00:00.000Z); --refresh asks again');
    expect(resumed.err).toContain('2 recorded, 1 already recorded, in cdk.context.json (commit it)');
  });
});
