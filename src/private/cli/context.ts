// SPDX-License-Identifier: Apache-2.0
//
// `context`: records the answer to the GitHub OIDC provider lookup in
// cdk.context.json, for a `cdk synth` that runs without AWS credentials (CI).
// The keys come from the lookups the app reported missing in its cloud
// assembly (`cdk synth --no-lookups` stops there and leaves cdk.out), so they
// are exactly the keys aws-cdk-lib computes; the values have the shape the
// CDK CLI's Cloud Control context provider writes.
import { PROVIDER_LOOKUP_PROPERTIES, PROVIDER_NOT_FOUND, PROVIDER_TYPE_NAME } from '../constants';
import { partitionOfRegionName } from '../partitions';
import { MissingContext, readAssembly } from './cloud-assembly';
import { ContextWrite, writeContextEntries } from './context-file';
import { UsageError } from './usage-error';

/** What the user states about the account: it has the provider, or not. */
export type ProviderAnswer = 'found' | 'not-found';

export interface RecordedLookup {
  readonly key: string;
  readonly value: unknown;
}

export interface ContextResult {
  readonly recorded: RecordedLookup[];
  /** Other lookups the app still needs (they need credentials, or their own answer). */
  readonly otherMissing: MissingContext[];
  /** What changed in the context file. */
  readonly write: ContextWrite;
}

const PROVIDER_ARN_RE = /^arn:[a-z-]+:iam::\d{12}:oidc-provider\/.+$/;

/** Whether a missing-context entry is the provider lookup of a GitHubEcrPublisher. */
export function isProviderLookup(entry: MissingContext): boolean {
  const props = entry.props ?? {};
  return entry.provider === 'cc-api-provider'
    && props.typeName === PROVIDER_TYPE_NAME
    && JSON.stringify(props.propertiesToReturn) === JSON.stringify(PROVIDER_LOOKUP_PROPERTIES)
    && typeof props.exactIdentifier === 'string' && PROVIDER_ARN_RE.test(props.exactIdentifier);
}

/** The value the CDK CLI would cache for the lookup. */
export function lookupAnswer(entry: MissingContext, answer: ProviderAnswer): unknown {
  if (answer === 'not-found') {
    return [{ Arn: PROVIDER_NOT_FOUND }];
  }
  const arn = entry.props.exactIdentifier as string;
  // The audience the publisher's role requires in this region's partition (sts.amazonaws.com, sts.amazonaws.com.cn, ...).
  const audience = `sts.${partitionOfRegionName(String(entry.props.region ?? '')).dnsSuffix}`;
  return [{ Arn: arn, ClientIdList: [audience], Identifier: arn }];
}

/** A recorded provider answer, in words. */
export function describeAnswer(value: unknown): string {
  const first: unknown = Array.isArray(value) ? value[0] : undefined;
  const arn = typeof first === 'object' && first !== null ? (first as { Arn?: unknown }).Arn : undefined;
  if (arn === PROVIDER_NOT_FOUND) {
    return '"not found" (the app creates the provider)';
  }
  return typeof arn === 'string' ? `"found" (${arn})` : JSON.stringify(value);
}

/**
 * Adds the answer of every missing provider lookup of `cdkOut` to
 * `contextFile`; an answer already recorded there is replaced only with `replace`.
 */
export function recordProviderLookups(cdkOut: string, contextFile: string, answer: ProviderAnswer, replace = false): ContextResult {
  const assembly = readAssembly(cdkOut);
  const lookups = assembly.missing.filter(isProviderLookup);
  const otherMissing = assembly.missing.filter((m) => !isProviderLookup(m));
  if (lookups.length === 0) {
    throw new UsageError(`${cdkOut} reports no missing GitHub OIDC provider lookup: run \`cdk synth --no-lookups\` first ` +
      '(it stops because lookups are missing and leaves the cloud assembly that lists them). ' +
      `If that synth succeeds, ${contextFile} already has every answer it needs`);
  }
  const recorded = lookups.map((entry) => ({ key: entry.key, value: lookupAnswer(entry, answer) }));
  const write = writeContextEntries(contextFile, recorded, { replace, describe: describeAnswer, replaceOption: '--replace' });
  return { recorded, otherMissing, write };
}
