// SPDX-License-Identifier: Apache-2.0
//
// Summarizes a V8 .cpuprofile (from `run.ts --profile`): the functions with
// the most self time, and the inclusive time of every function matching a
// filter (default: this library's own code under src/).
//
//   ts-node --project bench/tsconfig.json bench/profile-summary.ts <file.cpuprofile> [filter-regexp] [top]
import * as fs from 'node:fs';

interface ProfileNode {
  readonly id: number;
  readonly callFrame: { readonly functionName: string; readonly url: string; readonly lineNumber: number };
  readonly children?: number[];
}

interface Profile {
  readonly nodes: ProfileNode[];
  readonly samples: number[];
  readonly timeDeltas: number[];
}

function key(n: ProfileNode): string {
  const url = n.callFrame.url.replace(/^file:\/\//, '').replace(/.*\/node_modules\//, '').replace(/.*\/(src|bench)\//, '$1/');
  return `${n.callFrame.functionName || '(anonymous)'} ${url}:${n.callFrame.lineNumber + 1}`;
}

function main(): void {
  const [file, filter = '/src/', topText = '25'] = process.argv.slice(2);
  if (!file) {
    throw new Error('usage: profile-summary.ts <file.cpuprofile> [filter-regexp] [top]');
  }
  const top = Number(topText);
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) {
    for (const c of n.children ?? []) {
      parent.set(c, n.id);
    }
  }
  const self = new Map<string, number>();
  const inclusive = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const dt = (profile.timeDeltas[i] ?? 0) / 1000; // ms
    total += dt;
    const leaf = byId.get(id)!;
    self.set(key(leaf), (self.get(key(leaf)) ?? 0) + dt);
    // Each function once per sample, however deep the recursion.
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (!seen.has(k)) {
        seen.add(k);
        inclusive.set(k, (inclusive.get(k) ?? 0) + dt);
      }
    }
  });
  const fmt = (entries: Array<[string, number]>) => entries.map(([k, ms]) => `${ms.toFixed(1).padStart(8)} ms ${(100 * ms / total).toFixed(1).padStart(5)}%  ${k}`).join('\n');
  const sorted = (m: Map<string, number>) => [...m.entries()].sort((a, b) => b[1] - a[1]);
  const re = new RegExp(filter);
  process.stdout.write(`${file}\nsampled ${total.toFixed(0)} ms\n\nTop self time:\n${fmt(sorted(self).slice(0, top))}\n\n` +
    `Inclusive time of functions matching /${filter}/:\n${fmt(sorted(inclusive).filter(([k]) => re.test(k)).slice(0, top))}\n`);
}

main();
