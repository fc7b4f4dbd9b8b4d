// SPDX-License-Identifier: Apache-2.0
//
// A GitHub repository's identity as GitHub reports it, recorded in
// cdk.context.json by the command-line tool (`identity`) and read by the
// constructs with tryGetContext. One format for both sides, so no aws-cdk-lib
// or construct import here: the tool runs without them.
//
// Key:   cdk-github-ecr-publisher:identity:<host>:<owner>/<repo>   (host, owner and repo lower-cased)
// Value: { "host": "github.com", "fullName": "Octo-Org/Web", "ownerId": 1, "repositoryId": 2,
//          "subClaimPrefix": "repo:Octo-Org/Web", "useDefault": true, "useImmutableSubject": false,
//          "templateSource": "default", "recordedAt": "2026-12-07T03:00:00.000Z" }
// with "includeClaimKeys": [...] only when the subject template is customised
// (the organisation's keys when the repository defers to it).

export const IDENTITY_KEY_PREFIX = 'cdk-github-ecr-publisher:identity:';

/** Where the subject template comes from. */
export type TemplateSource = 'default' | 'repository' | 'organization';

const TEMPLATE_SOURCES: readonly TemplateSource[] = ['default', 'repository', 'organization'];

/** One repository's identity and OIDC subject format, as GitHub's API reported them. */
export interface IdentityRecord {
  /** The GitHub host, lower-case: `github.com` or a GHE.com host such as `octo.ghe.com`. */
  readonly host: string;
  /** GitHub's exact spelling of `owner/name` (`full_name`). */
  readonly fullName: string;
  /** `owner.id` */
  readonly ownerId: number;
  /** `id` */
  readonly repositoryId: number;
  /** `sub_claim_prefix` of the subject customisation: what GitHub puts before `:ref:...` / `:environment:...`. */
  readonly subClaimPrefix: string;
  /** `use_default` */
  readonly useDefault: boolean;
  /** `use_immutable_subject` (may lag behind `sub_claim_prefix`, which is the value to trust). */
  readonly useImmutableSubject: boolean;
  /** The claim keys of a customised template (the organisation's when the repository defers to it). */
  readonly includeClaimKeys?: string[];
  readonly templateSource: TemplateSource;
  /** When the tool asked GitHub (ISO 8601). */
  readonly recordedAt: string;
}

// Hosts as DNS names; owners and repositories in the characters GitHub allows
// (owners: letters, digits, inner hyphens, an Enterprise Managed User's _shortcode).
const HOST_RE = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;
const FULL_NAME_RE = /^([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}(?:_[A-Za-z0-9]+)?)\/([A-Za-z0-9._-]{1,100})$/;

/** The context key of `owner/repo` on `host`; throws for a host or name GitHub cannot have. */
export function identityContextKey(host: string, repository: string): string {
  const h = host.toLowerCase();
  if (!HOST_RE.test(h)) {
    throw new Error(`${JSON.stringify(host)} is not a GitHub host name (e.g. "github.com" or "octo.ghe.com")`);
  }
  if (!FULL_NAME_RE.test(repository)) {
    throw new Error(`${JSON.stringify(repository)} is not a GitHub repository "owner/name"`);
  }
  return `${IDENTITY_KEY_PREFIX}${h}:${repository.toLowerCase()}`;
}

/** The subject prefix of the name form, `repo:OWNER/NAME`. */
export function nameSubjectPrefix(record: Pick<IdentityRecord, 'fullName'>): string {
  return `repo:${record.fullName}`;
}

/** The subject prefix of the immutable form, `repo:OWNER@OWNER_ID/NAME@REPO_ID`. */
export function immutableSubjectPrefix(record: Pick<IdentityRecord, 'fullName' | 'ownerId' | 'repositoryId'>): string {
  const [owner, name] = record.fullName.split('/');
  return `repo:${owner}@${record.ownerId}/${name}@${record.repositoryId}`;
}

/** Whether the recorded prefix is the immutable form (what GitHub now sends, whatever use_immutable_subject says). */
export function emitsImmutableSubjects(record: IdentityRecord): boolean {
  return record.subClaimPrefix === immutableSubjectPrefix(record);
}

/**
 * Reads a recorded value; throws an Error that names the key and says what is
 * wrong (the record is edited by hand sometimes, and the trust depends on it).
 *
 * @param key the context key it was stored under: it must be the key of the record's host and name
 */
export function parseIdentityRecord(value: unknown, key?: string): IdentityRecord {
  const where = key === undefined ? 'the identity record' : `the identity record ${JSON.stringify(key)}`;
  const fail = (problem: string): never => {
    const message = `${where} ${problem}; record it again with \`cdk-github-ecr-publisher identity\``;
    throw new Error(message);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return fail('is not a JSON object');
  }
  const r = value as Record<string, unknown>;
  const known = ['host', 'fullName', 'ownerId', 'repositoryId', 'subClaimPrefix', 'useDefault', 'useImmutableSubject', 'includeClaimKeys', 'templateSource', 'recordedAt'];
  const unknown = Object.keys(r).filter((k) => !known.includes(k));
  if (unknown.length > 0) {
    fail(`has fields this version does not know (${unknown.join(', ')})`);
  }
  const text = (field: string): string => (typeof r[field] === 'string' && r[field] !== '' ? r[field] as string : fail(`has no ${field} string`));
  const id = (field: string): number => (Number.isSafeInteger(r[field]) && (r[field] as number) > 0 ? r[field] as number : fail(`has no ${field} (a positive integer)`));
  const flag = (field: string): boolean => (typeof r[field] === 'boolean' ? r[field] as boolean : fail(`has no ${field} (true or false)`));

  const host = text('host');
  if (!HOST_RE.test(host)) {
    fail(`has host ${JSON.stringify(host)}, not a lower-case host name`);
  }
  const fullName = text('fullName');
  if (!FULL_NAME_RE.test(fullName)) {
    fail(`has fullName ${JSON.stringify(fullName)}, not a GitHub "owner/name"`);
  }
  const ownerId = id('ownerId');
  const repositoryId = id('repositoryId');
  const subClaimPrefix = text('subClaimPrefix');
  if (/[\x00-\x1f\x7f*?]/.test(subClaimPrefix) || subClaimPrefix.includes('${')) {
    fail(`has subClaimPrefix ${JSON.stringify(subClaimPrefix)}, with a control character, a wildcard or "\${"`);
  }
  const useDefault = flag('useDefault');
  const useImmutableSubject = flag('useImmutableSubject');
  const templateSource = text('templateSource') as TemplateSource;
  if (!TEMPLATE_SOURCES.includes(templateSource)) {
    fail(`has templateSource ${JSON.stringify(templateSource)}, not one of ${TEMPLATE_SOURCES.join(', ')}`);
  }
  if (useDefault !== (templateSource === 'default')) {
    fail(`has useDefault ${useDefault} with templateSource "${templateSource}" (the default template is used exactly when useDefault is true)`);
  }
  let includeClaimKeys: string[] | undefined;
  if (templateSource === 'default') {
    if (r.includeClaimKeys !== undefined) {
      fail('has includeClaimKeys with the default template');
    }
    if (subClaimPrefix !== nameSubjectPrefix({ fullName }) && subClaimPrefix !== immutableSubjectPrefix({ fullName, ownerId, repositoryId })) {
      fail(`has subClaimPrefix ${JSON.stringify(subClaimPrefix)}, which is neither "${nameSubjectPrefix({ fullName })}" nor ` +
        `"${immutableSubjectPrefix({ fullName, ownerId, repositoryId })}", the two forms of the default template`);
    }
  } else {
    const keys = r.includeClaimKeys;
    if (!Array.isArray(keys) || keys.length === 0 || keys.some((k) => typeof k !== 'string' || !/^[a-z_]+$/.test(k))) {
      fail('has a customised template without includeClaimKeys (a list of claim names such as "repo", "context")');
    }
    includeClaimKeys = [...keys as string[]];
  }
  const recordedAt = text('recordedAt');
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(recordedAt) || Number.isNaN(Date.parse(recordedAt))) {
    fail(`has recordedAt ${JSON.stringify(recordedAt)}, not an ISO 8601 time`);
  }
  if (key !== undefined && key !== identityContextKey(host, fullName)) {
    fail(`is for ${host} ${fullName}, whose key is ${JSON.stringify(identityContextKey(host, fullName))}`);
  }
  return {
    host,
    fullName,
    ownerId,
    repositoryId,
    subClaimPrefix,
    useDefault,
    useImmutableSubject,
    ...(includeClaimKeys && { includeClaimKeys }),
    templateSource,
    recordedAt,
  };
}
