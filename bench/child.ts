// SPDX-License-Identifier: Apache-2.0
//
// One measurement: builds one variant's app for N repositories in a fresh
// process, synthesizes it, and prints one JSON line on stdout.
//
//   node child.js <variant> <N> <outdir>
//
// Timings: `loadMs` is requiring aws-cdk-lib and the variant's libraries;
// `synthMs` is building the construct tree plus `app.synth()` (writing
// cdk.out), the part a construct library controls, as wall time and as CPU
// time of the process (user + system, all threads: less sensitive than wall
// time to other work on the machine). The parent also measures the whole
// process (node start-up included).
import { CLI_DEFAULT_CONTEXT, PhaseClock, PhaseTimes } from './phase-clock';
import { build, ACCOUNT, REGION, VariantName } from './variants';

/** What one measured child process reports (bench/run.ts reads it). */
export interface ChildResult extends PhaseTimes {
  readonly variant: string;
  readonly n: number;
  readonly templateFile: string;
}

function main(): void {
  const [variant, nText, outdir] = process.argv.slice(2);
  const n = Number(nText);
  const createOutputs = process.env.BENCH_CREATE_OUTPUTS !== 'false';

  const clock = new PhaseClock();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
  // Load what the variant needs before the clock for synth starts.
  if (variant === 'ours') {
    require('../src');
  } else if (variant === 'alternative') {
    // eslint-disable-next-line import/no-extraneous-dependencies -- pinned devDependency, benchmark only
    require('aws-cdk-github-oidc');
    require('aws-cdk-lib/aws-ecr');
  } else {
    require('aws-cdk-lib/aws-ecr');
    require('aws-cdk-lib/aws-iam');
  }
  clock.loaded();

  const env = { account: ACCOUNT, region: REGION };
  const app = new cdk.App({
    outdir,
    context: {
      ...CLI_DEFAULT_CONTEXT,
      // The alternative needs 3 resources per repository: at N = 200 that is
      // 604, which aws-cdk-lib refuses at synth; lift its check so that the
      // cost can still be measured (run.ts marks the result undeployable).
      ...(variant === 'alternative' ? { '@aws-cdk/core:stackResourceLimit': 0 } : {}),
      ...providerLookupAnswer(cdk, variant, env),
    },
  });
  const stack = new cdk.Stack(app, 'Bench', { env });
  build(variant as VariantName, stack, n, { createOutputs });
  const assembly = app.synth();
  const times = clock.done();

  const result: ChildResult = {
    variant,
    n,
    ...times,
    templateFile: assembly.getStackByName('Bench').templateFullPath,
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

/**
 * With BENCH_PROVIDER_SOURCE=default, ours uses the default provider source
 * (lookupOrCreate). The lookup is answered "not found" through context, as
 * `cdk.context.json` would after the CLI ran it in an account without the
 * provider, so the app creates the provider like the other variants.
 */
function providerLookupAnswer(cdk: typeof import('aws-cdk-lib'), variant: string, env: { account: string; region: string }): Record<string, unknown> {
  if (variant !== 'ours' || process.env.BENCH_PROVIDER_SOURCE !== 'default') {
    return {};
  }
  /* eslint-disable @typescript-eslint/no-require-imports */
  const registry: typeof import('../src/private/provider-registry') = require('../src/private/provider-registry');
  const { PROVIDER_NOT_FOUND }: typeof import('../src/private/constants') = require('../src/private/constants');
  const { GitHubIssuer }: typeof import('../src') = require('../src');
  const scratch = new cdk.Stack(new cdk.App(), 'Bench', { env });
  const { key } = cdk.ContextProvider.getKey(scratch, registry.providerLookupOptions(scratch, GitHubIssuer.GITHUB_COM));
  return { [key]: [{ Arn: PROVIDER_NOT_FOUND }] };
}

main();
