// SPDX-License-Identifier: Apache-2.0
//
// What git says about a file the tool reads or writes. git is optional: without
// it (or outside a work tree) nothing is reported.
import { spawnSync } from 'child_process';
import * as path from 'path';

/**
 * Whether `file` lies in a git work tree and git does not ignore it (so a
 * `git add .` would commit it). Tracked files count as not ignored.
 */
export function committable(file: string, env: NodeJS.ProcessEnv): boolean {
  // An argument array and no shell; `--` ends the options whatever the file name.
  const result = spawnSync('git', ['check-ignore', '--quiet', '--', path.basename(file)], { cwd: path.dirname(file), env, encoding: 'utf8' });
  // 0: ignored; 1: not ignored; 128 (or no git): not a work tree, or git failed.
  return result.error === undefined && result.status === 1;
}
