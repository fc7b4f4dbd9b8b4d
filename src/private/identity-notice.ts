// SPDX-License-Identifier: Apache-2.0
//
// The warning a publisher without an identity record gets, and the one
// warning a fleet gets instead of one per repository (`cdk synth --strict`
// fails on warnings, and a fleet of thousands must not print thousands).
import { Annotations, Stack } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { WARNING_PREFIX } from './constants';
import { IDENTITY_COMMAND, WITHOUT_NPX } from './identity-context';

/** The id of the warning, to acknowledge it. */
export const IDENTITY_NOT_RECORDED = `${WARNING_PREFIX}:identityNotRecorded`;

/** Why a publisher without a record is at risk. */
export interface MissingIdentity {
  readonly repo: string;
  /** The context key the record belongs under. */
  readonly key: string;
  /** How the role guesses: by pattern (claim conditions, no IDs), name form only (no claim conditions, no IDs), or IDs pinned in code. */
  readonly guess: 'pattern' | 'nameOnly' | 'ids';
}

const missing = new WeakMap<IConstruct, MissingIdentity>();

const IMMUTABLE_SINCE = 'repositories created, renamed or transferred on github.com since 2026-07-15, and those that opted in';

/** Warns on a publisher that its repository has no identity record, and remembers it for its fleet. */
export function warnIdentityNotRecorded(publisher: IConstruct, m: MissingIdentity): void {
  missing.set(publisher, m);
  const [owner, name] = m.repo.split('/');
  const detail = {
    pattern: `It admits the immutable subject by pattern (repo:${owner}@*/${name}@*:...) with a repository-name pin, which also admits a deleted and re-created repository of the same name.`,
    nameOnly: `Without claim conditions here, it admits only the name form (repo:${m.repo}:...): if the repository emits immutable subjects (${IMMUTABLE_SINCE}), ` +
      'every run is refused with "Not authorized to perform sts:AssumeRoleWithWebIdentity".',
    ids: 'ownerId and repoId pin its IDs, but which form it emits, and a customised subject template, are not known.',
  }[m.guess];
  Annotations.of(publisher).addWarningV2(IDENTITY_NOT_RECORDED,
    `No identity record for ${m.repo} in the context (key "${m.key}"): the trust policy guesses the subject GitHub sends. ${detail} ` +
    `Run "${IDENTITY_COMMAND} ${m.repo}"${WITHOUT_NPX} in the app's directory before deploying and commit cdk.context.json; then set requireIdentityRecord: true, ` +
    'so that a cleared context fails the synth instead of changing the trust.');
}

/**
 * Replaces the warnings of a fleet's publishers without an identity record by
 * one warning, on the stack of the first of them. The fleet calls it once,
 * after creating its publishers.
 */
export function warnFleetIdentityNotRecorded(fleet: IConstruct, publishers: IConstruct[]): void {
  const unrecorded = publishers.filter((p) => missing.has(p));
  if (unrecorded.length === 0) {
    return;
  }
  const notes = unrecorded.map((p) => missing.get(p)!);
  for (const p of unrecorded) {
    Annotations.of(p).acknowledgeWarning(IDENTITY_NOT_RECORDED, 'reported once for the fleet');
  }
  const count = (guess: MissingIdentity['guess']) => notes.filter((n) => n.guess === guess).length;
  const shown = notes.slice(0, 5).map((n) => n.repo).join(', ') + (notes.length > 5 ? ` and ${notes.length - 5} more` : '');
  const pattern = count('pattern');
  const nameOnly = count('nameOnly');
  Annotations.of(Stack.of(unrecorded[0])).addWarningV2(IDENTITY_NOT_RECORDED,
    `${notes.length} of the ${publishers.length} repositories of the fleet ${fleet.node.path} have no identity record in the context (${shown}): their trust policies guess the subject GitHub sends. ` +
    (pattern > 0 ? `${pattern} of them admit the immutable subject by pattern with a repository-name pin, which also admits a deleted and re-created repository of the same name. ` : '') +
    (nameOnly > 0 ? `${nameOnly} of them have no claim conditions and admit only the name form: those that emit immutable subjects (${IMMUTABLE_SINCE}) are locked out. ` : '') +
    `Run "${IDENTITY_COMMAND}"${WITHOUT_NPX} in the app's directory before deploying (it records every repository of the app) and commit cdk.context.json; ` +
    'then set requireIdentityRecord: true in the fleet\'s defaults, so that a cleared context fails the synth instead of changing the trust.');
}
