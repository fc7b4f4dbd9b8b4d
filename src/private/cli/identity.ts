// SPDX-License-Identifier: Apache-2.0
//
// `identity`: asks GitHub (through `gh api`) for each repository's numeric
// IDs, its exact name and the subject format of its OIDC tokens, and records
// them in cdk.context.json (identity-record.ts) with the tool's one context
// writer, so that the constructs trust exactly what GitHub sends. `--check`
// compares the records with GitHub now, for CI.
//
// Calls per repository: the repository, its subject customisation, and the
// organisation's template only when the repository defers to it. Records are
// written in batches as they come, and a run skips repositories already
// recorded, so a long run that stops (a refusal, a rate limit it could not wait
// out, Ctrl-C) resumes where it stopped.
import * as path from 'path';
import { IDENTITY_KEY_PREFIX, identityContextKey, IdentityRecord, immutableSubjectPrefix, parseIdentityRecord, TemplateSource } from '../identity-record';
import { readAssembly } from './cloud-assembly';
import { defineCommand, Io } from './command';
import { ContextEntry, readContextFile, writeContextEntries } from './context-file';
import { GitHubApi, GitHubHttpError, sleepSeconds } from './github-api';
import { printable, quote } from './printable';
import { publisherOutputs } from './secrets';
import { UsageError } from './usage-error';

// The claims GitHub documents for subject templates. A template can be
// honoured only if it names the repository (by name or ID): otherwise its
// subject is shared with other repositories and cannot pin this one.
const KNOWN_CLAIMS = new Set([
  'repo', 'context', 'ref', 'ref_type', 'ref_protected', 'environment', 'environment_node_id', 'job_workflow_ref', 'job_workflow_sha',
  'workflow', 'workflow_ref', 'workflow_sha', 'repository', 'repository_id', 'repository_owner', 'repository_owner_id',
  'repository_visibility', 'actor', 'actor_id', 'event_name', 'head_ref', 'base_ref', 'runner_environment', 'enterprise', 'enterprise_id', 'sha',
]);
const REPOSITORY_CLAIMS = ['repo', 'repository', 'repository_id'];

// Records are written every this many repositories (and when the run ends or stops).
const BATCH = 25;

/** Where the token's subject format is decided; GHES has no immutable subjects and is refused. */
export function checkHost(host: string): string {
  const h = host.toLowerCase();
  if (h === 'github.com' || /^[a-z0-9-]+\.ghe\.com$/.test(h)) {
    return h;
  }
  throw new UsageError(`${quote(host)} is neither github.com nor a GitHub Enterprise Cloud host (NAME.ghe.com): GitHub Enterprise Server ` +
    'has no immutable subjects and no subject-prefix API to record, and its tokens come from the server\'s own issuer; ' +
    'give the trust ownerId and repoId in code instead (GitHubIssuer names the server)', 2);
}

interface RepositoryAnswer {
  readonly id?: unknown;
  readonly full_name?: unknown;
  readonly owner?: { readonly id?: unknown };
}

interface SubjectAnswer {
  readonly use_default?: unknown;
  readonly include_claim_keys?: unknown;
  readonly use_immutable_subject?: unknown;
  readonly sub_claim_prefix?: unknown;
}

/** GitHub's answers for one repository, as a record; throws a UsageError that says what to do. */
export function fetchIdentity(api: GitHubApi, host: string, repository: string, now: Date): IdentityRecord {
  const [owner] = repository.split('/');
  const repo = ask(api, `repos/${repository}`, (status) => status === 404
    ? `${repository} was not found on ${host}, or the token cannot see it: a private repository needs a token that can read it ` +
      '(gh auth login as a member; a classic token with the repo scope; a fine-grained token with Metadata: read on it). ' +
      'A GitHub Actions GITHUB_TOKEN reads only its own repository'
    : `the token cannot read ${repository} on ${host} (HTTP ${status})`) as RepositoryAnswer;
  if (typeof repo?.full_name !== 'string' || !Number.isSafeInteger(repo.id) || !Number.isSafeInteger(repo.owner?.id)) {
    throw new UsageError(`GitHub's answer for ${repository} has no id, owner.id or full_name`);
  }
  const fullName = repo.full_name;
  const sub = ask(api, `repos/${fullName}/actions/oidc/customization/sub`, (status) =>
    `cannot read the OIDC subject customisation of ${fullName} (HTTP ${status}): the token needs the repo scope (classic) ` +
    'or Actions: read on the repository (fine-grained)') as SubjectAnswer;
  if (typeof sub?.use_default !== 'boolean') {
    throw new UsageError(`GitHub's subject customisation answer for ${fullName} has no use_default`);
  }
  let keys = Array.isArray(sub.include_claim_keys) && sub.include_claim_keys.length > 0 ? sub.include_claim_keys as unknown[] : undefined;
  let templateSource: TemplateSource = sub.use_default ? 'default' : 'repository';
  if (!sub.use_default && keys === undefined) {
    // use_default false without keys: the repository uses its organisation's template.
    const org = ask(api, `orgs/${owner}/actions/oidc/customization/sub`, (status) =>
      `${fullName} uses its organisation's subject template, which the token cannot read (HTTP ${status}): ` +
      `it needs the read:org scope (\`gh auth refresh --hostname ${host} --scopes read:org\`)`) as SubjectAnswer;
    keys = Array.isArray(org?.include_claim_keys) && org.include_claim_keys.length > 0 ? org.include_claim_keys as unknown[] : undefined;
    if (keys === undefined) {
      throw new UsageError(`${fullName} defers to its organisation's subject template, but the organisation's answer has no include_claim_keys`);
    }
    templateSource = 'organization';
  }
  if (keys !== undefined) {
    const unknown = keys.filter((k) => typeof k !== 'string' || !KNOWN_CLAIMS.has(k));
    if (unknown.length > 0 || !keys.some((k) => REPOSITORY_CLAIMS.includes(k as string))) {
      throw new UsageError(`the ${templateSource === 'organization' ? 'organisation\'s' : 'repository\'s'} subject template of ${fullName} ` +
        `is ${printable(JSON.stringify(keys))}, which cannot be trusted as it is: ` +
        (unknown.length > 0 ? `${printable(JSON.stringify(unknown))} ${unknown.length === 1 ? 'is not a claim' : 'are not claims'} GitHub documents` :
          `it names no repository claim (${REPOSITORY_CLAIMS.join(', ')}), so other repositories' tokens carry the same subject`) +
        '. Include "repo" (or "repository_id") in the template, or reset it to the default (use_default: true)');
    }
  }
  const useImmutableSubject = sub.use_immutable_subject === true;
  const record = {
    host,
    fullName,
    ownerId: repo.owner!.id as number,
    repositoryId: repo.id as number,
    // The prefix is the value to trust (use_immutable_subject has been seen to lag behind it); without one, the documented default of the flag.
    subClaimPrefix: typeof sub.sub_claim_prefix === 'string' ? sub.sub_claim_prefix
      : useImmutableSubject ? immutableSubjectPrefix({ fullName, ownerId: repo.owner!.id as number, repositoryId: repo.id as number }) : `repo:${fullName}`,
    useDefault: sub.use_default,
    useImmutableSubject,
    ...(keys && { includeClaimKeys: keys as string[] }),
    templateSource,
    recordedAt: now.toISOString(),
  };
  try {
    return parseIdentityRecord(record);
  } catch (e) {
    throw new UsageError(`GitHub's answers for ${fullName} do not make a record this version can trust: ${(e as Error).message}`);
  }
}

function ask(api: GitHubApi, apiPath: string, refusal: (status: number) => string): unknown {
  try {
    return api.get(apiPath);
  } catch (e) {
    if (e instanceof GitHubHttpError && (e.status === 403 || e.status === 404)) {
      throw new UsageError(`${refusal(e.status)} (${e.message})`);
    }
    throw e;
  }
}

/** What changed between a record and GitHub's answer now; empty: nothing. */
export function drift(recorded: IdentityRecord, now: IdentityRecord): string[] {
  const changes: string[] = [];
  if (recorded.repositoryId !== now.repositoryId || recorded.ownerId !== now.ownerId) {
    changes.push(`the IDs changed (owner ${recorded.ownerId} -> ${now.ownerId}, repository ${recorded.repositoryId} -> ${now.repositoryId}): ` +
      'the repository was deleted and re-created, or transferred');
  }
  if (recorded.fullName !== now.fullName) {
    changes.push(`the name changed (${recorded.fullName} -> ${now.fullName}): renamed, transferred, or respelled`);
  }
  const format = (r: IdentityRecord) => JSON.stringify([r.subClaimPrefix, r.templateSource, r.includeClaimKeys ?? []]);
  if (format(recorded) !== format(now)) {
    changes.push(`the subject format changed (${quote(recorded.subClaimPrefix)} -> ${quote(now.subClaimPrefix)}` +
      `${recorded.templateSource !== now.templateSource ? `, template ${recorded.templateSource} -> ${now.templateSource}` : ''})`);
  }
  return changes;
}

/** A record in words, for the refusal to flip one silently. */
function describeRecord(value: unknown): string {
  try {
    const r = parseIdentityRecord(value);
    return `${r.fullName} (owner ${r.ownerId}, repository ${r.repositoryId}, subject ${quote(r.subClaimPrefix)}, recorded ${r.recordedAt})`;
  } catch {
    return printable(JSON.stringify(value));
  }
}

/** The repositories the app names: identity keys in its annotations, and its publishers' outputs. */
function repositoriesOfApp(cdkOut: string, host: string): string[] {
  const assembly = readAssembly(cdkOut);
  // The outputs first: they have the app's spelling, the keys only the lower-cased one.
  const found = assembly.stacks.flatMap((stack) => publisherOutputs(stack).map((o) => o.target.repository));
  const keyRe = new RegExp(`${IDENTITY_KEY_PREFIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([a-z0-9.-]+):([a-z0-9_.-]+/[a-z0-9_.-]+)`, 'g');
  for (const text of assembly.annotations) {
    for (const m of text.matchAll(keyRe)) {
      if (m[1] === host) {
        found.push(m[2]);
      }
    }
  }
  return found;
}

function line(record: IdentityRecord): string {
  const form = record.templateSource !== 'default' ? `a ${record.templateSource} template: ${record.includeClaimKeys!.join(', ')}`
    : record.subClaimPrefix === immutableSubjectPrefix(record) ? 'immutable subjects' : 'name subjects';
  return `${record.host} ${record.fullName}: owner ${record.ownerId}, repository ${record.repositoryId}; tokens carry ${quote(`${record.subClaimPrefix}:...`)} (${form}); ` +
    `to pin in code: ownerId: ${record.ownerId}, repoId: ${record.repositoryId}\n`;
}

export const IDENTITY = defineCommand({
  name: 'identity',
  usage: `
  identity [OWNER/REPO...] [--hostname HOST] [--check] [--refresh] [--replace] [--cdk-out DIR] [--context-file FILE]
      Ask GitHub (with gh api) for each repository's IDs, exact name and OIDC subject
      format, and record them in FILE (default: cdk.context.json), where the constructs
      read them. Without OWNER/REPO: every repository the app in DIR (default: cdk.out)
      names. A run skips repositories already recorded, so a stopped run resumes.
        --hostname HOST  github.com (default, or GH_HOST) or a NAME.ghe.com host; not GHES
        --check          compare the records with GitHub now; exit 1 on any difference
                         (renamed, transferred, re-created, another subject format)
        --refresh        ask again for repositories already recorded
        --replace        replace records that differ (each is reported)
      Token: gh's login, or GH_TOKEN. GITHUB_TOKEN in Actions reads only its own
      repository; other private repositories, and organisation templates (read:org),
      need a token that can read them. Two calls per repository (three with an
      organisation template): a personal token's 5,000 an hour cover ~2,400 repositories.
`,
  options: {
    'hostname': { type: 'string' },
    'check': { type: 'boolean', default: false },
    'refresh': { type: 'boolean', default: false },
    'replace': { type: 'boolean', default: false },
    'cdk-out': { type: 'string', default: 'cdk.out' },
    'context-file': { type: 'string', default: 'cdk.context.json' },
  },
  positionals: 'OWNER/REPO',
  run: (values, positionals, io) => runIdentity(values, positionals, io),
});

interface IdentityValues {
  readonly 'hostname'?: string;
  readonly 'check'?: boolean;
  readonly 'refresh'?: boolean;
  readonly 'replace'?: boolean;
  readonly 'cdk-out'?: string;
  readonly 'context-file'?: string;
}

function runIdentity(values: IdentityValues, positionals: string[], io: Io): number {
  const host = checkHost(values.hostname ?? io.env.GH_HOST ?? 'github.com');
  const contextFile = path.resolve(io.cwd, values['context-file']!);
  const named = positionals.length > 0 ? positionals : repositoriesOfApp(path.resolve(io.cwd, values['cdk-out']!), host);
  const repositories = new Map<string, string>();
  for (const repository of named) {
    let key: string;
    try {
      key = identityContextKey(host, repository);
    } catch (e) {
      throw new UsageError(`identity: ${(e as Error).message}`, 2);
    }
    repositories.set(key, repositories.get(key) ?? repository);
  }
  if (repositories.size === 0) {
    throw new UsageError(`identity: name the repositories (OWNER/REPO), or synthesize the app first: ${values['cdk-out']} names none`, 2);
  }
  const api = new GitHubApi({ host, env: io.env, cwd: io.cwd, sleep: io.sleep ?? sleepSeconds, note: io.err });
  const context = readContextFile(contextFile);
  const recordedOf = (key: string): IdentityRecord | undefined => {
    if (context[key] === undefined) {
      return undefined;
    }
    try {
      return parseIdentityRecord(context[key], key);
    } catch (e) {
      if (values.check) {
        return undefined;
      }
      throw new UsageError(`${values['context-file']}: ${(e as Error).message}`);
    }
  };
  const now = io.now ?? (() => new Date());
  const total = repositories.size;
  const progress = (i: number, text: string) => {
    if (total > 1) {
      io.err(`[${i}/${total}] ${text}\n`);
    }
  };

  if (values.check) {
    let drifted = 0;
    let i = 0;
    for (const [key, repository] of repositories) {
      i++;
      const recorded = recordedOf(key);
      const current = fetchIdentity(api, host, repository, now());
      const changes = recorded === undefined
        ? [context[key] === undefined ? 'not recorded' : 'the record cannot be read']
        : drift(recorded, current);
      progress(i, `${repository}: ${changes.length === 0 ? 'as recorded' : 'differs'}`);
      if (changes.length === 0) {
        io.out(`ok ${host} ${current.fullName}: as recorded ${recorded!.recordedAt}\n`);
      } else {
        drifted++;
        io.out(`DIFFERS ${host} ${repository}: ${changes.join('; ')}\n`);
      }
    }
    if (drifted > 0) {
      io.err(`${drifted} of ${total} repositories differ from ${values['context-file']}: record them again ` +
        '(`cdk-github-ecr-publisher identity --refresh --replace OWNER/REPO`) after checking why, then review the trust change in `cdk diff`\n');
      return 1;
    }
    return 0;
  }

  const pending: ContextEntry[] = [];
  let written = 0;
  let skipped = 0;
  const flush = () => {
    if (pending.length === 0) {
      return;
    }
    const result = writeContextEntries(contextFile, pending, { replace: values.replace === true, describe: describeRecord, replaceOption: '--replace' });
    for (const change of result.replaced) {
      io.err(`note: replaced the record of ${quote(change.key)}: was ${describeRecord(change.previous)}\n`);
    }
    written += pending.length;
    pending.length = 0;
  };
  let i = 0;
  try {
    for (const [key, repository] of repositories) {
      i++;
      const recorded = recordedOf(key);
      if (recorded !== undefined && !values.refresh) {
        skipped++;
        progress(i, `${repository}: already recorded (${recorded.recordedAt}); --refresh asks again`);
        continue;
      }
      let record = fetchIdentity(api, host, repository, now());
      // Only the time differs: keep the record as it is (nothing changed on GitHub).
      if (recorded !== undefined && drift(recorded, record).length === 0) {
        record = recorded;
      }
      progress(i, `${repository}: recorded`);
      io.out(line(record));
      pending.push({ key, value: record });
      if (pending.length >= BATCH) {
        flush();
      }
    }
  } catch (e) {
    try {
      flush();
    } finally {
      if (e instanceof UsageError && total > 1) {
        io.err(`stopped at ${i} of ${total}; ${written} recorded in ${values['context-file']} this run. Run the command again to resume\n`);
      }
    }
    throw e;
  }
  flush();
  io.err(`${written} recorded, ${skipped} already recorded, in ${values['context-file']} (commit it)\n`);
  return 0;
}
