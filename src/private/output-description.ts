// SPDX-License-Identifier: Apache-2.0
//
// The description of each stack output says where its value belongs on
// GitHub, in a fixed format that people read in the CloudFormation console
// and the command-line tool parses from the synthesized template:
//
//   Set as the secret (or variable) AWS_ROLE_ARN of the GitHub repository octo-org/chatgpt-web
//   Set as the secret (or variable) AWS_ROLE_ARN of GitHub Environment "production" in octo-org/chatgpt-web
//   Set as the secret (or variable) AWS_ROLE_ARN of GitHub Environments "dev", "qa" in octo-org/chatgpt-web
//
// Environment names are JSON strings, so any name (spaces, quotes, " / ")
// reads back exactly. No aws-cdk-lib import: the tool runs without it.
import { VALUE_NAMES } from './constants';

/** One of the four values the workflow reads. */
export type ValueName = typeof VALUE_NAMES[keyof typeof VALUE_NAMES];

const NAMES: readonly string[] = Object.values(VALUE_NAMES);
const PREFIX = 'Set as the secret (or variable) ';

/** Where an output's value belongs. */
export interface OutputTarget {
  readonly name: ValueName;
  /** `owner/name`. */
  readonly repository: string;
  /** The GitHub Environments whose secrets hold it; empty: the repository's. */
  readonly environments: string[];
}

export function describeOutput(target: OutputTarget): string {
  const where = target.environments.length === 0
    ? `of the GitHub repository ${target.repository}`
    : `of GitHub Environment${target.environments.length > 1 ? 's' : ''} ${target.environments.map((e) => JSON.stringify(e)).join(', ')} in ${target.repository}`;
  return `${PREFIX}${target.name} ${where}`;
}

/**
 * Reads a description written by `describeOutput`. Returns undefined for a
 * description that is not one (another construct's output); throws for one
 * that starts like it but does not parse.
 */
export function parseOutputDescription(description: string): OutputTarget | undefined {
  if (!description.startsWith(PREFIX)) {
    return undefined;
  }
  const fail = (why: string): never => {
    throw new Error(`cannot read the output description ${JSON.stringify(description)}: ${why}`);
  };
  const rest = description.slice(PREFIX.length);
  const name = (NAMES.find((n) => rest.startsWith(`${n} `)) as ValueName | undefined) ?? fail(`the value name is not one of ${NAMES.join(', ')}`);
  const where = rest.slice(name.length + 1);
  const repository = /^of the GitHub repository ([^\s/]+\/[^\s/]+)$/.exec(where);
  if (repository) {
    return { name, repository: repository[1], environments: [] };
  }
  const environments = /^of GitHub Environments? (".*") in ([^\s/]+\/[^\s/]+)$/.exec(where) ?? fail('expected "of the GitHub repository OWNER/REPO" or "of GitHub Environment "NAME" in OWNER/REPO"');
  let names: unknown;
  try {
    names = JSON.parse(`[${environments[1]}]`);
  } catch {
    fail('the environment names are not JSON strings separated by ", "');
  }
  if (!Array.isArray(names) || names.length === 0 || names.some((n) => typeof n !== 'string' || n.length === 0)) {
    return fail('the environment names are not JSON strings separated by ", "');
  }
  return { name, repository: environments[2], environments: names as string[] };
}
