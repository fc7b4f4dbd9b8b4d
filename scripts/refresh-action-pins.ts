// SPDX-License-Identifier: Apache-2.0
//
// Refreshes (or verifies) the commit pins in src/private/action-pins.ts from
// the actions' own git repositories, with `git ls-remote --tags`.
//
//   ts-node scripts/refresh-action-pins.ts            # newest release of each pinned major
//   ts-node scripts/refresh-action-pins.ts --major    # newest release, any major
//   ts-node scripts/refresh-action-pins.ts --verify   # every pin is the commit of its tag
//
// ACTION_PINS_GIT_URL sets where each repository is read from; `{owner}` and
// `{name}` are replaced (default https://github.com/{owner}/{name}.git; a
// directory of mirrors works too, e.g. /mirrors/{owner}+{name}.git).
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { compareVersions } from './refresh-cdk-range';

export const PINS_FILE = path.join(__dirname, '..', 'src', 'private', 'action-pins.ts');
const BEGIN = '// BEGIN PINS (rewritten by scripts/refresh-action-pins.ts)';
const END = '// END PINS';

export interface Pin {
  readonly repository: string;
  readonly version: string;
  readonly sha: string;
}

/** Release tags (`vX.Y.Z`, no pre-releases) and the commit each points to, from `git ls-remote --tags` output. */
export function releaseTags(output: string): Map<string, string> {
  const direct = new Map<string, string>();
  const peeled = new Map<string, string>();
  for (const line of output.split('\n')) {
    const m = /^([0-9a-f]{40})\trefs\/tags\/(v\d+\.\d+\.\d+)(\^\{\})?$/.exec(line.trim());
    if (m) {
      (m[3] ? peeled : direct).set(m[2], m[1]);
    }
  }
  // An annotated tag's own line names the tag object; its `^{}` line names the commit.
  return new Map([...direct.keys()].map((tag) => [tag, peeled.get(tag) ?? direct.get(tag)!]));
}

/** The major version of a release tag `vX.Y.Z`. */
function majorOf(tag: string): number {
  return Number(tag.slice(1).split('.')[0]);
}

/** The newest release tag, within `current`'s major unless `anyMajor`. */
export function newestTag(tags: Map<string, string>, current: string, anyMajor: boolean): string | undefined {
  const major = majorOf(current);
  return [...tags.keys()]
    .filter((t) => anyMajor || majorOf(t) === major)
    .sort((a, b) => compareVersions(a.slice(1), b.slice(1)))
    .pop();
}

export function parsePins(source: string): Record<string, Pin> {
  const block = source.slice(source.indexOf(BEGIN), source.indexOf(END));
  const pins: Record<string, Pin> = {};
  const re = /'([^']+)': \{ repository: '([^']+)', version: '([^']+)', sha: '([0-9a-f]{40})' \}/g;
  for (let m = re.exec(block); m; m = re.exec(block)) {
    pins[m[1]] = { repository: m[2], version: m[3], sha: m[4] };
  }
  return pins;
}

export function renderPins(source: string, pins: Record<string, Pin>): string {
  const lines = Object.keys(pins).sort().map((key) => {
    const p = pins[key];
    return `  '${key}': { repository: '${p.repository}', version: '${p.version}', sha: '${p.sha}' },`;
  });
  const body = [BEGIN, 'export const ACTION_PINS = {', ...lines, '} as const satisfies Record<string, ActionPin>;', ''].join('\n');
  return source.slice(0, source.indexOf(BEGIN)) + body + source.slice(source.indexOf(END));
}

function lsRemote(repository: string): string {
  const [owner, name] = repository.split('/');
  const template = process.env.ACTION_PINS_GIT_URL ?? 'https://github.com/{owner}/{name}.git';
  const url = template.replace('{owner}', owner).replace('{name}', name);
  return execFileSync('git', ['ls-remote', '--tags', url], { encoding: 'utf8', timeout: 60_000 });
}

function main(): void {
  const args = process.argv.slice(2);
  const source = fs.readFileSync(PINS_FILE, 'utf8');
  const pins = parsePins(source);
  const problems: string[] = [];
  for (const [key, pin] of Object.entries(pins)) {
    const tags = releaseTags(lsRemote(pin.repository));
    if (args.includes('--verify')) {
      const sha = tags.get(pin.version);
      const ok = sha === pin.sha;
      console.log(`${ok ? 'ok  ' : 'FAIL'} ${pin.repository}@${pin.version} ${pin.sha}${ok ? '' : ` (the tag points to ${sha ?? 'nothing'})`}`);
      if (!ok) {
        problems.push(key);
      }
      continue;
    }
    const tag = newestTag(tags, pin.version, args.includes('--major'));
    if (!tag) {
      problems.push(`${pin.repository}: no release tag of ${pin.version}'s major`);
      continue;
    }
    if (tag !== pin.version || tags.get(tag) !== pin.sha) {
      console.log(`${pin.repository}: ${pin.version} ${pin.sha} -> ${tag} ${tags.get(tag)}`);
    }
    pins[key] = { ...pin, version: tag, sha: tags.get(tag)! };
  }
  if (problems.length > 0) {
    console.error(`refresh-action-pins: ${problems.length} problem(s): ${problems.join(', ')}`);
    process.exit(1);
  }
  if (!args.includes('--verify')) {
    fs.writeFileSync(PINS_FILE, renderPins(source, pins));
    console.log(`refresh-action-pins: wrote ${Object.keys(pins).length} pins to ${path.relative(process.cwd(), PINS_FILE)}`);
  }
}

if (require.main === module) {
  main();
}
