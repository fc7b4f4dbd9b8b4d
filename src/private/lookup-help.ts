// SPDX-License-Identifier: Apache-2.0
//
// The provider lookup is the one thing `cdk synth` needs AWS credentials for.
// When the CDK CLI could not run it (no credentials, access denied), it hands
// the app its error in place of an answer and reports it as "Need to perform
// AWS calls for account ..."; this adds, at the same publisher, what to do
// instead: record the answer (the tool's `context` command) or pick a provider
// source that needs no lookup.
import { Annotations } from 'aws-cdk-lib';
import { Construct } from 'constructs';

/** The README section on synthesizing without AWS credentials. */
export const OFFLINE_SYNTH_URL = 'https://github.com/cdk-github-ecr-publisher/cdk-github-ecr-publisher/blob/main/README.md#synthesize-without-aws-credentials-ci';

// The context value the CDK CLI records when a lookup fails (aws-cdk-lib's
// cx-api PROVIDER_ERROR_KEY); spelled out because cx-api's re-export of it is
// kept only for compatibility.
const PROVIDER_ERROR_KEY = '$providerError';

/** Adds the library's own error next to the CDK's when the lookup under `key` failed. */
export function explainFailedProviderLookup(scope: Construct, key: string): void {
  const value: unknown = scope.node.tryGetContext(key);
  const error = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[PROVIDER_ERROR_KEY] : undefined;
  if (typeof error !== 'string') {
    return;
  }
  Annotations.of(scope).addError('The lookup of the account\'s GitHub OIDC provider needs AWS credentials, and it failed (the CDK\'s message says why). ' +
    'To synthesize without credentials, record its answer once: `cdk synth --no-lookups`, then ' +
    '`npx cdk-github-ecr-publisher context --not-found` (the account has no GitHub OIDC provider: the app creates it) or `--found` ' +
    '(Python: the same command without npx), then `cdk synth --no-lookups` again; commit cdk.context.json. ' +
    `Or pick OidcProviderSource.create() or existing(), which need no lookup. See ${OFFLINE_SYNTH_URL}`);
}
