// SPDX-License-Identifier: Apache-2.0
//
// The library's one error format: `<construct path>: <prop>: <value> <problem>. <allowed>`.
//
// Validators throw an InvalidProp without knowing the construct; the
// construct (or the workflow renderer, which knows the publisher's path)
// adds the path. When several props are invalid, every one is reported at
// once, one line each: a synth round trip takes seconds, and a user who fixes
// one prop should not have to synthesize again to learn about the next.
import { Duration } from 'aws-cdk-lib';

/** One invalid prop or option, without the construct path. */
export class InvalidProp extends Error {
  constructor(prop: string, value: unknown, problem: string, allowed: string) {
    super(`${prop}: ${show(value)} ${problem}. ${allowed}`);
    this.name = 'InvalidProp';
  }
}

/** An invalid prop: `<prop>: <value> <problem>. <allowed>`. */
export function invalid(prop: string, value: unknown, problem: string, allowed: string): InvalidProp {
  return new InvalidProp(prop, value, problem, allowed);
}

/** The error users see: every problem on its own line, each prefixed with the construct path. */
export function errorAt(path: string, problems: InvalidProp[]): Error {
  return new Error(problems.map((p) => `${path}: ${p.message}`).join('\n'));
}

/**
 * Throws `errorAt(path, problems)` from here. Node prints the source line of
 * an uncaught throw above the error: thrown where the message is written, the
 * message would print twice.
 */
export function failAt(path: string, problems: InvalidProp[]): never {
  throw errorAt(path, problems);
}

/**
 * Runs independent checks and throws one error listing every invalid prop.
 * Anything else a check throws (a bug) is rethrown as it is.
 */
export function checkAll(path: string, checks: Array<() => void>): void {
  const problems: InvalidProp[] = [];
  for (const check of checks) {
    try {
      check();
    } catch (e) {
      if (!(e instanceof InvalidProp)) {
        throw e;
      }
      problems.push(e);
    }
  }
  if (problems.length > 0) {
    failAt(path, problems);
  }
}

/** Runs `fn`, prefixing an InvalidProp it throws with the construct path. */
export function at<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (e instanceof InvalidProp) {
      failAt(path, [e]);
    }
    throw e;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') {
    return JSON.stringify(value);
  }
  if (value instanceof Duration) {
    return value.toHumanString();
  }
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}
