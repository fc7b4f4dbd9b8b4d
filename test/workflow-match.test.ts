// Proof that the generated workflow and the synthesized trust policy match.
//
// The workflow is parsed back from its YAML and read the way GitHub reads it:
// which events and refs trigger it, which jobs run (their `if:`), and which
// `sub` / `aud` each job's OIDC token then carries (a job with `environment:`
// gets the environment subject whatever the event; otherwise a pull_request
// run gets `pull_request` and a push the ref). Each token is evaluated against
// the synthesized trust policy with an IAM policy evaluator. Nothing here
// reuses the renderer's code.
import { parse } from 'yaml';
import { GitHubEcrPublisherProps, GitHubIssuer, WorkflowOptions } from '../src';
import { ACCOUNT, escapeRegExp, newPublisher, REPO, WORKFLOW_FILE, workflowRefOf, writeForActionlint } from './helpers/fixture';
import { evaluate, githubToken, TokenClaims, trustPolicyOf } from './helpers/iam-evaluator';

// ---------------------------------------------------------------------------
// Reading the workflow as GitHub does
// ---------------------------------------------------------------------------

/**
 * A GitHub branch/tag filter as a RegExp, by GitHub's documented filter
 * pattern cheat sheet. Only the syntax the generated workflows may use is
 * understood (`*`, `**`, `\` escapes, and a `]` that no `[` opened, which the
 * syntax gives no meaning); anything else fails the test instead of being
 * guessed at. GitHub's own matcher cannot be run here.
 */
function filterRegExp(pattern: string): RegExp {
  let re = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      re += escapeRegExp(pattern[++i]);
    } else if (c === '*' && pattern[i + 1] === '*') {
      re += '.*';
      i++;
    } else if (c === '*') {
      re += '[^/]*';
    } else if (c === ']' && !pattern.slice(0, i).includes('[')) {
      re += '\\]';
    } else if ('?+[]!'.includes(c)) {
      throw new Error(`filter ${pattern} uses "${c}", which this test does not model`);
    } else {
      re += escapeRegExp(c);
    }
  }
  return new RegExp(`^${re}$`);
}

/** Concrete refs a filter matches: each wildcard replaced by "x", "1.2", and (for `**`) "a/b". */
function samplesOf(pattern: string): string[] {
  const fill = (star: string, doubleStar: string) => pattern
    .replace(/\\(.)|\*\*|\*/g, (m, escaped) => escaped ?? (m === '**' ? doubleStar : star));
  const out = new Set([fill('x', 'x'), fill('1.2', '1.2'), fill('x', 'a/b')]);
  for (const s of out) {
    expect(filterRegExp(pattern).test(s)).toBe(true);
  }
  return [...out];
}

interface Workflow {
  readonly on: any;
  readonly permissions: any;
  readonly jobs: Record<string, any>;
}

function parseWorkflow(yamlText: string): Workflow {
  const wf = parse(yamlText);
  expect(wf).toEqual(expect.objectContaining({ on: expect.anything(), jobs: expect.anything() }));
  return wf;
}

interface GitHubEvent {
  readonly name: 'push' | 'pull_request' | 'workflow_dispatch';
  /** GITHUB_REF */
  readonly ref: string;
  /** pull_request events: the head repository. */
  readonly headRepo?: string;
}

/** Whether the workflow's `on:` starts a run for the event. */
function triggers(wf: Workflow, event: GitHubEvent): boolean {
  const on = wf.on;
  if (!(event.name in on)) {
    return false;
  }
  const filter = on[event.name] ?? {};
  if (event.name === 'push') {
    for (const key of Object.keys(filter)) {
      expect(['branches', 'tags']).toContain(key);
    }
    const [kind, name] = splitRef(event.ref);
    const patterns: string[] = (kind === 'heads' ? filter.branches : filter.tags) ?? [];
    return patterns.some((p) => filterRegExp(p).test(name));
  }
  // pull_request and workflow_dispatch: no filters are generated.
  expect(filter).toEqual({});
  return true;
}

function splitRef(ref: string): ['heads' | 'tags', string] {
  const m = /^refs\/(heads|tags)\/(.+)$/.exec(ref);
  if (!m) {
    throw new Error(`not a branch or tag ref: ${ref}`);
  }
  return [m[1] as 'heads' | 'tags', m[2]];
}

/**
 * Evaluates a job's `if:` for an event. Understands string literals,
 * `github.*` property paths, `==`, `!=`, `&&`, `||` (the forms the renderer
 * writes); anything else throws.
 */
function evaluateIf(expression: string | undefined, event: GitHubEvent): boolean {
  if (expression === undefined) {
    return true;
  }
  const context: any = {
    github: {
      event_name: event.name,
      ref: event.ref,
      repository: REPO,
      event: event.name === 'pull_request' ? { pull_request: { head: { repo: { full_name: event.headRepo ?? REPO } } } } : {},
    },
  };
  const tokens = expression.replace(/^\$\{\{|\}\}$/g, '').match(/'(?:[^']|'')*'|==|!=|&&|\|\||[A-Za-z_][A-Za-z0-9_.-]*|\S/g) ?? [];
  let i = 0;
  const operand = (): unknown => {
    const t = tokens[i++];
    if (t.startsWith("'")) {
      return t.slice(1, -1).replace(/''/g, "'");
    }
    if (/^github(\.|$)/.test(t)) {
      return t.split('.').reduce((o: any, k) => (o === undefined ? undefined : o[k]), context);
    }
    throw new Error(`unsupported token ${t} in ${expression}`);
  };
  const comparison = (): boolean => {
    const left = operand();
    const op = tokens[i++];
    const right = operand();
    if (op === '==') return left === right;
    if (op === '!=') return left !== right;
    throw new Error(`unsupported operator ${op} in ${expression}`);
  };
  const and = (): boolean => {
    let v = comparison();
    while (tokens[i] === '&&') {
      i++;
      v = comparison() && v;
    }
    return v;
  };
  let value = and();
  while (tokens[i] === '||') {
    i++;
    value = and() || value;
  }
  if (i !== tokens.length) {
    throw new Error(`could not read ${expression}`);
  }
  return value;
}

interface JobToken {
  readonly job: string;
  readonly context: string;
  readonly aud: string;
  /** The run's ref, which job_workflow_ref names after the workflow file. */
  readonly ref: string;
}

/** The token a job gets for an event (undefined when the job does not run or asks for no token). */
function jobToken(wf: Workflow, jobId: string, event: GitHubEvent): JobToken | undefined {
  const job = wf.jobs[jobId];
  if (!evaluateIf(job.if, event)) {
    return undefined;
  }
  const credentials = (job.steps as any[]).find((s) => String(s.uses).startsWith('aws-actions/configure-aws-credentials@'));
  expect(credentials).toBeDefined();
  // Without id-token: write (job level, or inherited from the top) there is no token at all.
  expect((job.permissions ?? wf.permissions)['id-token']).toBe('write');
  // Fork pull requests get no OIDC token: such a job would fail, not push.
  if (event.name === 'pull_request' && event.headRepo !== undefined && event.headRepo !== REPO) {
    throw new Error(`job ${jobId} runs for a fork pull request, which gets no OIDC token`);
  }
  const environment = typeof job.environment === 'object' ? job.environment?.name : job.environment;
  let context: string;
  if (environment !== undefined) {
    // The environment form wins over everything.
    context = `environment:${String(environment).replace(/:/g, '%3A')}`;
  } else if (event.name === 'pull_request') {
    context = 'pull_request';
  } else {
    context = `ref:${event.ref}`;
  }
  return { job: jobId, context, aud: credentials.with?.audience ?? 'sts.amazonaws.com', ref: event.ref };
}

// ---------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------

interface Scenario {
  readonly name: string;
  readonly props: Omit<GitHubEcrPublisherProps, 'repo'>;
  readonly options?: WorkflowOptions;
  readonly region?: string;
  /** Extra token options (immutable IDs). */
  readonly ids?: { ownerId: number; repoId: number };
  /** The trust-policy key prefix (issuer host/path). */
  readonly issuerHostPath?: string;
  /** The ref patterns the synthesized trust policy admits (`heads/...`, `tags/...`). */
  readonly trustedRefs: string[];
  /** The jobs each kind of declared event starts (absent: the workflow has no such trigger). */
  readonly jobs: {
    readonly branchPush?: string[];
    readonly tagPush?: string[];
    readonly pullRequest?: string[];
    readonly dispatch?: string[];
  };
  /** Refs the workflow must not run the ref job for, and whose tokens the role must refuse. */
  readonly undeclaredRefs: string[];
  /** Those of undeclaredRefs that still start the workflow (environment jobs on the default branch). */
  readonly undeclaredRefsStarting?: string[];
}

const scenarios: Scenario[] = [
  {
    name: 'branch-only',
    props: {},
    trustedRefs: ['heads/main'],
    jobs: { branchPush: ['publish'] },
    undeclaredRefs: ['refs/heads/feature/x', 'refs/heads/mainline', 'refs/tags/v1.0.0'],
  },
  {
    name: 'branch-patterns',
    props: { branches: ['main', 'release/*', 'hotfix-*'] },
    options: { workflowDispatch: true },
    trustedRefs: ['heads/main', 'heads/release/*', 'heads/hotfix-*'],
    jobs: { branchPush: ['publish'], dispatch: ['publish'] },
    undeclaredRefs: ['refs/heads/feature/x', 'refs/heads/releases/1', 'refs/tags/release/1'],
  },
  {
    name: 'tags',
    props: { tags: ['v*', 'build+1'] },
    trustedRefs: ['tags/v*', 'tags/build+1'],
    jobs: { tagPush: ['publish'] },
    undeclaredRefs: ['refs/heads/main', 'refs/tags/x1.0', 'refs/tags/buildd1', 'refs/tags/build1'],
  },
  {
    name: 'ref-metacharacters',
    // "]" and "+" are legal in git refs and special in GitHub filters.
    props: { branches: ['a]b', 'fix+1'], tags: ['v1]*'] },
    trustedRefs: ['heads/a]b', 'heads/fix+1', 'tags/v1]*'],
    jobs: { branchPush: ['publish'], tagPush: ['publish'] },
    undeclaredRefs: ['refs/heads/ab', 'refs/heads/a\\]b', 'refs/heads/fix1', 'refs/heads/fixx1', 'refs/tags/v1', 'refs/tags/v2]x'],
  },
  {
    name: 'environments',
    props: { environments: ['production', 'staging-eu'] },
    trustedRefs: [],
    jobs: { branchPush: ['publish-production', 'publish-staging-eu'] },
    undeclaredRefs: ['refs/heads/main', 'refs/tags/v1'],
    undeclaredRefsStarting: ['refs/heads/main'],
  },
  {
    name: 'mixed',
    props: { branches: ['main'], tags: ['v*'], environments: ['production'], allowPullRequests: true },
    options: { workflowDispatch: true },
    trustedRefs: ['heads/main', 'tags/v*'],
    jobs: { branchPush: ['publish-production'], tagPush: ['publish-production'], pullRequest: ['publish'], dispatch: ['publish-production'] },
    undeclaredRefs: ['refs/heads/feature/x', 'refs/tags/release-1'],
  },
  {
    name: 'mixed-all-jobs',
    props: { branches: ['main', 'release/*'], tags: ['v*'], environments: ['production', 'staging'], allowPullRequests: true },
    options: { refJob: true, workflowDispatch: true },
    trustedRefs: ['heads/main', 'heads/release/*', 'tags/v*'],
    jobs: {
      branchPush: ['publish', 'publish-production', 'publish-staging'],
      tagPush: ['publish', 'publish-production', 'publish-staging'],
      pullRequest: ['publish'],
      dispatch: ['publish', 'publish-production', 'publish-staging'],
    },
    undeclaredRefs: ['refs/heads/feature/x', 'refs/tags/release-1'],
  },
  {
    name: 'pull-requests-and-environment',
    props: { environments: ['production'], allowPullRequests: true },
    trustedRefs: [],
    jobs: { branchPush: ['publish-production'], pullRequest: ['publish'] },
    undeclaredRefs: ['refs/heads/main', 'refs/heads/feature/x'],
    undeclaredRefsStarting: ['refs/heads/main'],
  },
  {
    name: 'immutable-ids',
    props: { branches: ['main'], tags: ['v*'], environments: ['production'], ownerId: 123456, repoId: 789012 },
    ids: { ownerId: 123456, repoId: 789012 },
    trustedRefs: ['heads/main', 'tags/v*'],
    jobs: { branchPush: ['publish-production'], tagPush: ['publish-production'] },
    undeclaredRefs: ['refs/heads/feature/x', 'refs/tags/nightly'],
  },
  {
    name: 'china-region',
    // No claim conditions in aws-cn: immutable subjects are trusted only with IDs (exact subjects).
    props: { branches: ['main'], ownerId: 5151, repoId: 1515 },
    ids: { ownerId: 5151, repoId: 1515 },
    region: 'cn-north-1',
    trustedRefs: ['heads/main'],
    jobs: { branchPush: ['publish'] },
    undeclaredRefs: ['refs/heads/dev'],
  },
  {
    name: 'enterprise-issuer',
    // Off github.com, immutable subjects are trusted only with IDs (exact subjects).
    props: { branches: ['main'], issuer: GitHubIssuer.enterpriseSlug('octo-enterprise'), ownerId: 4242, repoId: 2424 },
    ids: { ownerId: 4242, repoId: 2424 },
    issuerHostPath: 'token.actions.githubusercontent.com/octo-enterprise',
    trustedRefs: ['heads/main'],
    jobs: { branchPush: ['publish'] },
    undeclaredRefs: ['refs/heads/dev'],
  },
];

function build(s: Scenario): { policy: any; wf: Workflow } {
  const { stack, publisher } = newPublisher(s.props, { env: { account: ACCOUNT, region: s.region ?? 'us-east-1' } });
  const yamlText = writeForActionlint(`match-${s.name}`, publisher.renderWorkflow(s.options));
  return { policy: trustPolicyOf(stack), wf: parseWorkflow(yamlText) };
}

/**
 * The tokens GitHub could issue for a job of the rendered workflow (or, with
 * `file`, of another workflow file of the repository): the legacy name form
 * and the immutable form, with the job_workflow_ref of the file at the run's ref.
 */
function tokensFor(s: Scenario, t: Pick<JobToken, 'context' | 'aud'> & { ref?: string }, file = WORKFLOW_FILE): TokenClaims[] {
  const ids = s.ids ?? { ownerId: 4242, repoId: 2424 };
  const prefix = s.issuerHostPath ? { issuerHostPath: s.issuerHostPath } : {};
  const ref = t.ref ?? (t.context.startsWith('ref:') ? t.context.slice('ref:'.length) : 'refs/heads/main');
  const extra = { job_workflow_ref: workflowRefOf(ref, file) };
  return [
    { ...githubToken(REPO, t.context, { aud: t.aud, repoId: s.ids?.repoId, extra }), ...prefix },
    { ...githubToken(REPO, t.context, { aud: t.aud, ...ids, extra }), ...prefix },
  ];
}

/** The audience the role expects (independent of the workflow). */
function audOf(s: Scenario): string {
  return s.region?.startsWith('cn-') ? 'sts.amazonaws.com.cn' : 'sts.amazonaws.com';
}

function decisions(policy: any, s: Scenario, t: Pick<JobToken, 'context' | 'aud'> & { ref?: string }, file?: string): string[] {
  return tokensFor(s, t, file).map((token) => evaluate(policy, token));
}

/** Whether the scenario's role pins the workflow file (github.com in the aws partition). */
function pinsWorkflowFile(s: Scenario): boolean {
  return s.issuerHostPath === undefined && !s.region?.startsWith('cn-');
}

/** Every event the workflow's triggers declare, made concrete. */
function declaredEvents(wf: Workflow): GitHubEvent[] {
  const events: GitHubEvent[] = [];
  const push = wf.on.push;
  for (const p of push?.branches ?? []) {
    events.push(...samplesOf(p).map((b): GitHubEvent => ({ name: 'push', ref: `refs/heads/${b}` })));
  }
  for (const p of push?.tags ?? []) {
    events.push(...samplesOf(p).map((t): GitHubEvent => ({ name: 'push', ref: `refs/tags/${t}` })));
  }
  if ('pull_request' in wf.on) {
    events.push({ name: 'pull_request', ref: 'refs/pull/7/merge', headRepo: REPO });
  }
  if ('workflow_dispatch' in wf.on) {
    // A manual run on a declared branch or tag (other refs: see the deny tests).
    events.push(...events.filter((e) => e.name === 'push').map((e): GitHubEvent => ({ name: 'workflow_dispatch', ref: e.ref })));
  }
  return events;
}

/** The jobs whose `if:` lets them run for the event, in the workflow's order. */
function jobsRunning(wf: Workflow, event: GitHubEvent): string[] {
  return Object.keys(wf.jobs).filter((id) => evaluateIf(wf.jobs[id].if, event));
}

/** The ref patterns (`heads/...`, `tags/...`) of the policy's `sub` values, each once, in order. */
function trustedRefsOf(policy: { Statement: Array<{ Condition: Record<string, Record<string, string | string[]>> }> }): string[] {
  const conditions = policy.Statement[0].Condition;
  const subs = Object.values(conditions).flatMap((block) => Object.entries(block))
    .filter(([key]) => key.endsWith(':sub')).flatMap(([, value]) => ([] as string[]).concat(value));
  const refs = subs.map((sub) => /:ref:refs\/(.*)$/.exec(sub)?.[1]).filter((r): r is string => r !== undefined);
  return [...new Set(refs)];
}

/** The jobs the scenario expects an event to start. */
function expectedJobs(s: Scenario, event: GitHubEvent): string[] | undefined {
  switch (event.name) {
    case 'push':
      return event.ref.startsWith('refs/tags/') ? s.jobs.tagPush : s.jobs.branchPush;
    case 'pull_request':
      return s.jobs.pullRequest;
    default:
      return s.jobs.dispatch;
  }
}

describe.each(scenarios)('workflow matches the trust policy: $name', (s) => {
  const { policy, wf } = build(s);

  test('every declared trigger starts the expected jobs, and each gets a token the role accepts', () => {
    // GIVEN
    const events = declaredEvents(wf);
    expect(new Set(events.map((e) => (e.name === 'push' ? e.ref.split('/')[1] : e.name))))
      .toEqual(new Set([
        ...(s.jobs.branchPush ? ['heads'] : []), ...(s.jobs.tagPush ? ['tags'] : []),
        ...(s.jobs.pullRequest ? ['pull_request'] : []), ...(s.jobs.dispatch ? ['workflow_dispatch'] : []),
      ]));
    for (const event of events) {
      // WHEN
      expect({ event, triggers: triggers(wf, event) }).toEqual({ event, triggers: true });
      const tokens = jobsRunning(wf, event).map((id) => jobToken(wf, id, event)!);
      // THEN
      expect({ event, jobs: tokens.map((t) => t.job) }).toEqual({ event, jobs: expectedJobs(s, event) });
      for (const token of tokens) {
        expect({ event, token, decisions: decisions(policy, s, token) }).toEqual({ event, token, decisions: ['Allowed', 'Allowed'] });
      }
    }
  });

  test('the workflow triggers on every ref the role trusts (IAM "*" crosses "/")', () => {
    // GIVEN the ref patterns of the synthesized trust policy
    const trusted = trustedRefsOf(policy);
    expect(trusted).toEqual(s.trustedRefs);
    // THEN a push of any ref they match triggers the workflow
    const refs = trusted.flatMap((pattern) => ['x', 'a/b', '1.0'].map((fill) => `refs/${pattern.replace(/\*+/g, fill)}`));
    expect(refs.map((ref) => [ref, triggers(wf, { name: 'push', ref })])).toEqual(refs.map((ref) => [ref, true]));
  });

  test('refs the workflow does not declare: no job without environment runs, and the role refuses their tokens', () => {
    const push = (ref: string): GitHubEvent => ({ name: 'push', ref });
    // THEN only an environment-only workflow runs for one of them (on its default branch), with environment jobs only...
    const starting = s.undeclaredRefs.filter((ref) => triggers(wf, push(ref)));
    expect(starting).toEqual(s.undeclaredRefsStarting ?? []);
    expect(starting.map((ref) => jobsRunning(wf, push(ref)).filter((id) => wf.jobs[id].environment === undefined)))
      .toEqual(starting.map(() => []));
    // ...and a job without environment on any of them (push or manual run) is refused.
    const context = (ref: string) => ({ context: `ref:${ref}`, aud: audOf(s) });
    expect(s.undeclaredRefs.map((ref) => [ref, decisions(policy, s, context(ref))]))
      .toEqual(s.undeclaredRefs.map((ref) => [ref, ['ImplicitlyDenied', 'ImplicitlyDenied']]));
  });

  test('an environment the workflow does not name is refused; pull_request only if the workflow has that trigger', () => {
    const aud = audOf(s);
    expect(decisions(policy, s, { context: 'environment:undeclared', aud })).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
    const pullRequest = s.jobs.pullRequest ? 'Allowed' : 'ImplicitlyDenied';
    expect(decisions(policy, s, { context: 'pull_request', aud })).toEqual([pullRequest, pullRequest]);
  });

  test('another workflow file of the repository on a trusted ref is refused (issue_comment, schedule, workflow_run, pull_request_target)', () => {
    // The jobs those triggers run carry the trusted ref's subject (the default branch's, or
    // pull_request), but their job_workflow_ref names their own file.
    const aud = audOf(s);
    const trustedContexts = [...s.trustedRefs.map((r) => `ref:refs/${r.replace(/\*+/g, 'x')}`), ...(s.jobs.pullRequest ? ['pull_request'] : [])];
    const expected = pinsWorkflowFile(s) ? 'ImplicitlyDenied' : 'Allowed';
    for (const file of ['bot.yml', 'nightly.yml', 'after-ci.yml', 'pr-target.yml']) {
      expect(trustedContexts.map((context) => [file, context, decisions(policy, s, { context, aud }, file)]))
        .toEqual(trustedContexts.map((context) => [file, context, [expected, expected]]));
    }
  });

  test('an environment job run from an untrusted branch (manual run) is refused when the role trusts branches or tags', () => {
    const event: GitHubEvent = { name: 'workflow_dispatch', ref: 'refs/heads/feature/x' };
    const environmentJobs = Object.keys(wf.jobs).filter((id) => wf.jobs[id].environment !== undefined);
    const tokens = environmentJobs.map((id) => jobToken(wf, id, event)!);
    // Environments only: the environment's deployment branch rules are the ref check (documented).
    const expected = !pinsWorkflowFile(s) || s.trustedRefs.length === 0 ? 'Allowed' : 'ImplicitlyDenied';
    expect(tokens.map((t) => [t.job, decisions(policy, s, t)])).toEqual(tokens.map((t) => [t.job, [expected, expected]]));
  });

  test('a fork pull request runs no job that asks for a token', () => {
    const fork: GitHubEvent = { name: 'pull_request', ref: 'refs/pull/8/merge', headRepo: 'mallory/chatgpt-web' };
    const started = triggers(wf, fork);
    expect({ started, jobs: started ? jobsRunning(wf, fork) : [] }).toEqual({ started: s.jobs.pullRequest !== undefined, jobs: [] });
  });
});

describe('drift is caught', () => {
  test('adding environment: to a branch job changes its subject and the role refuses it', () => {
    // GIVEN a branch-only publisher and its workflow
    const s = scenarios[0];
    const { policy, wf } = build(s);
    const event: GitHubEvent = { name: 'push', ref: 'refs/heads/main' };
    const before = jobToken(wf, 'publish', event)!;
    expect(decisions(policy, s, before)).toEqual(['Allowed', 'Allowed']);
    // WHEN someone edits the job to run in an environment
    const edited: Workflow = { ...wf, jobs: { ...wf.jobs, publish: { ...wf.jobs.publish, environment: 'production' } } };
    const after = jobToken(edited, 'publish', event)!;
    // THEN the token names the environment, not the branch, and is refused
    expect(after.context).toBe('environment:production');
    expect(decisions(policy, s, after)).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });

  test('a token for another repository is refused', () => {
    const s = scenarios[0];
    const { policy } = build(s);
    expect(evaluate(policy, githubToken('octo-org/other', 'ref:refs/heads/main'))).toBe('ImplicitlyDenied');
    expect(evaluate(policy, githubToken(REPO, 'ref:refs/heads/main'))).toBe('Allowed');
  });

  test('a token with the wrong audience is refused', () => {
    const s = scenarios[0];
    const { policy } = build(s);
    expect(decisions(policy, s, { context: 'ref:refs/heads/main', aud: 'https://github.com/octo-org' })).toEqual(['ImplicitlyDenied', 'ImplicitlyDenied']);
  });
});
