// What a run writes to the registry: the immutable-mode tags of every kind of
// run (evaluated as the runner and docker/metadata-action compute them), the
// check that lets a run whose tags exist push nothing (the rendered script,
// run against a stand-in for the AWS CLI), and the expression form of values.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { parse } from 'yaml';
import { GitHubEcrPublisherFleet, OidcProviderSource } from '../../src';
import { asExpression, existingTagsStep, immutableTagRules } from '../../src/private/image-push';
import { Context, evaluateExpression, interpolate } from '../helpers/expression-evaluator';
import { newPublisher } from '../helpers/fixture';

/** One run of the workflow, as the expression contexts see it. */
interface Run {
  readonly event: 'push' | 'workflow_dispatch' | 'pull_request';
  readonly ref: string;
  readonly sha: string;
  readonly runId: number;
  readonly pr?: number;
}

const S = '0123456789abcdef0123456789abcdef01234567';
const M = 'fedcba9876543210fedcba9876543210fedcba98';

/** Runs of one commit S (and a pull request's merge commits), each with its own run ID. */
const RUNS: Record<string, Run> = {
  'push to main': { event: 'push', ref: 'refs/heads/main', sha: S, runId: 101 },
  'push of the same commit to release/1': { event: 'push', ref: 'refs/heads/release/1', sha: S, runId: 102 },
  'push of the tag v1.0.0': { event: 'push', ref: 'refs/tags/v1.0.0', sha: S, runId: 103 },
  'workflow_dispatch on main': { event: 'workflow_dispatch', ref: 'refs/heads/main', sha: S, runId: 104 },
  'workflow_dispatch on main again': { event: 'workflow_dispatch', ref: 'refs/heads/main', sha: S, runId: 105 },
  'workflow_dispatch on the tag v1.0.0': { event: 'workflow_dispatch', ref: 'refs/tags/v1.0.0', sha: S, runId: 106 },
  'pull request 7': { event: 'pull_request', ref: 'refs/pull/7/merge', sha: M, runId: 107, pr: 7 },
  'pull request 7 after a push': { event: 'pull_request', ref: 'refs/pull/7/merge', sha: S, runId: 108, pr: 7 },
};

function contextOf(run: Run, extra: Context = {}): Context {
  return {
    'github.event_name': run.event,
    'github.ref': run.ref,
    'github.sha': run.sha,
    'github.run_id': run.runId,
    'github.event.pull_request.number': run.pr ?? null,
    ...extra,
  };
}

/**
 * The tags docker/metadata-action computes from `tags:` rules (the forms the
 * workflows use), after the runner evaluated the expressions in them.
 */
function metadataTags(rules: string, run: Run, extra: Context = {}): string[] {
  const out: string[] = [];
  for (const line of rules.split('\n').filter((l) => l.trim() !== '')) {
    const attrs = Object.fromEntries(interpolate(line, contextOf(run, extra)).split(',').map((kv) => kv.split('=') as [string, string]));
    if (attrs.enable === 'false') {
      continue;
    }
    const sanitize = (name: string) => name.replace(/[^A-Za-z0-9_.-]/g, '-');
    const prefixed = (value: string) => `${attrs.prefix ?? ''}${value}${attrs.suffix ?? ''}`;
    if (attrs.type === 'ref' && attrs.event === 'tag' && run.ref.startsWith('refs/tags/')) {
      out.push(prefixed(sanitize(run.ref.slice('refs/tags/'.length))));
    } else if (attrs.type === 'ref' && attrs.event === 'branch' && run.ref.startsWith('refs/heads/')) {
      out.push(prefixed(sanitize(run.ref.slice('refs/heads/'.length))));
    } else if (attrs.type === 'ref' && attrs.event === 'pr' && run.event === 'pull_request') {
      out.push(prefixed(`pr-${run.pr}`));
    } else if (attrs.type === 'sha') {
      out.push(prefixed(attrs.format === 'long' ? run.sha : run.sha.slice(0, 7)));
    } else if (attrs.type === 'raw') {
      out.push(prefixed(attrs.value));
    }
  }
  return out;
}

/** Every pair of runs pushes disjoint tags, except two pushes of one commit to two branches (the second finds the tag and pushes nothing). */
function expectDisjoint(tagsOf: (run: Run) => string[]): void {
  const names = Object.keys(RUNS);
  for (const name of names) {
    expect([name, tagsOf(RUNS[name]).length > 0]).toEqual([name, true]);
  }
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      const shared = tagsOf(RUNS[a]).filter((t) => tagsOf(RUNS[b]).includes(t));
      const sameCommitBranches = RUNS[a].event === 'push' && RUNS[b].event === 'push' && [a, b].every((n) => RUNS[n].ref.startsWith('refs/heads/'));
      expect([a, b, shared]).toEqual([a, b, sameCommitBranches ? [`sha-${S}`] : []]);
    }
  }
}

describe('immutable tags: no tag is pushed by two runs', () => {
  test('the publisher\'s workflow with every trigger (branches, tags, workflow_dispatch, pull requests)', () => {
    const workflow = parse(newPublisher({ branches: ['main', 'release/*'], tags: ['v*'], allowPullRequests: true, imageTagMutability: ecr.TagMutability.IMMUTABLE })
      .publisher.renderWorkflow({ workflowDispatch: true }));
    const rules = workflow.jobs.publish.steps.find((s: any) => s.id === 'meta').with.tags;
    expectDisjoint((run) => metadataTags(rules, run));
    // A re-run keeps its run ID, so it computes the tags of its first attempt.
    expect(metadataTags(rules, { ...RUNS['workflow_dispatch on main'] })).toEqual([`sha-${S}-run-104`]);
    expect(metadataTags(rules, RUNS['push of the tag v1.0.0'])).toEqual(['v1.0.0']);
  });

  test('the organisation workflow with immutable-tags: true; with false, the mutable tags as before', () => {
    const f = new GitHubEcrPublisherFleet(new App(), 'Ecr', {
      env: { account: '111111111111', region: 'us-east-1' },
      shards: 1,
      repositories: [{ repo: 'octo-org/api' }],
      defaults: { providerSource: OidcProviderSource.existing() },
      organizationWorkflow: { repository: 'octo-org/platform' },
    });
    const rules = parse(f.renderOrganizationWorkflow()).jobs.publish.steps.find((s: any) => s.id === 'meta').with.tags;
    expectDisjoint((run) => metadataTags(rules, run, { 'inputs.immutable-tags': true }));
    expect(metadataTags(rules, RUNS['push to main'], { 'inputs.immutable-tags': false })).toEqual(['latest', 'main', `sha-${S.slice(0, 7)}`]);
  });

  test('the earlier rules pushed sha-<full SHA> from both the branch and the tag run of one commit (why they changed)', () => {
    const earlier = 'type=ref,event=tag\ntype=sha,prefix=sha-,format=long\n';
    const shared = metadataTags(earlier, RUNS['push to main']).filter((t) => metadataTags(earlier, RUNS['push of the tag v1.0.0']).includes(t));
    expect(shared).toEqual([`sha-${S}`]);
    expect(immutableTagRules('', false, false)).toHaveLength(2);
  });
});

describe('the check before an immutable push', () => {
  /** Runs the rendered script with an `aws` that answers `rows` (and records its arguments). */
  function runCheck(rows: string, tags = ['reg/repo:v1.0.0', 'reg/repo:sha-abc']): { status: number | null; output: string; args: string; stdout: string } {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pushed-'));
    try {
      fs.writeFileSync(path.join(dir, 'aws'), `#!/bin/sh\nprintf '%s\\n' "$@" > "${dir}/args"\nprintf '%b' "$ROWS"\n`, { mode: 0o755 });
      const output = path.join(dir, 'out');
      fs.writeFileSync(output, '');
      const step = existingTagsStep('${{ secrets.ECR_REPOSITORY }}', undefined) as { run: string };
      const result = spawnSync('bash', ['--norc', '--noprofile', '-c', step.run], {
        env: { PATH: `${dir}:${process.env.PATH}`, TAGS: tags.join('\n') + '\n', ECR_REPOSITORY_NAME: 'team/app', GITHUB_OUTPUT: output, ROWS: rows },
        encoding: 'utf8',
      });
      return { status: result.status, output: fs.readFileSync(output, 'utf8'), args: fs.existsSync(path.join(dir, 'args')) ? fs.readFileSync(path.join(dir, 'args'), 'utf8') : '', stdout: result.stdout };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  test('asks ECR for exactly the run\'s tags in the job\'s repository, accepting image indexes', () => {
    const { args } = runCheck('');
    const argv = args.trim().split('\n');
    expect(argv.slice(0, 6)).toEqual(['ecr', 'batch-get-image', '--repository-name', 'team/app', '--image-ids', 'imageTag=v1.0.0']);
    expect(argv[6]).toBe('imageTag=sha-abc');
    expect(argv).toContain('application/vnd.oci.image.index.v1+json');
  });

  test('no tag exists: build and push', () => {
    expect(runCheck('')).toEqual(expect.objectContaining({ status: 0, output: 'exists=false\n' }));
  });

  test('every tag names one image (a re-run of a job that pushed): succeed without pushing, with its digest', () => {
    const result = runCheck('found\\tv1.0.0\\tsha256:aaa\\nfound\\tsha-abc\\tsha256:aaa\\n');
    expect(result).toEqual(expect.objectContaining({ status: 0, output: 'exists=true\ndigest=sha256:aaa\n' }));
    expect(result.stdout).toMatch(/^::notice::Every tag of this run already names sha256:aaa/);
  });

  test.each([
    ['only some tags exist', 'found\\tv1.0.0\\tsha256:aaa\\n'],
    ['the tags name two images', 'found\\tv1.0.0\\tsha256:aaa\\nfound\\tsha-abc\\tsha256:bbb\\n'],
    ['ECR could not answer for a tag', 'failed\\tsha-abc\\tUnsupportedImageType\\n'],
  ])('%s: fail before pushing, naming them', (_, rows) => {
    const result = runCheck(rows);
    expect(result.status).toBe(1);
    expect(result.output).toBe('');
    expect(result.stdout).toMatch(/^::error::/);
  });

  test('the script is valid bash (bash -n)', () => {
    const step = existingTagsStep('x', undefined) as { run: string };
    expect(() => execFileSync('bash', ['-n', '-c', step.run])).not.toThrow();
  });
});

describe('asExpression', () => {
  test.each<[string, string, string]>([
    ['a literal', 'type=gha', "'type=gha'"],
    ['one expression', '${{ secrets.X }}', 'secrets.X'],
    ['text around expressions, quotes and braces escaped', "a{b}'c${{ secrets.X }}/${{ inputs.y }}", "format('a{{b}}''c{0}/{1}', secrets.X, inputs.y)"],
  ])('%s', (_, text, expected) => {
    expect(asExpression(text)).toBe(expected);
    const context = { 'secrets.X': 'reg', 'inputs.y': 'tag' };
    expect(evaluateExpression(asExpression(text), context)).toBe(interpolate(text, context));
  });
});
