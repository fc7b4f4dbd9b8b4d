// Structural invariants of the synthesized trust and push policies, checked for
// every configuration the trust-boundary suite evaluates and for a grid of
// further combinations. They encode the known mistakes of GitHub OIDC trust
// policies (no audience, `repo:*`, wildcards in the owner/name, ForAllValues,
// keys IAM never evaluates, one key split across two operators) as rules on
// the document itself, so a shape the evaluation tables do not exercise still
// cannot slip in.
import { Template } from 'aws-cdk-lib/assertions';
import { GitHubEcrPublisherProps, GitHubIssuer } from '../src';
import {
  CONFIGURATIONS, configurationFixture, GHE_COM, GHES, OWNER_ID, REPO_ID, REUSABLE_WORKFLOW, SLUG, TrustConfiguration,
} from './fixtures/lint/configurations';
import { ACCOUNT, GITHUB_COM_HOST, REPO } from './helpers/fixture';
import { trustPolicyOf } from './helpers/iam-evaluator';

/** Claims whose condition keys STS evaluates for GitHub tokens and the construct may use. */
const EVALUATED_CLAIMS = new Set(['aud', 'sub', 'repository', 'repository_id', 'job_workflow_ref']);
const OPERATORS = new Set(['StringEquals', 'StringLike']);
const PUSH_ACTIONS = new Set([
  'ecr:BatchCheckLayerAvailability', 'ecr:BatchGetImage', 'ecr:CompleteLayerUpload', 'ecr:GetDownloadUrlForLayer',
  'ecr:InitiateLayerUpload', 'ecr:PutImage', 'ecr:UploadLayerPart',
]);

const asList = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

/** Every violation of the trust-policy invariants, as readable strings (empty when the policy is sound). */
function trustViolations(doc: any, props: GitHubEcrPublisherProps): string[] {
  const issuer = props.issuer ?? GitHubIssuer.GITHUB_COM;
  const [owner, name] = props.repo.split('/');
  const out: string[] = [];
  const fail = (msg: string) => out.push(msg);

  if (doc.Version !== '2012-10-17') fail(`Version ${doc.Version}`);
  if (!Array.isArray(doc.Statement) || doc.Statement.length !== 1) return [`expected one statement, got ${JSON.stringify(doc.Statement)}`];
  const st = doc.Statement[0];
  if (st.Effect !== 'Allow') fail(`Effect ${st.Effect}`);
  if (st.Action !== 'sts:AssumeRoleWithWebIdentity') fail(`Action ${JSON.stringify(st.Action)}`);
  for (const k of ['NotAction', 'NotPrincipal', 'NotResource', 'Resource']) if (k in st) fail(`has ${k}`);
  if (JSON.stringify(st.Principal) !== JSON.stringify({ Federated: `arn:aws:iam::${ACCOUNT}:oidc-provider/${issuer.hostPath}` })) {
    fail(`Principal ${JSON.stringify(st.Principal)}`);
  }

  const cond: Record<string, Record<string, unknown>> = st.Condition ?? {};
  const where = new Map<string, string>(); // lower-cased key -> operator
  for (const [op, block] of Object.entries(cond)) {
    if (/ForAllValues|ForAnyValue|IfExists/i.test(op)) fail(`set or IfExists operator ${op}`);
    if (!OPERATORS.has(op)) fail(`operator ${op}`);
    for (const [key, value] of Object.entries(block)) {
      // IAM condition key names are case-insensitive: a key differing only in case is the same key.
      const lower = key.toLowerCase();
      if (where.has(lower)) fail(`${key} under both ${where.get(lower)} and ${op}`);
      where.set(lower, op);
      const claim = key.startsWith(`${issuer.hostPath}:`) ? key.slice(issuer.hostPath.length + 1) : undefined;
      if (claim === undefined || !EVALUATED_CLAIMS.has(claim)) fail(`condition key ${key} is not one IAM evaluates for ${issuer.url}`);
      for (const v of asList(value)) {
        if (typeof v !== 'string') fail(`${key} value ${JSON.stringify(v)} is not a string`);
        else if (op === 'StringEquals' && /[*?]/.test(v)) fail(`${key} value "${v}" has a wildcard under StringEquals (it would be literal)`);
        else if (/\$\{|\?/.test(v)) fail(`${key} value "${v}" has a policy variable or "?"`);
      }
      if (Array.isArray(value) && value.length === 0) fail(`${key} has no values`);
    }
  }
  const values = (claim: string): { op?: string; list: string[] } => {
    const key = issuer.conditionKey(claim);
    for (const [op, block] of Object.entries(cond)) if (key in block) return { op, list: asList(block[key]) as string[] };
    return { list: [] };
  };

  const aud = values('aud');
  if (aud.op !== 'StringEquals' || aud.list.length !== 1 || aud.list[0] !== 'sts.amazonaws.com') fail(`aud ${JSON.stringify(aud)}`);

  const sub = values('sub');
  if (sub.list.length === 0) fail('no sub condition');
  const wildcard = sub.list.some((v) => v.includes('*'));
  if (sub.op !== (wildcard ? 'StringLike' : 'StringEquals')) fail(`sub under ${sub.op} although wildcard=${wildcard}`);
  const ids = props.ownerId !== undefined;
  // Claims beyond sub and aud only for github.com in the aws partition (the fixture's us-east-1), unless set.
  const githubCom = issuer.hostPath === GitHubIssuer.GITHUB_COM.hostPath;
  const claims = props.claimConditions ?? githubCom;
  const allowedSegments = new Set([`${owner}/${name}`, ...(ids ? [`${owner}@${props.ownerId}/${name}@${props.repoId}`] : [])]);
  const idWildcardSegment = `${owner}@*/${name}@*`;
  let usesIdWildcard = false;
  for (const v of sub.list) {
    if (v === '*' || v.startsWith('repo:*')) { fail(`sub "${v}" trusts every repository`); continue; }
    const m = /^repo:([^:]*):(.*)$/.exec(v);
    if (!m) { fail(`sub "${v}" is not repo:<segment>:<context>`); continue; }
    const [, segment, context] = m;
    if (segment === idWildcardSegment && !ids && claims) {
      // The only "*" allowed before the context: the ID slots of the immutable form, pinned below.
      usesIdWildcard = true;
    } else if (!allowedSegments.has(segment)) {
      fail(`sub "${v}" has repository segment "${segment}"${segment.includes('*') ? ' with a "*" before the context' : ''}`);
    }
    if (!/^(ref:refs\/(heads|tags)\/[^:]+|environment:[^:*]+|pull_request)$/.test(context)) {
      fail(`sub "${v}" has context "${context}" (wildcards only in branch/tag names, ":" encoded as %3A)`);
    }
    if (/^ref:refs\/(heads|tags)\/\*/.test(context) && !/^\*+$/.test(context.replace(/^ref:refs\/(heads|tags)\//, ''))) {
      fail(`sub "${v}" starts its ref name with "*"`);
    }
  }
  const repository = values('repository');
  const repositoryId = values('repository_id');
  if (usesIdWildcard && (repository.op !== 'StringEquals' || repository.list.join() !== `${owner}/${name}`)) {
    fail(`the ${idWildcardSegment} form without a repository pin (${JSON.stringify(repository)})`);
  }
  // STS is documented to evaluate repository_id, repository and job_workflow_ref for the github.com issuer
  // in the aws partition only; elsewhere they must be absent (a condition on a key STS does not populate
  // would lock everyone out).
  if (ids && claims && (repositoryId.op !== 'StringEquals' || repositoryId.list.join() !== String(props.repoId))) {
    fail(`IDs given but repository_id is ${JSON.stringify(repositoryId)}`);
  }
  const jwr = values('job_workflow_ref');
  if (!claims && (repositoryId.list.length > 0 || repository.list.length > 0 || jwr.list.length > 0)) {
    fail(`issuer ${issuer.hostPath} without claim conditions gets a repository, repository_id or job_workflow_ref condition`);
  }
  // job_workflow_ref: the reusable workflows as given, and the pinned file of this repository at refs/*
  // or at exactly the trusted branches, tags and pull-request merge refs.
  const file = `${owner}/${name}/.github/workflows/${props.workflowFile ?? `publish-${name.toLowerCase()}.yml`}@`;
  const trustedRefs = new Set([
    'refs/*', 'refs/pull/*/merge', ...(props.branches ?? ['main']).map((b) => `refs/heads/${b}`), ...(props.tags ?? []).map((t) => `refs/tags/${t}`),
  ]);
  const pinned = claims && props.pinWorkflowFile !== false;
  for (const v of jwr.list) {
    if ((props.jobWorkflowRefs ?? []).includes(v)) continue;
    if (!pinned || !v.startsWith(file) || !trustedRefs.has(v.slice(file.length))) fail(`job_workflow_ref value ${JSON.stringify(v)}`);
  }
  for (const v of props.jobWorkflowRefs ?? []) if (!jwr.list.includes(v)) fail(`reusable workflow ${v} missing from job_workflow_ref`);
  if (pinned && !jwr.list.some((v) => v.startsWith(file))) fail(`the pinned workflow file is missing from ${JSON.stringify(jwr)}`);
  return out;
}

/** Every violation of the push-policy invariants in a synthesized template. */
function pushViolations(template: Template): string[] {
  const out: string[] = [];
  const roles = template.findResources('AWS::IAM::Role');
  const [roleId] = Object.keys(roles);
  const role = roles[roleId].Properties;
  if (role.ManagedPolicyArns) out.push(`managed policies ${JSON.stringify(role.ManagedPolicyArns)}`);
  for (const type of ['AWS::IAM::Policy', 'AWS::IAM::ManagedPolicy']) {
    if (Object.keys(template.findResources(type)).length > 0) out.push(`stack has ${type}`);
  }
  const [repoId] = Object.keys(template.findResources('AWS::ECR::Repository'));
  return [...out, ...inlinePolicyViolations(role.Policies ?? [], { 'Fn::GetAtt': [repoId, 'Arn'] })];
}

/** A statement of an inline policy, as synthesized. */
interface StatementJson {
  readonly Effect?: string;
  readonly Action?: string | string[];
  readonly Resource?: unknown;
}

interface InlinePolicyJson {
  readonly PolicyName: string;
  readonly PolicyDocument: { readonly Statement: StatementJson[] };
}

/**
 * The role's inline policies must be exactly one EcrPush policy: the login
 * action on "*", and exactly the push actions (none missing, none extra) on
 * the repository.
 */
function inlinePolicyViolations(policies: InlinePolicyJson[], repositoryArn: unknown): string[] {
  if (policies.length !== 1 || policies[0].PolicyName !== 'EcrPush') return [`inline policies ${JSON.stringify(policies)}`];
  const out: string[] = [];
  const statements = policies[0].PolicyDocument.Statement;
  for (const st of statements) {
    if (st.Effect !== 'Allow') out.push(`Effect ${st.Effect}`);
    if ('NotAction' in st || 'NotResource' in st) out.push('NotAction/NotResource');
    const actions = asList(st.Action) as string[];
    if (actions.some((a) => a.includes('*'))) out.push(`wildcard action in ${JSON.stringify(actions)}`);
  }
  const login = statements.filter((st) => st.Resource === '*');
  if (login.length !== 1 || JSON.stringify(asList(login[0].Action)) !== JSON.stringify(['ecr:GetAuthorizationToken'])) {
    out.push(`"*" resource for ${JSON.stringify(login.map((st) => st.Action))}, expected ecr:GetAuthorizationToken alone`);
  }
  const onRepository = statements.filter((st) => st.Resource !== '*');
  if (onRepository.length !== 1) return [...out, `${onRepository.length} statements on resources other than "*", expected one`];
  const st = onRepository[0];
  if (JSON.stringify(st.Resource) !== JSON.stringify(repositoryArn)) out.push(`resource ${JSON.stringify(st.Resource)}`);
  const granted = asList(st.Action) as string[];
  for (const a of granted) if (!PUSH_ACTIONS.has(a)) out.push(`action ${a} is not needed for a push`);
  for (const a of PUSH_ACTIONS) if (!granted.includes(a)) out.push(`push action ${a} is missing`);
  if (new Set(granted).size !== granted.length) out.push(`duplicate actions in ${JSON.stringify(granted)}`);
  return out;
}

// A grid of further combinations: scope x identity x issuer x reusable workflow.
const SCOPES: Array<[string, Partial<GitHubEcrPublisherProps>]> = [
  ['default', {}],
  ['branches', { branches: ['main', 'develop'] }],
  ['wildcards', { branches: ['release/*', '*'], tags: ['v*', '*'] }],
  ['environments', { environments: ['production', 'a-b-c'] }],
  ['environments-and-refs', { branches: ['main'], tags: ['v*'], environments: ['production'], allowPullRequests: true }],
  ['pr', { allowPullRequests: true }],
  ['all', { branches: ['main', 'hotfix/*'], tags: ['v*'], environments: ['prod'], allowPullRequests: true }],
];
const ISSUERS: Array<[string, GitHubIssuer | undefined, boolean | undefined]> = [
  ['com', undefined, undefined], ['com-noclaims', undefined, false], ['ghes', GHES, undefined], ['slug', SLUG, undefined], ['ghecom', GHE_COM, undefined],
];
const GRID: TrustConfiguration[] = [];
for (const [s, scope] of SCOPES) {
  for (const [i, issuer, claimConditions] of ISSUERS) {
    for (const ids of [false, true]) {
      if (ids && issuer === GHES) continue; // GHES has no immutable subjects (a bad-input row)
      for (const jwr of [false, true]) {
        // jobWorkflowRefs need claim conditions (a bad-input row elsewhere)
        if (jwr && (issuer !== undefined || claimConditions === false)) continue;
        GRID.push({
          name: `Grid-${s}-${i}-${ids ? 'ids' : 'names'}-${jwr ? 'jwr' : 'any'}`,
          props: {
            repo: REPO,
            ...scope,
            issuer,
            claimConditions,
            ...(ids ? { ownerId: OWNER_ID, repoId: REPO_ID } : {}),
            ...(jwr ? { jobWorkflowRefs: [REUSABLE_WORKFLOW] } : {}),
          },
        });
      }
    }
  }
}

describe.each([...CONFIGURATIONS, ...GRID].map((c) => [c.name, c] as const))('%s', (_name, config) => {
  // GIVEN the configuration WHEN synthesized
  const { stack } = configurationFixture(config);
  const template = Template.fromStack(stack);
  const [role] = Object.values(template.findResources('AWS::IAM::Role'));

  test('THEN the trust policy keeps every invariant', () => {
    expect(trustViolations(role.Properties.AssumeRolePolicyDocument, config.props)).toEqual([]);
  });

  test('THEN the push policy grants only a push to this repository', () => {
    expect(pushViolations(template)).toEqual([]);
  });
});

// The checks themselves must be able to fail: each broken document below is one
// of the known mistakes and must be reported.
describe('the invariant checks reject the known mistakes', () => {
  const props: GitHubEcrPublisherProps = { repo: REPO };
  // One synthesized policy; each case breaks its own copy.
  let defaultPolicy: any;
  const good = () => JSON.parse(JSON.stringify(defaultPolicy ??= trustPolicyOf(configurationFixture(CONFIGURATIONS[0]).stack)));
  const K = GITHUB_COM_HOST;
  const cases: Array<[string, (d: any) => void, RegExp]> = [
    ['no aud', (d) => delete d.Statement[0].Condition.StringEquals[`${K}:aud`], /aud/],
    ['sub "*"', (d) => (d.Statement[0].Condition.StringLike[`${K}:sub`] = ['repo:octo-org/chatgpt-web:ref:refs/heads/main', '*']), /trusts every repository/],
    ['sub "repo:*"', (d) => (d.Statement[0].Condition.StringLike[`${K}:sub`] = 'repo:*'), /trusts every repository/],
    ['owner wildcard', (d) => (d.Statement[0].Condition.StringLike[`${K}:sub`] = 'repo:octo-org*/chatgpt-web:ref:refs/heads/main'), /before the context/],
    ['repo prefix wildcard', (d) => (d.Statement[0].Condition.StringLike[`${K}:sub`] = 'repo:octo-org/chatgpt-web*:ref:refs/heads/main'), /before the context/],
    ['any context', (d) => (d.Statement[0].Condition.StringLike[`${K}:sub`] = 'repo:octo-org/chatgpt-web:*'), /context/],
    ['ForAllValues', (d) => { d.Statement[0].Condition['ForAllValues:StringLike'] = d.Statement[0].Condition.StringLike; delete d.Statement[0].Condition.StringLike; }, /ForAllValues/],
    ['IfExists', (d) => { d.Statement[0].Condition.StringEqualsIfExists = d.Statement[0].Condition.StringEquals; delete d.Statement[0].Condition.StringEquals; }, /IfExists/],
    ['key IAM does not evaluate', (d) => (d.Statement[0].Condition.StringEquals[`${K}:repository_owner`] = 'octo-org'), /repository_owner is not one IAM evaluates/],
    ['key split across operators', (d) => (d.Statement[0].Condition.StringEquals[`${K}:sub`] = 'repo:octo-org/chatgpt-web:ref:refs/heads/main'), /under both/],
    ['key split by case', (d) => (d.Statement[0].Condition.StringEquals[`${K}:SUB`] = 'repo:octo-org/chatgpt-web:ref:refs/heads/main'), /under both/],
    ['missing repository pin', (d) => delete d.Statement[0].Condition.StringEquals[`${K}:repository`], /without a repository pin/],
    ['another principal', (d) => (d.Statement[0].Principal = { AWS: '*' }), /Principal/],
  ];
  test('GIVEN the sound default policy THEN no violation', () => {
    expect(trustViolations(good(), props)).toEqual([]);
  });
  test.each(cases)('GIVEN %s THEN reported', (_label, mutate, expected) => {
    const doc = good();
    mutate(doc);
    expect(trustViolations(doc, props).join('\n')).toMatch(expected);
  });
});

describe('the push-policy check rejects a policy that grants more or less than a push', () => {
  const REPOSITORY_ARN = { 'Fn::GetAtt': ['Repo', 'Arn'] };
  const policies = (login: string | string[], push: string[], resource: unknown = REPOSITORY_ARN): InlinePolicyJson[] => [{
    PolicyName: 'EcrPush',
    PolicyDocument: {
      Statement: [
        { Effect: 'Allow', Action: login, Resource: '*' },
        { Effect: 'Allow', Action: push, Resource: resource },
      ],
    },
  }];
  const PUSH = [...PUSH_ACTIONS];
  const LOGIN = 'ecr:GetAuthorizationToken';

  test('GIVEN the login action and exactly the push actions THEN no violation', () => {
    expect(inlinePolicyViolations(policies(LOGIN, PUSH), REPOSITORY_ARN)).toEqual([]);
  });

  test.each<[string, InlinePolicyJson[], string]>([
    ['BatchGetImage missing', policies(LOGIN, PUSH.filter((a) => a !== 'ecr:BatchGetImage')), 'push action ecr:BatchGetImage is missing'],
    ['an extra action', policies(LOGIN, [...PUSH, 'ecr:DeleteRepository']), 'action ecr:DeleteRepository is not needed for a push'],
    ['ecr:*', policies(LOGIN, ['ecr:*']), 'wildcard action in ["ecr:*"]'],
    ['a push action on "*"', policies([LOGIN, 'ecr:PutImage'], PUSH), '"*" resource for [["ecr:GetAuthorizationToken","ecr:PutImage"]], expected ecr:GetAuthorizationToken alone'],
    ['the push on another resource', policies(LOGIN, PUSH, 'arn:aws:ecr:us-east-1:111111111111:repository/other'), 'resource "arn:aws:ecr:us-east-1:111111111111:repository/other"'],
  ])('GIVEN %s THEN reported', (_label, inline, violation) => {
    expect(inlinePolicyViolations(inline, REPOSITORY_ARN)).toContain(violation);
  });
});
