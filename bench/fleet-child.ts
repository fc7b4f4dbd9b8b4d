// SPDX-License-Identifier: Apache-2.0
//
// One fleet measurement: builds a GitHubEcrPublisherFleet of N repositories in
// a fresh process, synthesizes it, and prints one JSON line on stdout.
//
//   node fleet-child.js <N> <shards> <outdir>
//
// The repositories are `org-<k>/service-<i>` (50 owners), half of them with a
// GitHub Environment, all with the fleet's organisation workflow, so each role
// trusts the repository's own workflow file and the shared one. The role
// quota is raised to 5,000 (the most IAM grants) so that 4,900 repositories fit.
// The provider source is the default (lookupOrCreate), with the lookup
// answered "not found" through context as `cdk.context.json` would in an
// account without the provider: the base stack creates it, the shards use it.
import { CLI_DEFAULT_CONTEXT, PhaseClock, PhaseTimes } from './phase-clock';

/** What one fleet child reports (bench/run.ts reads it). */
export interface FleetChildResult extends PhaseTimes {
  readonly n: number;
  readonly shards: number;
  readonly templateFiles: string[];
}

/** The bench's repositories: deterministic names, 50 owners. */
export function fleetRepositoryNames(n: number): string[] {
  return Array.from({ length: n }, (_, i) => `org-${i % 50}/service-${i}`);
}

function main(): void {
  const [nText, shardsText, outdir] = process.argv.slice(2);
  const n = Number(nText);
  const shards = Number(shardsText);

  const clock = new PhaseClock();
  /* eslint-disable @typescript-eslint/no-require-imports */
  const cdk: typeof import('aws-cdk-lib') = require('aws-cdk-lib');
  const lib: typeof import('../src') = require('../src');
  const registry: typeof import('../src/private/provider-registry') = require('../src/private/provider-registry');
  const { PROVIDER_NOT_FOUND }: typeof import('../src/private/constants') = require('../src/private/constants');
  // The lookup's context key, computed before the clock for synth starts.
  const env = { account: '111111111111', region: 'us-east-1' };
  const scratch = new cdk.Stack(new cdk.App(), 'Scratch', { env });
  const { key } = cdk.ContextProvider.getKey(scratch, registry.providerLookupOptions(scratch, lib.GitHubIssuer.GITHUB_COM));
  clock.loaded();

  const app = new cdk.App({
    outdir,
    context: {
      ...CLI_DEFAULT_CONTEXT,
      [key]: [{ Arn: PROVIDER_NOT_FOUND }],
    },
  });
  const fleet = new lib.GitHubEcrPublisherFleet(app, 'Ecr', {
    env,
    shards,
    roleQuota: 5000,
    defaults: { tags: ['v*'], maxImageCount: 10 },
    organizationWorkflow: { repository: 'org-0/platform' },
    repositories: fleetRepositoryNames(n).map((repo, i) => (i % 2 === 0 ? { repo, environments: ['production'] } : { repo })),
  });
  const assembly = app.synth();
  const times = clock.done();

  const result: FleetChildResult = {
    n,
    shards,
    ...times,
    templateFiles: fleet.shardStacks.map((s) => assembly.getStackByName(s.stackName).templateFullPath),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

if (require.main === module) {
  main();
}
