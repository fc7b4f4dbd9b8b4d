// The build cache: where each choice puts it in every rendered workflow (the
// values a run passes to the build, evaluated for each kind of run), what it
// does to the repository's tag mutability, and the errors and warnings.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import { App } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { BuildCache, GitHubEcrPublisherFleet, GitHubEcrPublisherProps, OidcProviderSource, WorkflowOptions } from '../src';
import { Context, interpolate } from './helpers/expression-evaluator';
import { lintRepositoryDir, newPublisher, writeForActionlint } from './helpers/fixture';

const REGISTRY = '111111111111.dkr.ecr.us-east-1.amazonaws.com';
const OWN = `${REGISTRY}/chatgpt-web`;

/** The publisher configurations whose workflows differ in triggers and jobs. */
const TRIGGER_MIXES: Array<[string, Partial<GitHubEcrPublisherProps>, WorkflowOptions]> = [
  ['branch', {}, {}],
  ['tags only', { tags: ['v*'] }, {}],
  ['branches and tags, workflow_dispatch', { branches: ['main', 'release/*'], tags: ['v*'] }, { workflowDispatch: true }],
  ['environments', { environments: ['production', 'staging'] }, {}],
  ['pull requests', { branches: ['main'], allowPullRequests: true }, {}],
  ['pull requests only', { allowPullRequests: true }, {}],
  ['environments and pull requests, dispatch', { branches: ['main'], environments: ['production'], allowPullRequests: true }, { workflowDispatch: true, refJob: true }],
  ['emulated platforms', { branches: ['main'] }, { platforms: ['linux/amd64', 'linux/arm64'] }],
];

const CHOICES: Array<[string, BuildCache | undefined]> = [
  ['default', undefined],
  ['registry with its own tag', BuildCache.registry({ tag: 'cache-x' })],
  ['GitHub Actions', BuildCache.githubActions()],
  ['none', BuildCache.none()],
];

/** The kinds of run each workflow may see, as the expression contexts have them. */
const EVENTS: Context[] = ['push', 'workflow_dispatch', 'pull_request'].map((event) => ({
  'github.event_name': event,
  'secrets.ECR_REGISTRY': REGISTRY,
  'secrets.ECR_REPOSITORY': 'chatgpt-web',
}));

/** Every build step of a workflow with what it passes for each kind of run, and the setup actions' cache inputs. */
function buildSteps(workflow: any): Array<{ build: any; setup: any[] }> {
  return Object.values<any>(workflow.jobs).map((job) => ({
    build: job.steps.find((s: any) => String(s.uses).startsWith('docker/build-push-action@')).with,
    setup: job.steps.filter((s: any) => /^docker\/setup-(qemu|buildx)-action@/.test(String(s.uses))).map((s: any) => s.with),
  }));
}

describe('every rendered workflow uses the cache it was given, and only writes it from trusted runs', () => {
  const cases = CHOICES.flatMap(([choice, cache]) => TRIGGER_MIXES.map(([mix, props, options]) => [choice, mix, cache, props, options] as const));

  test.each(cases)('%s cache, %s', (choice, _mix, cache, props, options) => {
    const text = newPublisher({ ...props, buildCache: cache }).publisher.renderWorkflow(options);
    const githubActions = choice === 'GitHub Actions';
    const tag = cache?.tag ?? 'buildcache';
    // The GitHub Actions cache appears nowhere unless chosen.
    expect(/type=gha|cache-image: true|cache-binary: true/.test(text)).toBe(githubActions);
    const workflow = parse(text);
    // The kinds of run this workflow starts.
    const events = EVENTS.filter((context) => Object.keys(workflow.on).includes(String(context['github.event_name'])));
    expect(events.length).toBeGreaterThan(0);
    for (const { build, setup } of buildSteps(workflow)) {
      for (const inputs of setup) {
        expect([inputs['cache-image'], inputs['cache-binary']].filter((v) => v !== undefined)).toEqual([githubActions]);
      }
      for (const context of events) {
        const from = build['cache-from'] === undefined ? undefined : interpolate(build['cache-from'], context);
        const to = build['cache-to'] === undefined ? '' : interpolate(build['cache-to'], context);
        const pullRequest = context['github.event_name'] === 'pull_request';
        if (choice === 'none') {
          expect([from, to]).toEqual([undefined, '']);
        } else if (githubActions) {
          expect([from, to]).toEqual(['type=gha', pullRequest ? '' : 'type=gha,mode=max']);
        } else {
          // Read from, and written to, the publisher's own repository alone; never written by a pull-request run.
          expect(from).toBe(`type=registry,ref=${OWN}:${tag}`);
          expect(to).toBe(pullRequest ? '' : `type=registry,ref=${OWN}:${tag},mode=max,image-manifest=true,oci-mediatypes=true`);
        }
      }
    }
  });

  test('the workflows with the registry and the GitHub Actions cache, written for actionlint and zizmor', () => {
    for (const [name, buildCache] of [['registry', undefined], ['gha', BuildCache.githubActions()]] as const) {
      const p = newPublisher({ branches: ['main'], tags: ['v*'], allowPullRequests: true, buildCache }).publisher;
      const wf = parse(fs.readFileSync(p.writeWorkflowTo(lintRepositoryDir(`unit-cache-${name}`), { platforms: ['linux/amd64', 'linux/arm64'], workflowDispatch: true }), 'utf8'));
      expect(Object.keys(wf.jobs)).toEqual(['publish']);
    }
  });
});

describe('the organisation workflow and its callers', () => {
  function fleetWith(defaults: Partial<GitHubEcrPublisherProps>, repositories: Array<Partial<GitHubEcrPublisherProps> & { repo: string }>) {
    return new GitHubEcrPublisherFleet(new App(), 'Ecr', {
      env: { account: '111111111111', region: 'us-east-1' },
      shards: 1,
      defaults: { providerSource: OidcProviderSource.existing(), ...defaults },
      repositories,
      organizationWorkflow: { repository: 'octo-org/platform' },
    });
  }

  test('each caller passes its repository\'s own cache; the organisation workflow uses it, in the repository the job derived', () => {
    const f = fleetWith({}, [
      { repo: 'octo-org/api' },
      { repo: 'octo-org/web', buildCache: BuildCache.githubActions() },
      { repo: 'octo-org/batch', buildCache: BuildCache.none() },
      { repo: 'octo-org/locked', imageTagMutability: ecr.TagMutability.IMMUTABLE },
      { repo: 'octo-org/tagged', buildCache: BuildCache.registry({ tag: 'cache-main' }), allowPullRequests: true },
    ]);
    const withOf = (repo: string) => Object.values<any>(parse(writeForActionlint(`fleet-caller-cache-${repo.split('/')[1]}`, f.renderCallerWorkflow(repo))).jobs)[0].with;
    expect(withOf('octo-org/api')).toEqual(expect.objectContaining({ 'build-cache': 'registry', 'cache-tag': 'buildcache' }));
    expect(withOf('octo-org/web')['build-cache']).toBe('github-actions');
    expect(withOf('octo-org/web')['cache-tag']).toBeUndefined();
    expect(withOf('octo-org/batch')['build-cache']).toBe('none');
    expect(withOf('octo-org/locked')['build-cache']).toBe('none');
    expect(withOf('octo-org/tagged')).toEqual(expect.objectContaining({ 'build-cache': 'registry', 'cache-tag': 'cache-main' }));

    const org = parse(writeForActionlint('fleet-organization-cache', f.renderOrganizationWorkflow({ platforms: ['linux/amd64', 'linux/arm64'] })));
    expect(org.on.workflow_call.inputs['build-cache'].default).toBe('none');
    for (const { build, setup } of buildSteps(org)) {
      for (const [kind, tag] of [['registry', 'cache-main'], ['github-actions', ''], ['none', '']]) {
        for (const event of EVENTS) {
          const context: Context = { ...event, 'inputs.build-cache': kind, 'inputs.cache-tag': tag, 'steps.names.outputs.ecr_repository': 'octo-org/tagged' };
          const own = `${REGISTRY}/octo-org/tagged:cache-main`;
          const pullRequest = event['github.event_name'] === 'pull_request';
          const expected = {
            'registry': [`type=registry,ref=${own}`, pullRequest ? '' : `type=registry,ref=${own},mode=max,image-manifest=true,oci-mediatypes=true`],
            'github-actions': ['type=gha', pullRequest ? '' : 'type=gha,mode=max'],
            'none': ['', ''],
          }[kind];
          expect([kind, event['github.event_name'], interpolate(build['cache-from'], context), interpolate(build['cache-to'], context)])
            .toEqual([kind, event['github.event_name'], ...expected!]);
          for (const inputs of setup) {
            expect([interpolate(String(inputs['cache-image'] ?? inputs['cache-binary']), context)]).toEqual([String(kind === 'github-actions')]);
          }
        }
      }
    }
  });

  test('the organisation workflow refuses a cache input it does not know before the build', () => {
    const f = fleetWith({}, [{ repo: 'octo-org/api' }]);
    const names = parse(f.renderOrganizationWorkflow()).jobs.publish.steps.find((s: any) => s.id === 'names');
    const run = (env: Record<string, string>) => spawnSync('bash', ['--norc', '--noprofile', '-e', '-c', names.run], {
      env: { PATH: process.env.PATH, REPOSITORY: 'octo-org/api', ECR_REPOSITORY_INPUT: '', GITHUB_OUTPUT: '/dev/null', ...env }, encoding: 'utf8',
    });
    expect(run({ BUILD_CACHE: 'registry', CACHE_TAG: 'buildcache' }).status).toBe(0);
    expect(run({ BUILD_CACHE: 'none', CACHE_TAG: '' }).status).toBe(0);
    expect(run({ BUILD_CACHE: 'gha', CACHE_TAG: '' }).stdout).toMatch(/::error::build-cache must be registry, github-actions, none/);
    expect(run({ BUILD_CACHE: 'registry', CACHE_TAG: 'x,ref=other/repo:y' }).stdout).toMatch(/::error::cache-tag is not an image tag/);
  });
});

describe('tag mutability', () => {
  const repositoryOf = (props: Partial<GitHubEcrPublisherProps>) => {
    const { publisher, template } = newPublisher(props);
    const resource = Object.values<any>(template().findResources('AWS::ECR::Repository'))[0].Properties;
    const filters = (resource.ImageTagMutabilityExclusionFilters ?? []).map((f: any) => f.ImageTagMutabilityExclusionFilterValue);
    return { cache: publisher.buildCache.tag, mutability: resource.ImageTagMutability, filters };
  };

  test('the default (release tags immutable) and MUTABLE keep the registry cache, its tag mutable', () => {
    expect(repositoryOf({ tags: ['v*'] })).toEqual({ cache: 'buildcache', mutability: 'MUTABLE_WITH_EXCLUSION', filters: ['v*'] });
    expect(repositoryOf({})).toEqual({ cache: 'buildcache', mutability: 'MUTABLE', filters: [] });
  });

  test('IMMUTABLE: no cache by default (no tag could be refreshed); the GitHub Actions cache if chosen', () => {
    expect(repositoryOf({ imageTagMutability: ecr.TagMutability.IMMUTABLE })).toEqual({ cache: undefined, mutability: 'IMMUTABLE', filters: [] });
    expect(newPublisher({ imageTagMutability: ecr.TagMutability.IMMUTABLE }).publisher.buildCache._kind).toBe('none');
    expect(newPublisher({ imageTagMutability: ecr.TagMutability.IMMUTABLE, buildCache: BuildCache.githubActions() }).publisher.buildCache._kind).toBe('githubActions');
  });

  test('IMMUTABLE_WITH_EXCLUSION: the cache tag is added as the one exclusion it needs, unless a filter matches it', () => {
    const exclusion = (filters: string[], buildCache?: BuildCache) => repositoryOf({
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: filters.map((f) => ecr.ImageTagMutabilityExclusionFilter.wildcard(f)),
      buildCache,
    });
    expect(exclusion(['latest']).filters).toEqual(['latest', 'buildcache']);
    expect(exclusion(['build*']).filters).toEqual(['build*']);
    expect(exclusion(['latest'], BuildCache.none()).filters).toEqual(['latest']);
    // The mode alone: every tag immutable but the cache's.
    expect(repositoryOf({ imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION }))
      .toEqual({ cache: 'buildcache', mutability: 'IMMUTABLE_WITH_EXCLUSION', filters: ['buildcache'] });
  });
});

describe('errors', () => {
  const error = (props: Partial<GitHubEcrPublisherProps>) => () => newPublisher(props);

  test.each<[string, Partial<GitHubEcrPublisherProps>, RegExp]>([
    ['not an image tag', { buildCache: BuildCache.registry({ tag: 'build cache' }) }, /buildCache: "build cache" is not an image tag\. Use 1-128 letters/],
    ['a tag starting with "-"', { buildCache: BuildCache.registry({ tag: '-cache' }) }, /is not an image tag/],
    ['latest', { buildCache: BuildCache.registry({ tag: 'latest' }) }, /buildCache: "latest" is a tag the workflow pushes images under/],
    ['a sha- tag', { buildCache: BuildCache.registry({ tag: 'sha-0123abc' }) }, /"sha-0123abc" is a tag the workflow pushes images under/],
    ['a pr- tag', { buildCache: BuildCache.registry({ tag: 'pr-12' }) }, /"pr-12" is a tag the workflow pushes images under/],
    ['a trusted branch', { branches: ['main', 'buildcache'] }, /buildCache: "buildcache" is the image tag of a branch the publisher trusts \("buildcache" in branches\)/],
    ['a branch pattern, "/" becoming "-"', { branches: ['cache/*'], buildCache: BuildCache.registry({ tag: 'cache-main' }) }, /"cache-main" is the image tag of a branch the publisher trusts \("cache\/\*" in branches\)/],
    ['a release tag pattern', { tags: ['build*'] }, /"buildcache" is the image tag of a git tag the publisher trusts \("build\*" in tags\)/],
    ['IMMUTABLE', { imageTagMutability: ecr.TagMutability.IMMUTABLE, buildCache: BuildCache.registry() },
      /buildCache: "BuildCache.registry\(\{ tag: 'buildcache' \}\)" cannot be refreshed with imageTagMutability IMMUTABLE.*Use IMMUTABLE_WITH_EXCLUSION/],
    ['an immutable-tag filter', {
      imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('build*')],
    }, /buildCache: "buildcache" is matched by the immutable-tag filter "build\*"/],
    ['no room for the exclusion', {
      imageTagMutability: ecr.TagMutability.IMMUTABLE_WITH_EXCLUSION,
      imageTagMutabilityExclusionFilters: ['a', 'b', 'c', 'd', 'e'].map((f) => ecr.ImageTagMutabilityExclusionFilter.wildcard(f)),
    }, /buildCache: "buildcache" needs an exclusion filter of its own to stay mutable, and imageTagMutabilityExclusionFilters already has the 5 ECR allows/],
  ])('%s', (_, props, message) => {
    expect(error(props)).toThrow(message);
  });

  test.each<[string, Partial<GitHubEcrPublisherProps>]>([
    ['a tag of letters, digits, ".", "_" and "-"', { buildCache: BuildCache.registry({ tag: 'cache_1.x-y' }) }],
    ['branches and tags whose names are not the cache tag', { branches: ['main', 'release/*'], tags: ['v*'] }],
    ['"*" branches and tags (their own warnings say anyone may push)', { branches: ['*'], tags: ['*'] }],
    ['a filter that does not match the cache tag', {
      imageTagMutability: ecr.TagMutability.MUTABLE_WITH_EXCLUSION, imageTagMutabilityExclusionFilters: [ecr.ImageTagMutabilityExclusionFilter.wildcard('v*')],
    }],
    ['IMMUTABLE without a registry cache', { imageTagMutability: ecr.TagMutability.IMMUTABLE, buildCache: BuildCache.none() }],
    ['a latest-like tag without a registry cache', { branches: ['buildcache'], buildCache: BuildCache.githubActions() }],
  ])('accepted: %s', (_, props) => {
    expect(error(props)).not.toThrow();
  });
});

describe('warnings', () => {
  const warning = (props: Partial<GitHubEcrPublisherProps>, id: string) =>
    Annotations.fromStack(newPublisher(props).stack).findWarning('*', Match.stringLikeRegexp(`cdk-github-ecr-publisher:${id}`));

  test('the GitHub Actions cache: the risk in one sentence and the safer default; acknowledgeable', () => {
    const found = warning({ buildCache: BuildCache.githubActions() }, 'githubActionsCache');
    expect(found).toHaveLength(1);
    expect(found[0].entry.data).toMatch(/every workflow of octo-org\/chatgpt-web that runs on the default branch .* can write cache entries the pushed image is built from\./);
    expect(found[0].entry.data).toMatch(/The default, BuildCache.registry\(\), keeps the cache in this ECR repository/);
    expect(found[0].entry.data).toMatch(/\[ack: cdk-github-ecr-publisher:githubActionsCache\]/);
    expect(warning({}, 'githubActionsCache')).toHaveLength(0);
    expect(warning({ buildCache: BuildCache.none() }, 'githubActionsCache')).toHaveLength(0);
  });

  test('pull requests: what their author can do to the repository and the cache', () => {
    const found = warning({ allowPullRequests: true }, 'pullRequests');
    expect(found[0].entry.data).toMatch(/the author of a pull request .* can push any image under any mutable tag \(latest and branch tags included\) and overwrite the build cache, which the rendered workflow's pull-request runs only read/);
  });
});
