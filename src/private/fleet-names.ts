// SPDX-License-Identifier: Apache-2.0
//
// The names a fleet derives from a GitHub repository, by a rule simple enough
// for a workflow to compute from `github.repository` alone (the organisation
// workflow does it in a few lines of shell, and a test compares the two).
import { createHash } from 'crypto';

/** IAM role names are at most 64 characters. */
export const MAX_ROLE_NAME = 64;
const HASH_LENGTH = 8;
/**
 * Separates the kept prefix from the hash: a character IAM allows in role
 * names and GitHub never puts in owner or repository names, so a shortened
 * name can never be the full name of another repository.
 */
const HASH_SEPARATOR = '+';

/**
 * The role name of a repository: `owner.repo` in lower case. GitHub owners
 * never contain ".", so the first "." separates owner and repository and no
 * two repositories share a name; IAM compares role names case-insensitively,
 * like GitHub compares repository names. Longer than 64 characters, it keeps
 * the first 55 and adds "+" and the first 8 hex digits of the SHA-256 of the
 * lower-cased `owner/repo`.
 */
export function fleetRoleName(repository: string): string {
  const full = repository.toLowerCase();
  const name = full.replace('/', '.');
  if (name.length <= MAX_ROLE_NAME) {
    return name;
  }
  const hash = createHash('sha256').update(full, 'utf8').digest('hex').slice(0, HASH_LENGTH);
  return `${name.slice(0, MAX_ROLE_NAME - HASH_LENGTH - 1)}${HASH_SEPARATOR}${hash}`;
}

/** The ECR repository name of a repository: `owner/repo` in lower case (an ECR namespace per owner). */
export function fleetRepositoryName(repository: string): string {
  return repository.toLowerCase();
}

/** The prefix every derived ECR repository name of an owner starts with: `owner/`. */
export function fleetNamespace(repository: string): string {
  return `${fleetRepositoryName(repository).split('/')[0]}/`;
}

/**
 * The same rule in POSIX shell (bash), for the organisation workflow: reads
 * `$REPOSITORY`, sets `role` and `ecr_repository`.
 */
export const FLEET_NAMES_SHELL = [
  'full="$(printf \'%s\' "$REPOSITORY" | tr \'[:upper:]\' \'[:lower:]\')"',
  'role="${full/\\//.}"',
  `if [ "\${#role}" -gt ${MAX_ROLE_NAME} ]; then`,
  `  role="\${role:0:${MAX_ROLE_NAME - HASH_LENGTH - 1}}${HASH_SEPARATOR}$(printf '%s' "$full" | sha256sum | cut -c1-${HASH_LENGTH})"`,
  'fi',
  'ecr_repository="$full"',
].join('\n');
