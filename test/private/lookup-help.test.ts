// A `cdk synth` without AWS credentials: the CDK CLI hands the app the failed
// provider lookup's error, and the publisher adds how to synthesize offline.
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisher } from '../../src';
import { PROVIDER_NOT_FOUND } from '../../src/private/constants';
import { OFFLINE_SYNTH_URL } from '../../src/private/lookup-help';
import { ENV, lookupKey, REPO } from '../helpers/fixture';

/** A stack with one publisher (default provider source), synthesized with `context`. */
function publisherStack(context: Record<string, unknown>): Stack {
  const stack = new Stack(new App({ context }), 'Web', { env: ENV });
  new GitHubEcrPublisher(stack, 'Publisher', { repo: REPO });
  return stack;
}

// What the CDK CLI records for a lookup it could not run (the message is the CLI's).
const FAILED = { $providerError: 'Need to perform AWS calls for account 111111111111, but no credentials have been configured', $dontSaveContext: true };

test('the lookup failed for want of credentials: an error at the publisher names the context command and the README section', () => {
  const annotations = Annotations.fromStack(publisherStack({ [lookupKey(ENV)]: FAILED }));
  annotations.hasError('/Web/Publisher', Match.stringLikeRegexp('Need to perform AWS calls'));
  annotations.hasError('/Web/Publisher', Match.stringLikeRegexp(
    'npx cdk-github-ecr-publisher context --not-found.*`--found`.*OidcProviderSource\\.create\\(\\) or existing\\(\\).*' + OFFLINE_SYNTH_URL.replace(/[.?]/g, '\\$&')));
});

test.each([
  ['no answer yet (the first pass of a synth)', {}],
  ['a recorded answer', { [lookupKey(ENV)]: [{ Arn: PROVIDER_NOT_FOUND }] }],
])('%s: no such error', (_case, context) => {
  Annotations.fromStack(publisherStack(context)).hasNoError('*', Match.stringLikeRegexp('cdk-github-ecr-publisher context'));
});
