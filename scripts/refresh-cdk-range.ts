// SPDX-License-Identifier: Apache-2.0
//
// Rewrites "newest" in .cdk-range.json: the newest aws-cdk-lib 2.x release and
// the newest constructs 10.x its peer range admits, each published at least
// the cool-down ago (the weekly upgrade's 7 days). scripts/ci/cdk-range.sh
// tests the library against that pair and against "floor" (the peer
// dependencies' lowest versions); CI reads the file and never asks the
// registry, so an upstream release reaches CI only through the pull request
// that refreshes this file (`npx projen upgrade` runs this script).
//
//   ts-node scripts/refresh-cdk-range.ts [--cooldown-days N] [--check]
//
// --check prints what would change and exits 1 if the file is not current.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';

export const RANGE_FILE = path.join(__dirname, '..', '.cdk-range.json');

export interface Pair {
  readonly 'aws-cdk-lib': string;
  readonly 'constructs': string;
}

export interface RangeFile {
  readonly floor: Pair;
  readonly newest: Pair;
  readonly suites: string[];
}

/** What the registry says about a package: `npm view <name> versions time --json`. */
export interface PackageInfo {
  readonly versions: string[];
  /** Publication time by version. */
  readonly time: Record<string, string>;
}

type Version = [number, number, number];

/** A stable release version (no pre-release or build suffix), or undefined. */
function parseStable(version: string): Version | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(version);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

export function compareVersions(a: string, b: string): number {
  const [x, y] = [parseStable(a)!, parseStable(b)!];
  for (let i = 0; i < 3; i++) {
    if (x[i] !== y[i]) {
      return x[i] - y[i];
    }
  }
  return 0;
}

/** Whether `version` satisfies a caret range `^X.Y.Z`, the only form aws-cdk-lib declares for constructs. */
export function satisfiesCaret(version: string, range: string): boolean {
  const min = /^\^(\d+\.\d+\.\d+)$/.exec(range.trim());
  if (!min) {
    throw new Error(`unsupported version range "${range}" (expected ^X.Y.Z)`);
  }
  const v = parseStable(version);
  return v !== undefined && v[0] === parseStable(min[1])![0] && compareVersions(version, min[1]) >= 0;
}

/** The newest stable version of `major` published at least `cooldownDays` before `now`, that `accept` admits. */
export function newestRelease(info: PackageInfo, major: number, cooldownDays: number, now: Date,
  accept: (version: string) => boolean = () => true): string | undefined {
  const cutoff = now.getTime() - cooldownDays * 24 * 3600 * 1000;
  return info.versions
    .filter((v) => parseStable(v)?.[0] === major)
    .filter((v) => info.time[v] !== undefined && Date.parse(info.time[v]) <= cutoff)
    .filter(accept)
    .sort(compareVersions)
    .pop();
}

export function parseRangeFile(text: string): RangeFile {
  const range = JSON.parse(text) as RangeFile;
  for (const key of ['floor', 'newest'] as const) {
    for (const lib of ['aws-cdk-lib', 'constructs'] as const) {
      if (typeof range[key]?.[lib] !== 'string' || parseStable(range[key][lib]) === undefined) {
        throw new Error(`.cdk-range.json: ${key}.${lib} must be a version X.Y.Z, got ${JSON.stringify(range[key]?.[lib])}`);
      }
    }
  }
  return range;
}

export function renderRangeFile(range: RangeFile): string {
  return `${JSON.stringify(range, undefined, 2)}\n`;
}

function npmView(args: string[]): unknown {
  return JSON.parse(execFileSync('npm', ['view', ...args, '--json'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }));
}

function packageInfo(name: string): PackageInfo {
  const info = npmView([name, 'versions', 'time']) as { versions: string[]; time: Record<string, string> };
  return { versions: info.versions, time: info.time };
}

function main(): void {
  const args = process.argv.slice(2);
  const check = args.includes('--check');
  const cooldownAt = args.indexOf('--cooldown-days');
  const cooldownDays = cooldownAt >= 0 ? Number(args[cooldownAt + 1]) : 7;
  if (!Number.isInteger(cooldownDays) || cooldownDays < 0) {
    throw new Error(`--cooldown-days must be a whole number of days, got ${args[cooldownAt + 1]}`);
  }
  const range = parseRangeFile(fs.readFileSync(RANGE_FILE, 'utf8'));
  const now = new Date();

  const cdk = newestRelease(packageInfo('aws-cdk-lib'), 2, cooldownDays, now);
  if (cdk === undefined) {
    throw new Error(`the registry has no aws-cdk-lib 2.x release older than ${cooldownDays} days`);
  }
  const peer = (npmView([`aws-cdk-lib@${cdk}`, 'peerDependencies']) as Record<string, string>).constructs;
  const constructs = newestRelease(packageInfo('constructs'), 10, cooldownDays, now, (v) => satisfiesCaret(v, peer));
  if (constructs === undefined) {
    throw new Error(`the registry has no constructs 10.x release older than ${cooldownDays} days within aws-cdk-lib@${cdk}'s peer range ${peer}`);
  }
  if (compareVersions(cdk, range.floor['aws-cdk-lib']) < 0) {
    throw new Error(`the newest aws-cdk-lib found, ${cdk}, is below the floor ${range.floor['aws-cdk-lib']}: is the registry a partial mirror?`);
  }

  const next: RangeFile = { ...range, newest: { 'aws-cdk-lib': cdk, 'constructs': constructs } };
  const before = `aws-cdk-lib ${range.newest['aws-cdk-lib']}, constructs ${range.newest.constructs}`;
  const after = `aws-cdk-lib ${cdk}, constructs ${constructs}`;
  if (before === after) {
    console.log(`.cdk-range.json: newest is current (${after}; cool-down ${cooldownDays} days)`);
    return;
  }
  console.log(`.cdk-range.json: newest ${before} -> ${after} (cool-down ${cooldownDays} days)`);
  if (check) {
    process.exitCode = 1;
    return;
  }
  fs.writeFileSync(RANGE_FILE, renderRangeFile(next));
}

if (require.main === module) {
  main();
}
