// SPDX-License-Identifier: Apache-2.0
//
// The description of each stack output says where its value belongs on
// GitHub, in a fixed format that people read in the CloudFormation console
// and the command-line tool parses from the synthesized template:
//
//   Set as the secret AWS_ROLE_ARN of the GitHub repository octo-org/chatgpt-web
//   Set as the variable AWS_ROLE_ARN of GitHub Environment "production" in octo-org/chatgpt-web
//   Set as the secret (or variable) AWS_ROLE_ARN of GitHub Environments "dev", "qa" in octo-org/chatgpt-web
//   Written into the workflow as AWS_ROLE_ARN of the GitHub repository octo-org/chatgpt-web
//
// The first words say where the app's workflow reads the value (secrets.*,
// vars.*, or inline), so that the tool sets what the workflow reads;
// "secret (or variable)" is written when the app rendered no workflow or
// several that read different sources, and is what earlier versions wrote.
//
// Environment names are JSON strings, so any name (spaces, quotes, " / ")
// reads back exactly. No aws-cdk-lib import: the tool runs without it.
import { VALUE_NAMES } from './constants';

/** One of the four values the workflow reads. */
export type ValueName = typeof VALUE_NAMES[keyof typeof VALUE_NAMES];

const NAMES: readonly string[] = Object.values(VALUE_NAMES);

// owner/name in the characters GitHub allows (nothing a terminal or a shell would interpret).
const REPOSITORY = '([A-Za-z0-9][A-Za-z0-9_-]*/[A-Za-z0-9._-]+)';

/** Where the workflow reads the value; `undefined`: not known (no workflow rendered, or several). */
export type ValueKind = 'secret' | 'variable' | 'inline';

const PREFIXES: ReadonlyArray<[string, ValueKind | undefined]> = [
  ['Set as the secret (or variable) ', undefined],
  ['Set as the secret ', 'secret'],
  ['Set as the variable ', 'variable'],
  ['Written into the workflow as ', 'inline'],
];

/** Where an output's value belongs. */
export interface OutputTarget {
  readonly name: ValueName;
  /** `owner/name`. */
  readonly repository: string;
  /** The GitHub Environments whose secrets hold it; empty: the repository's. */
  readonly environments: string[];
  /** Where the app's workflow reads it; undefined when not known. */
  readonly kind?: ValueKind;
}

export function describeOutput(target: OutputTarget): string {
  const where = target.environments.length === 0
    ? `of the GitHub repository ${target.repository}`
    : `of GitHub Environment${target.environments.length > 1 ? 's' : ''} ${target.environments.map((e) => JSON.stringify(e)).join(', ')} in ${target.repository}`;
  const prefix = PREFIXES.find(([, kind]) => kind === target.kind)![0];
  return `${prefix}${target.name} ${where}`;
}

/**
 * Reads a description written by `describeOutput`. Returns undefined for a
 * description that is not one (another construct's output); throws for one
 * that starts like it but does not parse.
 */
export function parseOutputDescription(description: string): OutputTarget | undefined {
  const [prefix, kind] = PREFIXES.find(([p]) => description.startsWith(p)) ?? [];
  if (prefix === undefined) {
    return undefined;
  }
  const fail = (why: string): never => {
    const message = `cannot read the output description ${JSON.stringify(description)}: ${why}`;
    throw new Error(message);
  };
  const rest = description.slice(prefix.length);
  const name = (NAMES.find((n) => rest.startsWith(`${n} `)) as ValueName | undefined) ?? fail(`the value name is not one of ${NAMES.join(', ')}`);
  const where = rest.slice(name.length + 1);
  const repository = new RegExp(`^of the GitHub repository ${REPOSITORY}$`).exec(where);
  if (repository) {
    return { name, repository: repository[1], environments: [], ...(kind && { kind }) };
  }
  const environments = new RegExp(`^of GitHub Environments? (".*") in ${REPOSITORY}$`).exec(where) ?? fail('expected "of the GitHub repository OWNER/REPO" or "of GitHub Environment "NAME" in OWNER/REPO"');
  let names: unknown;
  try {
    names = JSON.parse(`[${environments[1]}]`);
  } catch {
    fail('the environment names are not JSON strings separated by ", "');
  }
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || n.length === 0)) {
    return fail('the environment names are not JSON strings separated by ", "');
  }
  return { name, repository: environments[2], environments: names as string[], ...(kind && { kind }) };
}
