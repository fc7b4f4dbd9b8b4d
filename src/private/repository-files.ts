// SPDX-License-Identifier: Apache-2.0
//
// Where writeWorkflow() may write: GitHub reads workflows and local actions
// only from `.github/` at the root of the repository, so a folder inside a
// checkout (`infra/`, where the CDK app runs) would silently get files that
// never run.
import * as fs from 'fs';
import * as path from 'path';
import { GeneratedFile } from '../generated-file';
import { invalid } from './errors';

/**
 * The closest folder at or above `dir` that holds `.git` (a folder, or a
 * file in linked worktrees and submodules), or undefined outside any git
 * checkout.
 */
export function enclosingRepositoryRoot(dir: string): string | undefined {
  let current = realPath(path.resolve(dir));
  for (;;) {
    if (fs.existsSync(path.join(current, '.git'))) {
      return current;
    }
    const parent = path.dirname(current);
    if (parent === current) {
      return undefined;
    }
    current = parent;
  }
}

/**
 * Refuses a folder that is inside a git checkout without being its root.
 * Outside any checkout (an export, a fresh folder) nothing can be checked and
 * the folder is taken as the root.
 */
export function checkRepositoryRoot(method: string, dir: string): void {
  const root = enclosingRepositoryRoot(dir);
  const resolved = realPath(path.resolve(dir));
  if (root === undefined || root === resolved) {
    return;
  }
  const fromHere = path.relative(process.cwd(), root) || '.';
  throw invalid(method, dir, `is inside the git repository ${root} but not its root: GitHub reads .github/ only at the root, so files written under ${path.join(resolved, '.github')} would never run`,
    `Pass the repository root (${JSON.stringify(fromHere)} from ${process.cwd()}), or call writeWorkflowTo() to write under another folder on purpose`);
}

/** Writes each file under `dir` (creating folders) and returns their paths. */
export function writeFiles(dir: string, files: GeneratedFile[]): string[] {
  return files.map((f) => {
    const file = path.join(dir, ...f.path.split('/'));
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, f.content);
    return file;
  });
}

/** The real path of `p`, or of its closest existing ancestor with the rest appended (the folder may not exist yet). */
function realPath(p: string): string {
  const rest: string[] = [];
  let current = p;
  while (!fs.existsSync(current)) {
    const parent = path.dirname(current);
    if (parent === current) {
      return p;
    }
    rest.unshift(path.basename(current));
    current = parent;
  }
  return path.join(fs.realpathSync(current), ...rest);
}
