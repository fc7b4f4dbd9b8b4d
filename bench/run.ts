// SPDX-License-Identifier: Apache-2.0
//
// Synth-cost and template-footprint benchmark: floor (raw L1),
// alternative (aws-cdk-github-oidc + ecr.Repository) and ours
// (GitHubEcrPublisher), for N GitHub repositories, plus how many branches fit
// in one trust policy.
//
//   tsc -p bench/tsconfig.json     # type-check (ts-node runs transpile-only)
//   ts-node --project bench/tsconfig.json bench/run.ts [--runs 10] [--sizes 1,50,200] [--profile]
//                                     [--fleet-runs 5] [--fleet-sizes 1000,4900]
//
// Every synth runs in its own process of plain JavaScript (src/ and bench/
// are transpiled once into a temporary directory first), so the TypeScript
// compiler is neither loaded nor timed in the measured processes. One warm-up
// per (variant, N), then the measured runs, interleaved round-robin so that
// noise from other work on the machine spreads over all variants alike.
// Then GitHubEcrPublisherFleet at fleet scale (--fleet-sizes, 0 to skip) and
// the shard moves of its consistent hash.
// Writes bench/results.md and bench/results.json.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
// eslint-disable-next-line import/no-extraneous-dependencies -- the benchmark is a development tool
import * as ts from 'typescript';
import type { ChildResult } from './child';
import type { FleetChildResult } from './fleet-child';
import { REFERENCES, VARIANTS, VariantName } from './variants';

const ROOT = path.resolve(__dirname, '..');
const BENCH_DIR = path.join(ROOT, 'bench');
/** Children's stdout beyond this is a bug, not a result. */
const MAX_BUFFER = 16 * 1024 * 1024;

interface Options {
  readonly runs: number;
  readonly sizes: number[];
  readonly profile: boolean;
  readonly fleetRuns: number;
  readonly fleetSizes: number[];
}


interface Sample {
  readonly wallMs: number;
  readonly loadMs: number;
  readonly synthMs: number;
  readonly synthCpuMs: number;
  readonly maxRssKb: number;
}

interface TemplateStats {
  readonly bytes: number;
  readonly minifiedBytes: number;
  readonly resources: number;
  readonly resourcesByType: Record<string, number>;
  readonly outputs: number;
  readonly lambdaFunctions: number;
  readonly customResources: number;
  /** Minified bytes by part: resources of each type, outputs, CDK metadata, bootstrap parameter/rule. */
  readonly bytesByPart: Record<string, number>;
  /** Minified bytes of the resources of the first repository, by resource and property. */
  readonly firstRepository: Record<string, Record<string, number>>;
}

interface Case {
  readonly variant: string;
  readonly n: number;
  readonly note: string;
  readonly env: Record<string, string>;
  readonly samples: Sample[];
  stats?: TemplateStats;
  templateHash?: string;
  normalizedHash?: string;
}

interface CaseResult extends TemplateStats {
  readonly variant: string;
  readonly n: number;
  readonly note: string;
  readonly wallMs: Spread;
  readonly loadMs: Spread;
  readonly synthMs: Spread;
  readonly synthCpuMs: Spread;
  readonly maxRssMb: Spread;
  readonly templateHash?: string;
  readonly normalizedHash?: string;
  readonly samples: Sample[];
}

interface Results {
  readonly machine: ReturnType<typeof machine> & { readonly loadAverageBefore: number[]; readonly loadAverageAfter: number[] };
  readonly runsPerCase: number;
  readonly benchSeconds: number;
  readonly cases: CaseResult[];
  readonly capacity: CapacityReport;
  readonly fleet: FleetCase[];
  readonly moves: MoveRow[];
  readonly profile?: string;
}

/** One fleet size: synth of every shard stack in one process. */
interface FleetCase {
  readonly n: number;
  readonly shards: number;
  readonly synthMs: Spread;
  readonly synthCpuMs: Spread;
  readonly wallMs: Spread;
  readonly maxRssMb: Spread;
  readonly stacks: number;
  readonly resources: number;
  readonly maxShardResources: number;
  readonly maxShardBytes: number;
  readonly maxShardRepositories: number;
  readonly minShardRepositories: number;
  readonly samples: Sample[];
}

/** Repositories that change shard when `shards` grows by one. */
interface MoveRow {
  readonly names: number;
  readonly from: number;
  readonly moved: number;
  readonly fraction: number;
  readonly expected: number;
  readonly allIntoNewShard: boolean;
  readonly moduloFraction: number;
}

interface Spread {
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

function parseArgs(argv: string[]): Options {
  const get = (flag: string) => {
    const i = argv.indexOf(flag);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const runs = Number(get('--runs') ?? 10);
  const sizes = (get('--sizes') ?? '1,50,200').split(',').map(Number);
  const fleetRuns = Number(get('--fleet-runs') ?? 5);
  const fleetSizes = (get('--fleet-sizes') ?? '1000,4900').split(',').map(Number).filter((n) => n !== 0);
  if (!Number.isInteger(runs) || runs < 1 || sizes.some((n) => !Number.isInteger(n) || n < 1) ||
      !Number.isInteger(fleetRuns) || fleetRuns < 1 || fleetSizes.some((n) => !Number.isInteger(n) || n < 1 || n > 5000)) {
    throw new Error('usage: run.ts [--runs 10] [--sizes 1,50,200] [--profile] [--fleet-runs 5] [--fleet-sizes 1000,4900 (0: none)]');
  }
  return { runs, sizes, profile: argv.includes('--profile'), fleetRuns, fleetSizes };
}

/** Transpiles src/ and the bench children to plain CommonJS in `outDir` (no type check: that is the compile task's job). */
function transpile(outDir: string): void {
  const files = [
    ...listTs(path.join(ROOT, 'src')),
    path.join(BENCH_DIR, 'variants.ts'),
    path.join(BENCH_DIR, 'child.ts'),
    path.join(BENCH_DIR, 'capacity.ts'),
    path.join(BENCH_DIR, 'fleet-child.ts'),
    path.join(BENCH_DIR, 'phase-clock.ts'),
  ];
  for (const file of files) {
    const out = ts.transpileModule(fs.readFileSync(file, 'utf8'), {
      fileName: file,
      compilerOptions: {
        module: ts.ModuleKind.CommonJS,
        target: ts.ScriptTarget.ES2022,
        esModuleInterop: true,
        sourceMap: false,
      },
    });
    const dest = path.join(outDir, path.relative(ROOT, file)).replace(/\.ts$/, '.js');
    fs.mkdirSync(path.dirname(dest), { recursive: true });
    fs.writeFileSync(dest, out.outputText);
  }
  // The transpiled code resolves aws-cdk-lib, yaml, aws-cdk-github-oidc from the project.
  fs.symlinkSync(path.join(ROOT, 'node_modules'), path.join(outDir, 'node_modules'), 'dir');
}

function listTs(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) {
      return listTs(p);
    }
    return e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [p] : [];
  });
}

function runChild(work: string, c: Case, nodeArgs: string[] = []): { sample: Sample; templateFile: string; outdir: string } {
  const outdir = fs.mkdtempSync(path.join(work, `out-${c.variant}-${c.n}-`));
  const start = performance.now();
  const res = spawnSync(process.execPath, [...nodeArgs, path.join(work, 'bench', 'child.js'), c.variant, String(c.n), outdir], {
    cwd: work,
    env: { ...process.env, ...c.env },
    encoding: 'utf8',
    maxBuffer: MAX_BUFFER,
  });
  const wallMs = performance.now() - start;
  if (res.status !== 0) {
    throw new Error(`${c.variant} N=${c.n} failed (exit ${res.status}):\n${res.stderr.slice(-3000)}`);
  }
  const r = JSON.parse(res.stdout.trim().split('\n').pop()!) as ChildResult;
  return {
    sample: { wallMs, loadMs: r.loadMs, synthMs: r.synthMs, synthCpuMs: r.synthCpuMs, maxRssKb: r.maxRssKb },
    templateFile: r.templateFile,
    outdir,
  };
}

function analyzeTemplate(file: string): TemplateStats {
  const text = fs.readFileSync(file, 'utf8');
  const template = JSON.parse(text) as {
    Resources?: Record<string, { Type: string; Metadata?: Record<string, unknown>; [k: string]: unknown }>;
    Outputs?: Record<string, unknown>;
    Parameters?: Record<string, unknown>;
    Rules?: Record<string, unknown>;
  };
  const resources = template.Resources ?? {};
  const size = (v: unknown) => JSON.stringify(v).length;
  const byType: Record<string, number> = {};
  const bytesByPart: Record<string, number> = {};
  const add = (k: string, v: number) => { bytesByPart[k] = (bytesByPart[k] ?? 0) + v; };
  const firstRepository: Record<string, Record<string, number>> = {};
  let lambdaFunctions = 0;
  let customResources = 0;
  for (const [logicalId, resource] of Object.entries(resources)) {
    if (resource.Type === 'AWS::CDK::Metadata') {
      add('CDK metadata (AWS::CDK::Metadata)', size({ [logicalId]: resource }));
      continue;
    }
    byType[resource.Type] = (byType[resource.Type] ?? 0) + 1;
    if (resource.Type === 'AWS::Lambda::Function') {
      lambdaFunctions++;
    }
    if (resource.Type.startsWith('Custom::') || resource.Type === 'AWS::CloudFormation::CustomResource') {
      customResources++;
    }
    const { Metadata, ...rest } = resource;
    add(resource.Type, size({ [logicalId]: rest }));
    if (Metadata) {
      // `"Metadata":{...},` inside the resource object.
      add('CDK metadata (aws:cdk:path per resource)', size(Metadata) + '"Metadata":,'.length);
    }
    const cdkPath = String(Metadata?.['aws:cdk:path'] ?? '');
    if (/^Bench\/(Publisher|Repository|Role)0(\/|$)/.test(cdkPath)) {
      const props: Record<string, number> = { '(logical id, Type, braces)': size({ [logicalId]: { Type: resource.Type } }) };
      for (const [k, v] of Object.entries(rest)) {
        if (k === 'Properties') {
          for (const [pk, pv] of Object.entries(v as Record<string, unknown>)) {
            props[`Properties.${pk}`] = size({ [pk]: pv });
          }
        } else if (k !== 'Type') {
          props[k] = size({ [k]: v });
        }
      }
      if (Metadata) {
        props.Metadata = size({ Metadata });
      }
      firstRepository[`${logicalId} (${resource.Type})`] = props;
    }
  }
  if (template.Outputs) {
    add('Outputs', size({ Outputs: template.Outputs }));
  }
  if (template.Parameters || template.Rules) {
    add('Bootstrap version parameter and rule', size({ Parameters: template.Parameters, Rules: template.Rules }));
  }
  return {
    bytes: Buffer.byteLength(text),
    minifiedBytes: Buffer.byteLength(JSON.stringify(template)),
    resources: Object.values(byType).reduce((a, b) => a + b, 0),
    resourcesByType: byType,
    outputs: Object.keys(template.Outputs ?? {}).length,
    lambdaFunctions,
    customResources,
    bytesByPart,
    firstRepository,
  };
}

/**
 * Identity of what CloudFormation deploys: resources and outputs in logical-id
 * order, without AWS::CDK::Metadata (whose analytics list construct classes).
 */
function normalizedHash(file: string): string {
  const t = JSON.parse(fs.readFileSync(file, 'utf8')) as { Resources?: Record<string, { Type: string }>; Outputs?: Record<string, unknown> };
  const sorted = <T>(o: Record<string, T> = {}) => Object.keys(o).sort().map((k) => [k, o[k]]);
  return hashText(JSON.stringify({
    Resources: sorted(t.Resources).filter(([, r]) => (r as { Type: string }).Type !== 'AWS::CDK::Metadata'),
    Outputs: sorted(t.Outputs),
  }));
}

function hashOf(file: string): string {
  // The templates must not change between runs.
  return hashText(fs.readFileSync(file, 'utf8'));
}

function hashText(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 16);
}

function spread(values: number[]): Spread {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  const median = s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
  return { median, min: s[0], max: s[s.length - 1] };
}

function machine() {
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    nproc: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    totalMemGb: Math.round(os.totalmem() / 2 ** 30 * 10) / 10,
    awsCdkLib: readVersion('aws-cdk-lib'),
    awsCdkGithubOidc: readVersion('aws-cdk-github-oidc'),
  };
}

function readVersion(pkg: string): string {
  return (JSON.parse(fs.readFileSync(path.join(ROOT, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string }).version;
}

function main(): void {
  const opts = parseArgs(process.argv.slice(2));
  const benchStart = performance.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecr-publisher-bench-'));
  const info = machine();
  const loadBefore = os.loadavg();
  try {
    transpile(work);

    const cases: Case[] = [];
    for (const n of opts.sizes) {
      for (const variant of [...VARIANTS, ...REFERENCES]) {
        // CloudFormation allows 200 outputs per stack and ours adds 4 per repository.
        const outputs = n * 4 <= 200;
        cases.push({
          variant,
          n,
          samples: [],
          note: variant === 'ours' ? `providerSource create(), createOutputs ${outputs}` : REFERENCES.includes(variant) ? `reference, outputs ${outputs}` : '',
          env: { BENCH_CREATE_OUTPUTS: String(outputs) },
        });
      }
      // The default provider source, lookup answered "not found" by context.
      const outputs = n * 4 <= 200;
      cases.push({
        variant: 'ours',
        n,
        samples: [],
        note: `providerSource default (lookupOrCreate, context "not found"), createOutputs ${outputs}`,
        env: { BENCH_CREATE_OUTPUTS: String(outputs), BENCH_PROVIDER_SOURCE: 'default' },
      });
    }

    const measure = (c: Case, warmUp: boolean) => {
      const { sample, templateFile, outdir } = runChild(work, c);
      const hash = hashOf(templateFile);
      if (!c.stats) {
        c.stats = analyzeTemplate(templateFile);
        c.templateHash = hash;
        c.normalizedHash = normalizedHash(templateFile);
      } else if (c.templateHash !== hash) {
        throw new Error(`${c.variant} N=${c.n}: template changed between runs`);
      }
      fs.rmSync(outdir, { recursive: true, force: true });
      if (!warmUp) {
        c.samples.push(sample);
      }
      process.stderr.write(`${warmUp ? 'warm-up ' : ''}${c.variant}${c.env.BENCH_PROVIDER_SOURCE ? ' (default source)' : ''} N=${c.n}: ` +
        `synth ${sample.synthMs.toFixed(0)} ms (CPU ${sample.synthCpuMs.toFixed(0)} ms), wall ${sample.wallMs.toFixed(0)} ms, RSS ${(sample.maxRssKb / 1024).toFixed(0)} MB\n`);
    };

    for (const n of opts.sizes) {
      const group = cases.filter((c) => c.n === n);
      group.forEach((c) => measure(c, true));
      for (let r = 0; r < opts.runs; r++) {
        // Rotate the order each round so no variant always runs first or last.
        group.forEach((_, k) => measure(group[(k + r) % group.length], false));
      }
    }

    let profile: string | undefined;
    if (opts.profile) {
      // Outside the repository: profiles are large and not results to commit.
      profile = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecr-publisher-bench-profiles-'));
      for (const variant of VARIANTS) {
        const c = cases.find((x) => x.variant === variant && x.n === Math.max(...opts.sizes) && !x.env.BENCH_PROVIDER_SOURCE)!;
        const dir = path.join(profile, variant);
        const { outdir } = runChild(work, c, ['--cpu-prof', '--cpu-prof-interval', '100', `--cpu-prof-dir=${dir}`]);
        fs.rmSync(outdir, { recursive: true, force: true });
      }
      process.stderr.write(`CPU profiles: ${profile}/<variant>/*.cpuprofile (summarize: ts-node --project bench/tsconfig.json bench/profile-summary.ts <file>)\n`);
    }

    const capacity = runCapacity(work);
    const fleet = opts.fleetSizes.map((n) => measureFleet(work, n, opts.fleetRuns));
    const moves = measureMoves(work);
    const loadAfter = os.loadavg();
    const results: Results = {
      machine: { ...info, loadAverageBefore: loadBefore, loadAverageAfter: loadAfter },
      runsPerCase: opts.runs,
      benchSeconds: Math.round((performance.now() - benchStart) / 1000),
      cases: cases.map((c) => ({
        variant: c.variant,
        n: c.n,
        note: c.note,
        wallMs: spread(c.samples.map((s) => s.wallMs)),
        loadMs: spread(c.samples.map((s) => s.loadMs)),
        synthMs: spread(c.samples.map((s) => s.synthMs)),
        synthCpuMs: spread(c.samples.map((s) => s.synthCpuMs)),
        maxRssMb: spread(c.samples.map((s) => s.maxRssKb / 1024)),
        templateHash: c.templateHash,
        normalizedHash: c.normalizedHash,
        ...c.stats!,
        samples: c.samples,
      })),
      capacity: capacity as CapacityReport,
      fleet,
      moves,
      profile,
    };
    fs.writeFileSync(path.join(BENCH_DIR, 'results.json'), JSON.stringify(results, undefined, 2) + '\n');
    const md = renderMarkdown(results);
    fs.writeFileSync(path.join(BENCH_DIR, 'results.md'), md);
    process.stdout.write(md);
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function runCapacity(work: string): unknown {
  const res = spawnSync(process.execPath, [path.join(work, 'bench', 'capacity.js')], { cwd: work, encoding: 'utf8', maxBuffer: MAX_BUFFER });
  if (res.status !== 0) {
    throw new Error(`capacity measurement failed (exit ${res.status}):\n${res.stderr.slice(-3000)}`);
  }
  return JSON.parse(res.stdout);
}

/**
 * Shards for a fleet of N: one per 160 repositories, rounded up (two thirds
 * of the 240 a shard holds with the inline push policy, room for growth and
 * for the hash's uneven spread), as docs/many-repositories.md advises.
 */
function shardsFor(n: number): number {
  return Math.ceil(n / 160);
}

function measureFleet(work: string, n: number, runs: number): FleetCase {
  const shards = shardsFor(n);
  const samples: Sample[] = [];
  let stats: Omit<FleetCase, 'synthMs' | 'synthCpuMs' | 'wallMs' | 'maxRssMb' | 'samples' | 'n' | 'shards'> | undefined;
  for (let r = -1; r < runs; r++) {
    const outdir = fs.mkdtempSync(path.join(work, `out-fleet-${n}-`));
    const start = performance.now();
    const res = spawnSync(process.execPath, [path.join(work, 'bench', 'fleet-child.js'), String(n), String(shards), outdir], {
      cwd: work, encoding: 'utf8', maxBuffer: MAX_BUFFER,
    });
    const wallMs = performance.now() - start;
    if (res.status !== 0) {
      throw new Error(`fleet N=${n} failed (exit ${res.status}):\n${res.stderr.slice(-3000)}`);
    }
    const c = JSON.parse(res.stdout.trim().split('\n').pop()!) as FleetChildResult;
    if (!stats) {
      const shardStats = c.templateFiles.map((f) => {
        const t = JSON.parse(fs.readFileSync(f, 'utf8')) as { Resources: Record<string, { Type: string }> };
        const types = Object.values(t.Resources).map((x) => x.Type);
        return {
          resources: types.filter((x) => x !== 'AWS::CDK::Metadata').length,
          repositories: types.filter((x) => x === 'AWS::ECR::Repository').length,
          bytes: fs.statSync(f).size,
        };
      });
      stats = {
        stacks: shardStats.length,
        resources: shardStats.reduce((a, s) => a + s.resources, 0),
        maxShardResources: Math.max(...shardStats.map((s) => s.resources)),
        maxShardBytes: Math.max(...shardStats.map((s) => s.bytes)),
        maxShardRepositories: Math.max(...shardStats.map((s) => s.repositories)),
        minShardRepositories: Math.min(...shardStats.map((s) => s.repositories)),
      };
    }
    fs.rmSync(outdir, { recursive: true, force: true });
    const sample = { wallMs, loadMs: c.loadMs, synthMs: c.synthMs, synthCpuMs: c.synthCpuMs, maxRssKb: c.maxRssKb };
    if (r >= 0) {
      samples.push(sample);
    }
    process.stderr.write(`${r < 0 ? 'warm-up ' : ''}fleet N=${n} (${shards} shards): synth ${sample.synthMs.toFixed(0)} ms ` +
      `(CPU ${sample.synthCpuMs.toFixed(0)} ms), wall ${wallMs.toFixed(0)} ms, RSS ${(sample.maxRssKb / 1024).toFixed(0)} MB\n`);
  }
  return {
    n,
    shards,
    synthMs: spread(samples.map((s) => s.synthMs)),
    synthCpuMs: spread(samples.map((s) => s.synthCpuMs)),
    wallMs: spread(samples.map((s) => s.wallMs)),
    maxRssMb: spread(samples.map((s) => s.maxRssKb / 1024)),
    ...stats!,
    samples,
  };
}

/**
 * The fleet's shard assignment (the library's own jump hash of the name key)
 * for 10,000 names, when `shards` grows by one; and, for contrast, a hash
 * modulo the shard count.
 */
function measureMoves(work: string): MoveRow[] {
  /* eslint-disable @typescript-eslint/no-require-imports */
  const { jumpHash, nameKey }: typeof import('../src/private/jump-hash') = require(path.join(work, 'src', 'private', 'jump-hash.js'));
  const { fleetRepositoryNames }: typeof import('./fleet-child') = require(path.join(work, 'bench', 'fleet-child.js'));
  const keys = fleetRepositoryNames(10_000).map((name) => nameKey(name.toLowerCase()));
  return [1, 7, 8, 20, 31].map((from) => {
    let moved = 0;
    let intoNew = 0;
    let moduloMoved = 0;
    for (const key of keys) {
      const a = jumpHash(key, from);
      const b = jumpHash(key, from + 1);
      if (a !== b) {
        moved++;
        intoNew += b === from ? 1 : 0;
      }
      moduloMoved += key % BigInt(from) !== key % BigInt(from + 1) ? 1 : 0;
    }
    return {
      names: keys.length,
      from,
      moved,
      fraction: moved / keys.length,
      expected: 1 / (from + 1),
      allIntoNewShard: intoNew === moved,
      moduloFraction: moduloMoved / keys.length,
    };
  });
}

function renderMarkdown(r: Results): string {
  const f0 = (x: number) => x.toFixed(0);
  const f2 = (x: number) => x.toFixed(2);
  const sp = (s: Spread, fmt = f0) => `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})`;
  const rows = r.cases.filter((c) => !c.note.includes('default'));
  const label = (c: CaseResult) => REFERENCES.includes(c.variant as VariantName) ? `${c.variant} (reference)` : c.variant;
  const lines: string[] = [];
  const m = r.machine;
  lines.push('# Benchmark: synth cost and template footprint', '');
  lines.push(`Date: ${m.date}. Machine: ${m.nproc} CPUs (${m.cpuModel}), ${m.totalMemGb} GB, ${m.platform}, Node ${m.node}, ` +
    `aws-cdk-lib ${m.awsCdkLib}, aws-cdk-github-oidc ${m.awsCdkGithubOidc}. Load average (1/5/15 min) before ` +
    `${m.loadAverageBefore.map(f2).join('/')}, after ${m.loadAverageAfter.map(f2).join('/')}. ` +
    `${r.runsPerCase} measured runs per case after one warm-up, each in its own process, interleaved; whole bench ${r.benchSeconds} s.`, '');
  lines.push('Command: `npx projen bench` (`tsc -p bench/tsconfig.json`, then `ts-node --project bench/tsconfig.json bench/run.ts`).', '');
  lines.push('Each app: N GitHub repositories, each with an ECR repository keeping the last 10 images and a role that ' +
    '`main` and `v*` tags can assume (audience checked) with push permissions on its repository; one GitHub OIDC provider; ' +
    'stack with a concrete env (account and region). ' +
    '**floor**: raw L1 (`CfnOIDCProvider`, `CfnRepository` with the lifecycle policy text, `CfnRole` with an inline policy). ' +
    '**alternative**: `aws-cdk-github-oidc` (`GithubActionsIdentityProvider`, `GithubActionsRole` with a second trust ' +
    'statement for `v*`) plus `ecr.Repository` with `addLifecycleRule` and `grantPullPush`. **ours**: `GitHubEcrPublisher` ' +
    'with `providerSource: OidcProviderSource.create()`; `createOutputs: false` where 4 outputs per repository would exceed ' +
    'CloudFormation\'s 200 per stack (N = 200). Two references deploy exactly ours\' resources and outputs (checked below): ' +
    '**l1** writes them with L1 constructs only (the floor plus ours\' extra settings), **l2** with plain aws-cdk-lib L2s ' +
    '(`ecr.Repository`, `iam.Role`, `OidcProviderNative`, `CfnOutput`). floor → l1 is the cost of the extra settings, ' +
    'l1 → l2 the cost of the L2 layer, l2 → ours the cost of the library\'s own code (validation and synth-time checks).', '');
  lines.push('synth = construct tree + `app.synth()` in the child, wall ms; synth CPU = the same phase in CPU time ' +
    '(user + system, all threads of the child: less disturbed than wall time by other work on the machine); wall = whole ' +
    'child process (Node start-up and module loading included), ms; RSS = peak resident memory of the child, MB; ' +
    'median (min–max).', '');
  lines.push('| variant | N | synth ms | synth CPU ms | wall ms | peak RSS MB |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const c of rows) {
    lines.push(`| ${label(c)} | ${c.n} | ${sp(c.synthMs)} | ${sp(c.synthCpuMs)} | ${sp(c.wallMs)} | ${sp(c.maxRssMb)} |`);
  }
  lines.push('');
  lines.push('Template bytes as `cdk synth` writes them (CLI default context: path metadata and version reporting on). ' +
    'Resources exclude `AWS::CDK::Metadata`.', '');
  lines.push('| variant | N | resources | per repo | outputs | template bytes | bytes / repo | Lambda functions | custom resources | deployable as one stack |');
  lines.push('|---|---:|---:|---:|---:|---:|---:|---:|---:|---|');
  for (const c of rows) {
    lines.push(`| ${label(c)} | ${c.n} | ${c.resources} | ${f2(c.resources / c.n)} | ${c.outputs} | ${c.bytes} | ${f0(c.bytes / c.n)} | ` +
      `${c.lambdaFunctions} | ${c.customResources} | ${deployable(c)} |`);
  }
  lines.push('');
  const sizes = [...new Set(rows.map((c) => c.n))];
  const find = (v: VariantName, n: number) => rows.find((c) => c.variant === v && c.n === n)!;
  lines.push('Ratios (of medians for times and memory):', '');
  lines.push('| N | synth ours/floor | synth ours/alt | synth CPU ours/floor | synth CPU ours/alt | synth CPU l1/floor | synth CPU l2/l1 | synth CPU ours/l2 | RSS ours/floor | RSS ours/alt | bytes ours/floor | bytes ours/alt | resources ours/floor | resources ours/alt |');
  lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const n of sizes) {
    const o = find('ours', n);
    const fl = find('floor', n);
    const a = find('alternative', n);
    const l1 = find('l1', n);
    const l2 = find('l2', n);
    lines.push(`| ${n} | ${f2(o.synthMs.median / fl.synthMs.median)} | ${f2(o.synthMs.median / a.synthMs.median)} | ` +
      `${f2(o.synthCpuMs.median / fl.synthCpuMs.median)} | ${f2(o.synthCpuMs.median / a.synthCpuMs.median)} | ` +
      `${f2(l1.synthCpuMs.median / fl.synthCpuMs.median)} | ${f2(l2.synthCpuMs.median / l1.synthCpuMs.median)} | ${f2(o.synthCpuMs.median / l2.synthCpuMs.median)} | ` +
      `${f2(o.maxRssMb.median / fl.maxRssMb.median)} | ${f2(o.maxRssMb.median / a.maxRssMb.median)} | ` +
      `${f2(o.bytes / fl.bytes)} | ${f2(o.bytes / a.bytes)} | ${f2(o.resources / fl.resources)} | ${f2(o.resources / a.resources)} |`);
  }
  lines.push('');
  for (const ref of REFERENCES) {
    const same = sizes.map((n) => `N = ${n}: ${find(ref, n).normalizedHash === find('ours', n).normalizedHash ? 'yes' : '**no**'}`);
    lines.push(`${ref} (reference) deploys the same resources and outputs as ours (template without AWS::CDK::Metadata, in logical-id order): ${same.join(', ')}.`, '');
  }

  // The issue's targets, at the largest N.
  const big = Math.max(...sizes);
  {
    const o = find('ours', big);
    const fl = find('floor', big);
    const a = find('alternative', big);
    const mark = (ok: boolean) => ok ? 'met' : '**missed**';
    const cpuRatio = o.synthCpuMs.median / fl.synthCpuMs.median;
    const wallRatio = o.synthMs.median / fl.synthMs.median;
    const fixed = o.resources - 2 * big;
    lines.push(`Targets at N = ${big}:`, '');
    lines.push(`- synth ≤ 1.2 × floor: ${mark(cpuRatio <= 1.2 && wallRatio <= 1.2)} (CPU ${f2(cpuRatio)} ×, wall ${f2(wallRatio)} ×)`);
    lines.push(`- synth below the alternative: ${mark(o.synthCpuMs.median < a.synthCpuMs.median && o.synthMs.median < a.synthMs.median)} ` +
      `(CPU ${f2(o.synthCpuMs.median / a.synthCpuMs.median)} ×, wall ${f2(o.synthMs.median / a.synthMs.median)} ×)`);
    lines.push(`- 2 resources per repository plus one provider: ${mark(fixed === 1 && o.resourcesByType['AWS::IAM::OIDCProvider'] === 1)} (${o.resources} = 2 × ${big} + ${fixed})`);
    lines.push(`- no Lambda: ${mark(o.lambdaFunctions === 0 && o.customResources === 0)} (${o.lambdaFunctions} functions, ${o.customResources} custom resources)`);
    lines.push(`- bytes per repository ≤ 1.1 × floor: ${mark(o.bytes / fl.bytes <= 1.1)} (${f2(o.bytes / fl.bytes)} ×; ${f0(o.bytes / big)} vs ${f0(fl.bytes / big)} bytes)`);
    lines.push('');
  }

  // Resources per repository as a straight line through the two largest N.
  if (sizes.length >= 2) {
    const [n1, n2] = sizes.slice(-2);
    lines.push(`Resources as a · N + b (through N = ${n1} and ${n2}):`, '');
    for (const v of VARIANTS) {
      const a = (find(v, n2).resources - find(v, n1).resources) / (n2 - n1);
      const b = find(v, n1).resources - a * n1;
      const types = Object.entries(find(v, n2).resourcesByType).map(([t, k]) => `${k} ${t}`).join(', ');
      lines.push(`- ${v}: ${f2(a)} · N + ${f2(b)} (N = ${n2}: ${types})`);
    }
    lines.push('');
  }

  const defaults = r.cases.filter((c) => c.note.includes('default'));
  if (defaults.length > 0) {
    lines.push('Default provider source (`lookupOrCreate()`, lookup answered "not found" through context as `cdk.context.json` would):', '');
    lines.push('| N | synth ms | synth CPU ms | wall ms | template identical to create() |');
    lines.push('|---:|---:|---:|---:|---|');
    for (const d of defaults) {
      const o = find('ours', d.n);
      lines.push(`| ${d.n} | ${sp(d.synthMs)} | ${sp(d.synthCpuMs)} | ${sp(d.wallMs)} | ${d.templateHash === o.templateHash ? 'yes' : `no (${d.bytes} vs ${o.bytes} bytes)`} |`);
    }
    lines.push('');
  }

  lines.push(`Where the bytes go at N = ${big} (minified JSON bytes per repository, by part of the template):`, '');
  const parts = [...new Set(VARIANTS.flatMap((v) => Object.keys(find(v, big).bytesByPart)))].sort();
  lines.push(`| part | ${VARIANTS.join(' | ')} |`);
  lines.push(`|---|${VARIANTS.map(() => '---:').join('|')}|`);
  for (const p of parts) {
    lines.push(`| ${p} | ${VARIANTS.map((v) => f0((find(v, big).bytesByPart[p] ?? 0) / big)).join(' | ')} |`);
  }
  lines.push(`| **total (minified)** | ${VARIANTS.map((v) => f0(find(v, big).minifiedBytes / big)).join(' | ')} |`);
  lines.push(`| total (as written) | ${VARIANTS.map((v) => f0(find(v, big).bytes / big)).join(' | ')} |`);
  lines.push('');
  lines.push(`The resources of the first repository (N = ${big}), minified bytes by property:`, '');
  for (const v of VARIANTS) {
    for (const [res, props] of Object.entries(find(v, big).firstRepository)) {
      const total = Object.values(props).reduce((a, b) => a + b, 0);
      lines.push(`- ${v} ${res}, ~${total}: ${Object.entries(props).map(([k, b]) => `${k} ${b}`).join(', ')}`);
    }
  }
  lines.push('');

  const cap = r.capacity;
  lines.push(`Trust policy capacity: the largest number of branches \`feature-NN\` of \`${cap.repo}\` one role can trust ` +
    '(no tag, no environment), measured by synthesizing and counting the trust policy as IAM does (whitespace removed, ' +
    'deploy-time values at their longest expansion):', '');
  lines.push('| trust policy | quota | max branches | `sub` values | size at max | first failing size |');
  lines.push('|---|---:|---:|---:|---:|---:|');
  for (const row of cap.rows) {
    lines.push(`| ${row.label} | ${row.quota} | ${row.maxBranches} | ${row.subjects} | ${row.sizeAtMax} | ${row.sizeAboveMax} |`);
  }
  lines.push('');
  if (r.fleet.length > 0) {
    lines.push('## Fleet scale', '');
    lines.push('`GitHubEcrPublisherFleet` with N repositories `org-<k>/service-<i>` (50 owners; every second one with the ' +
      'GitHub Environment `production`; `tags: [\'v*\']`; the organisation workflow trusted next to each repository\'s own ' +
      'file; `roleQuota: 5000`; the default provider source, lookup answered "not found", so the base stack creates the provider) in one account and region, `shards` = ⌈N / 160⌉; ' +
      `synth = the construct tree plus \`app.synth()\` of the base stack and every shard stack, in one process; one warm-up, then ${r.fleet[0].samples.length} runs; median (min–max).`, '');
    lines.push('| N | shards | stacks | synth ms | synth CPU ms | wall ms | peak RSS MB | resources | repositories per shard | largest shard: resources, bytes |');
    lines.push('|---:|---:|---:|---:|---:|---:|---:|---:|---|---|');
    for (const c of r.fleet) {
      lines.push(`| ${c.n} | ${c.shards} | ${c.stacks} | ${sp(c.synthMs)} | ${sp(c.synthCpuMs)} | ${sp(c.wallMs)} | ${sp(c.maxRssMb)} | ` +
        `${c.resources} | ${c.minShardRepositories}–${c.maxShardRepositories} | ${c.maxShardResources}, ${c.maxShardBytes} |`);
    }
    lines.push('');
    const target = (n: number) => n <= 1000 ? 5000 : 25000;
    lines.push('Targets: synth ≤ 5 s at 1,000 repositories and ≤ 25 s at 4,900, peak memory ≤ 450 MB (median of the runs; ' +
      'the slowest run is shown too, because other work on the machine slows single runs):', '');
    for (const c of r.fleet) {
      const ok = c.synthMs.median <= target(c.n) && c.maxRssMb.max <= 450;
      lines.push(`- N = ${c.n}: ${ok ? 'met' : '**missed**'} (synth median ${f0(c.synthMs.median)} ms of ${target(c.n)}, slowest run ` +
        `${f0(c.synthMs.max)} ms${c.synthMs.max > target(c.n) ? ' (over)' : ''}; synth CPU median ${f0(c.synthCpuMs.median)} ms; RSS at most ${f0(c.maxRssMb.max)} MB)`);
    }
    lines.push('');
  }
  if (r.moves.length > 0) {
    lines.push(`Shard moves when \`shards\` grows by one (${r.moves[0].names} names, the fleet's jump hash; a hash modulo the shard count for contrast):`, '');
    lines.push('| shards | moved | fraction | 1/(shards+1) | all into the new shard | modulo hash: fraction moved |');
    lines.push('|---|---:|---:|---:|---|---:|');
    for (const mv of r.moves) {
      lines.push(`| ${mv.from} → ${mv.from + 1} | ${mv.moved} | ${mv.fraction.toFixed(3)} | ${mv.expected.toFixed(3)} | ${mv.allIntoNewShard ? 'yes' : '**no**'} | ${mv.moduloFraction.toFixed(3)} |`);
    }
    lines.push('');
  }
  if (r.profile) {
    lines.push(`CPU profiles at N = ${big}: ${r.profile}/<variant>/*.cpuprofile.`, '');
  }
  return lines.join('\n');
}

/** CloudFormation's per-stack limits (aws-cdk-lib counts the template body against 10^6 bytes). */
function deployable(c: CaseResult): string {
  const problems = [
    ...(c.resources > 500 ? [`${c.resources} resources > 500`] : []),
    ...(c.outputs > 200 ? [`${c.outputs} outputs > 200`] : []),
    ...(c.bytes > 1_000_000 ? [`${c.bytes} bytes > 1 MB`] : []),
  ];
  return problems.length === 0 ? 'yes' : `**no**: ${problems.join(', ')}`;
}

interface CapacityReport {
  readonly repo: string;
  readonly rows: Array<{ label: string; quota: number; maxBranches: number; subjects: number; sizeAtMax: number; sizeAboveMax: number }>;
}

main();
