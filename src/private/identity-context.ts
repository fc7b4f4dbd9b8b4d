// SPDX-License-Identifier: Apache-2.0
//
// The identity record of a GitHub repository, as the command-line tool's
// `identity` command writes it to cdk.context.json: the repository's and its
// owner's numeric IDs, GitHub's exact spelling of `owner/name`, and the
// subject format GitHub's OIDC customisation endpoint reports. The construct
// reads it with tryGetContext: a key the CDK CLI does not know as a lookup
// would make `cdk synth` fail if it were requested as a context lookup.
import { IConstruct } from 'constructs';
import { GITHUB_COM_ISSUER_HOST } from './constants';
import { invalid } from './errors';
import { IDENTITY_KEY_PREFIX, identityContextKey, IdentityRecord, TemplateSource } from './identity-record';
import type { GitHubIssuer } from '../github-issuer';

/** The command that records (and with `--check` re-checks) a repository's identity. */
export const IDENTITY_COMMAND = 'npx cdk-github-ecr-publisher identity';

/** Said after the command where a user is told to run it: the Python wheel installs it as a command of its own. */
export const WITHOUT_NPX = ' (or the Python wheel\'s cdk-github-ecr-publisher command)';

// The record's type and key are shared with the command-line tool that writes it.
export type { IdentityRecord, TemplateSource } from './identity-record';

/** A record read for a publisher, with the key it was read from. */
export interface ReadIdentity {
  readonly key: string;
  /** The record, or undefined when the context has none under `key`. */
  readonly record?: IdentityRecord;
}

export { identityContextKey };

/**
 * The GitHub host whose API describes the issuer's repositories:
 * `github.com` for the github.com issuer (with or without an enterprise slug),
 * `<subdomain>.ghe.com` for GHE.com. Undefined for GitHub Enterprise Server,
 * which emits no immutable subjects and which the command does not record.
 */
export function githubHostOf(issuer: GitHubIssuer): string | undefined {
  if (!issuer.supportsImmutableSubjects) {
    return undefined;
  }
  if (issuer.hostPath === GITHUB_COM_ISSUER_HOST || issuer.hostPath.startsWith(`${GITHUB_COM_ISSUER_HOST}/`)) {
    return 'github.com';
  }
  const dataResidency = /^token\.actions\.([a-z0-9-]+\.ghe\.com)$/.exec(issuer.hostPath);
  return dataResidency ? dataResidency[1] : undefined;
}

/**
 * Reads the identity record of `repo` from the construct's context. Undefined
 * when the issuer has no recordable host (GitHub Enterprise Server).
 */
export function readIdentityRecord(scope: IConstruct, issuer: GitHubIssuer, repo: string): ReadIdentity | undefined {
  const host = githubHostOf(issuer);
  if (host === undefined) {
    return undefined;
  }
  const key = identityContextKey(host, repo);
  const value: unknown = scope.node.tryGetContext(key);
  return value === undefined ? { key } : { key, record: parseIdentityRecord(key, host, value) };
}

const TEMPLATE_SOURCES: TemplateSource[] = ['default', 'repository', 'organization'];

/**
 * Checks a context value against the record format and returns it typed.
 * Throws an InvalidProp naming the key and the field.
 */
export function parseIdentityRecord(key: string, host: string, value: unknown): IdentityRecord {
  const again = `Record it again with ${IDENTITY_COMMAND} OWNER/REPO (it writes cdk.context.json), or remove the key from cdk.context.json`;
  const field = (name: string) => `context "${key}"${name ? `.${name}` : ''}`;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw invalid(field(''), value, 'is not an identity record (a JSON object)', again);
  }
  const v = value as Record<string, unknown>;
  const str = (name: string): string => {
    if (typeof v[name] !== 'string' || (v[name] as string).length === 0) {
      throw invalid(field(name), v[name], 'is not a non-empty string', again);
    }
    return v[name] as string;
  };
  const id = (name: string): number => {
    if (typeof v[name] !== 'number' || !Number.isSafeInteger(v[name]) || (v[name] as number) <= 0) {
      throw invalid(field(name), v[name], 'is not a positive integer', again);
    }
    return v[name] as number;
  };
  const bool = (name: string): boolean => {
    if (typeof v[name] !== 'boolean') {
      throw invalid(field(name), v[name], 'is not true or false', again);
    }
    return v[name] as boolean;
  };
  if (str('host') !== host) {
    throw invalid(field('host'), v.host, `differs from the key's host "${host}"`, again);
  }
  const fullName = str('fullName');
  if (`${IDENTITY_KEY_PREFIX}${host}:${fullName.toLowerCase()}` !== key) {
    throw invalid(field('fullName'), fullName, 'is not the repository the key names', again);
  }
  const templateSource = str('templateSource') as TemplateSource;
  if (!TEMPLATE_SOURCES.includes(templateSource)) {
    throw invalid(field('templateSource'), templateSource, 'is not a template source', `Use one of ${TEMPLATE_SOURCES.join(', ')}. ${again}`);
  }
  const recordedAt = str('recordedAt');
  if (Number.isNaN(Date.parse(recordedAt))) {
    throw invalid(field('recordedAt'), recordedAt, 'is not an ISO 8601 time', again);
  }
  const useDefault = bool('useDefault');
  const keys = v.includeClaimKeys;
  if (useDefault ? keys !== undefined : !(Array.isArray(keys) && keys.length > 0 && keys.every((k) => typeof k === 'string' && /^[a-z0-9_]+$/.test(k)))) {
    throw invalid(field('includeClaimKeys'), keys, useDefault
      ? 'is set, but useDefault is true (GitHub\'s default template has no claim keys)'
      : 'is not a non-empty list of claim names, but useDefault is false (a customised template)', again);
  }
  return {
    host,
    fullName,
    ownerId: id('ownerId'),
    repositoryId: id('repositoryId'),
    subClaimPrefix: str('subClaimPrefix'),
    useDefault,
    useImmutableSubject: bool('useImmutableSubject'),
    ...(useDefault ? {} : { includeClaimKeys: [...(keys as string[])] }),
    templateSource,
    recordedAt,
  };
}

/**
 * The repository segment GitHub puts in the record's subjects: `name` for
 * `repo:OWNER/NAME`, `immutable` for `repo:OWNER@OWNER_ID/NAME@REPO_ID`.
 *
 * GitHub's `sub_claim_prefix` is the authority (it has been seen in the
 * immutable form while `use_immutable_subject` still said false). For GitHub's
 * default template it must be exactly one of the two forms of the recorded
 * name and IDs. A customised template's prefix need not start with the `repo`
 * claim; when it does not, `use_immutable_subject` decides.
 */
export function subjectFormOf(key: string, record: IdentityRecord): 'name' | 'immutable' {
  const [owner, name] = record.fullName.split('/');
  const immutable = `repo:${owner}@${record.ownerId}/${name}@${record.repositoryId}`;
  const prefix = record.subClaimPrefix;
  if (prefix === immutable || prefix.startsWith(`${immutable}:`)) {
    return 'immutable';
  }
  if (prefix === `repo:${record.fullName}` || prefix.startsWith(`repo:${record.fullName}:`)) {
    return 'name';
  }
  if (record.useDefault || prefix.startsWith('repo:')) {
    throw invalid(`context "${key}".subClaimPrefix`, prefix,
      `is neither "repo:${record.fullName}" nor "${immutable}", the two subject forms of the recorded repository and IDs`,
      `Record it again with ${IDENTITY_COMMAND} ${record.fullName}`);
  }
  return record.useImmutableSubject ? 'immutable' : 'name';
}

/** The props a record is checked against. */
export interface RecordedRepoProps {
  readonly repo: string;
  readonly ownerId?: number;
  readonly repoId?: number;
}

/**
 * A record must agree with the props: `repo` in GitHub's exact spelling (IAM
 * compares the subject case-sensitively), and `ownerId`/`repoId`, when given,
 * equal to the recorded IDs.
 */
export function checkAgainstRecord(props: RecordedRepoProps, key: string, record: IdentityRecord): void {
  if (props.repo !== record.fullName) {
    throw invalid('repo', props.repo, `differs in case from GitHub's spelling "${record.fullName}" (identity record "${key}"), and IAM compares the token's subject case-sensitively`,
      `Set repo to "${record.fullName}"`);
  }
  for (const [prop, recorded] of [['ownerId', record.ownerId], ['repoId', record.repositoryId]] as const) {
    if (props[prop] !== undefined && props[prop] !== recorded) {
      throw invalid(prop, props[prop], `differs from the recorded ID ${recorded} of ${record.fullName} (identity record "${key}", recorded ${record.recordedAt})`,
        `The repository was deleted and re-created, or transferred, or the prop is wrong: check with ${IDENTITY_COMMAND} --check ${record.fullName}, then fix ${prop} or record the identity again`);
    }
  }
}
