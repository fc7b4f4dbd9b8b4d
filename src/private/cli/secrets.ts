// SPDX-License-Identifier: Apache-2.0
//
// `secrets`: from the file `cdk deploy --outputs-file` writes (stack name ->
// output key -> value) and the app's cloud assembly (whose templates say, in
// each output's description, which GitHub repository or Environment the value
// belongs to), the `gh secret set` / `gh variable set` commands that give
// every publisher's workflow its four values.
//
// It sets what the workflow reads: the descriptions name the app's value
// source (secret, variable, inline), and a mismatch with --variables is
// refused. Values that the template holds as literals must be the ones in the
// outputs file, and the four values of a scope must fit together (the
// registry's region and account are AWS_REGION's and the role's).
import { VALUE_NAMES } from '../constants';
import { parseOutputDescription, OutputTarget, ValueKind as RecordedKind } from '../output-description';
import { AssemblyStack, readAssembly, readJson } from './cloud-assembly';
import { printable, quote } from './printable';
import { UsageError } from './usage-error';

/** What the command sets: `gh secret set` or `gh variable set` (--variables). */
export type ValueKind = 'secret' | 'variable';

/** One value to set. */
export interface Assignment {
  readonly repository: string;
  /** The GitHub Environment, or undefined for the repository. */
  readonly environment?: string;
  readonly name: string;
  readonly value: string;
  /** `Stack.OutputKey`, for messages. */
  readonly source: string;
  /** Where the app's workflow reads it, as the output description says; undefined: not said (earlier versions). */
  readonly kind?: RecordedKind;
}

/** The values of one repository or environment, with the stacks they come from. */
export interface Scope {
  readonly repository: string;
  readonly environment?: string;
  readonly stacks: string[];
  readonly assignments: Assignment[];
}

export interface SecretsPlan {
  readonly scopes: Scope[];
  /** Stacks of the assembly with publisher outputs that the outputs file does not have. */
  readonly notDeployed: string[];
}

type Outputs = Record<string, Record<string, string>>;

const ORDER: string[] = Object.values(VALUE_NAMES);
const FORMAT = '{ "StackName": { "OutputKey": "value", ... }, ... }, as `cdk deploy --outputs-file FILE` writes it';

/** Reads both inputs and decides every value to set; throws UsageError on anything ambiguous or missing. */
export function planSecrets(outputsFile: string, cdkOut: string): SecretsPlan {
  const outputs = readOutputsFile(outputsFile);
  const assembly = readAssembly(cdkOut);
  const byName = new Map<string, AssemblyStack[]>();
  for (const stack of assembly.stacks) {
    byName.set(stack.stackName, [...(byName.get(stack.stackName) ?? []), stack]);
  }

  const scopes = new Map<string, Scope>();
  for (const [stackName, values] of Object.entries(outputs)) {
    const candidates = byName.get(stackName) ?? [];
    if (candidates.length === 0) {
      throw new UsageError(`stack ${quote(stackName)} of ${outputsFile} is not in ${cdkOut} (its stacks: ${[...byName.keys()].map(printable).join(', ') || 'none'}). ` +
        'Synthesize the app that was deployed (cdk synth) or point --cdk-out at its cloud assembly');
    }
    if (candidates.length > 1) {
      throw new UsageError(`stack name ${quote(stackName)} belongs to ${candidates.length} stacks of ${cdkOut} ` +
        `(${candidates.map((s) => `${printable(s.artifactId)} in ${printable(s.environment)}`).join(', ')}): ${outputsFile} cannot tell their outputs apart. ` +
        'Give the stacks distinct stackName values');
    }
    for (const { key, target, literal } of publisherOutputs(candidates[0])) {
      const value = values[key];
      const source = `${stackName}.${key}`;
      if (value === undefined) {
        throw new UsageError(`${outputsFile} has no output ${key} (${target.name}) for stack ${quote(stackName)}, which ${cdkOut} has: ` +
          'the file comes from another version of the app. Deploy again with `cdk deploy --outputs-file` and synthesize the same app');
      }
      if (value === '') {
        throw new UsageError(`output ${printable(source)} (${target.name}) is empty in ${outputsFile}`);
      }
      if (literal !== undefined && literal !== value) {
        throw new UsageError(`output ${printable(source)} (${target.name}) is ${quote(value)} in ${outputsFile} but ${quote(literal)} in the template of ${cdkOut}: ` +
          'the file comes from another deployment or another version of the app. Deploy again with `cdk deploy --outputs-file` and synthesize the same app');
      }
      const environments = target.environments.length === 0 ? [undefined] : target.environments;
      for (const environment of environments) {
        add(scopes, { repository: target.repository, environment, name: target.name, value, source, kind: target.kind }, stackName);
      }
    }
  }
  if (scopes.size === 0) {
    throw new UsageError(`no GitHubEcrPublisher outputs in the stacks of ${outputsFile} (${Object.keys(outputs).map(printable).join(', ') || 'none'}). ` +
      'Publishers with createOutputs: false (and those of a GitHubEcrPublisherFleet) have none: set their values by hand');
  }
  for (const scope of scopes.values()) {
    const names = scope.assignments.map((a) => a.name);
    const absent = ORDER.filter((n) => !names.includes(n));
    if (absent.length > 0) {
      throw new UsageError(`${describeScope(scope)} would get ${names.join(', ')} but not ${absent.join(', ')} (from ${scope.stacks.map(printable).join(', ')}): ` +
        'every publisher outputs all four values; is a template edited or an output removed?');
    }
    scope.assignments.sort((a, b) => ORDER.indexOf(a.name) - ORDER.indexOf(b.name));
    checkValuesAgree(scope);
  }
  const listed = new Set(Object.keys(outputs));
  const notDeployed = assembly.stacks.filter((s) => !listed.has(s.stackName) && publisherOutputs(s).length > 0).map((s) => s.stackName);
  return { scopes: [...scopes.values()], notDeployed };
}

function readOutputsFile(file: string): Outputs {
  const outputs = readJson(file);
  if (typeof outputs !== 'object' || outputs === null || Array.isArray(outputs)) {
    throw new UsageError(`${file} is not an outputs file: expected ${FORMAT}`);
  }
  for (const [stack, values] of Object.entries(outputs)) {
    if (typeof values !== 'object' || values === null || Array.isArray(values)) {
      throw new UsageError(`${file}: stack ${quote(stack)} holds ${printable(JSON.stringify(values) ?? String(values))}, not an object of outputs; expected ${FORMAT}`);
    }
    for (const [key, value] of Object.entries(values)) {
      if (typeof value !== 'string') {
        throw new UsageError(`${file}: output ${printable(`${stack}.${key}`)} is ${printable(JSON.stringify(value) ?? String(value))}, not a string; expected ${FORMAT}`);
      }
    }
  }
  return outputs as Outputs;
}

interface PublisherOutput {
  readonly key: string;
  readonly target: OutputTarget;
  /** The value, when the template holds it as a literal (not a reference resolved at deploy time). */
  readonly literal?: string;
}

/** The stack's outputs that a publisher created. */
export function publisherOutputs(stack: AssemblyStack): PublisherOutput[] {
  const template = readJson(stack.templateFile) as { Outputs?: Record<string, { Description?: unknown; Value?: unknown }> };
  const found: PublisherOutput[] = [];
  for (const [key, output] of Object.entries(template?.Outputs ?? {})) {
    if (typeof output?.Description !== 'string') {
      continue;
    }
    let target: OutputTarget | undefined;
    try {
      target = parseOutputDescription(output.Description);
    } catch (e) {
      throw new UsageError(`${stack.templateFile}: output ${printable(key)}: ${printable((e as Error).message)}`);
    }
    if (target) {
      found.push({ key, target, literal: typeof output.Value === 'string' ? output.Value : undefined });
    }
  }
  return found;
}

/**
 * The four values of a scope must fit together: a registry in another region
 * than AWS_REGION, or another account than the role's, means values from two
 * deployments were mixed.
 */
function checkValuesAgree(scope: Scope): void {
  const valueOf = (name: string) => scope.assignments.find((a) => a.name === name)!;
  const region = valueOf(VALUE_NAMES.region);
  const registry = valueOf(VALUE_NAMES.registry);
  const role = valueOf(VALUE_NAMES.roleArn);
  const host = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\./.exec(registry.value);
  if (!host) {
    throw new UsageError(`${describeScope(scope)}: ${registry.name} ${quote(registry.value)} (${printable(registry.source)}) is not an ECR registry host (ACCOUNT.dkr.ecr.REGION.DOMAIN)`);
  }
  if (host[2] !== region.value) {
    throw new UsageError(`${describeScope(scope)}: ${registry.name} ${quote(registry.value)} (${printable(registry.source)}) is in region ${host[2]}, ` +
      `but ${region.name} is ${quote(region.value)} (${printable(region.source)}): the workflow would log in to one region and push to another. ` +
      'The values come from different deployments: deploy again with `cdk deploy --outputs-file` and synthesize the same app');
  }
  const account = /^arn:[a-z-]+:iam::(\d{12}):role\//.exec(role.value)?.[1];
  if (account !== undefined && account !== host[1]) {
    throw new UsageError(`${describeScope(scope)}: ${role.name} ${quote(role.value)} is a role of account ${account}, but ${registry.name} ${quote(registry.value)} ` +
      `is account ${host[1]}'s registry: the values come from different deployments`);
  }
}

/**
 * Refuses to set values where the app's workflow does not read them: `gh
 * secret set` for a workflow that reads `vars.*` (or the reverse) leaves the
 * job with empty values; an inline workflow needs none.
 */
export function checkValueKind(plan: SecretsPlan, kind: ValueKind): void {
  for (const scope of plan.scopes) {
    const recorded = scope.assignments.find((a) => a.kind !== undefined)?.kind;
    if (recorded === undefined || recorded === kind) {
      continue;
    }
    const stacks = scope.stacks.map(printable).join(', ');
    if (recorded === 'inline') {
      throw new UsageError(`the workflow of ${describeScope(scope)} (stack ${stacks}) has its values written in (WorkflowValueSource.INLINE): ` +
        'there is nothing to set; commit the workflow file');
    }
    throw new UsageError(`the workflow of ${describeScope(scope)} (stack ${stacks}) reads ${recorded === 'secret' ? 'secrets.*' : 'vars.*'} ` +
      `(WorkflowValueSource.${recorded === 'secret' ? 'SECRETS' : 'VARIABLES'}), so \`gh ${kind} set\` would leave its job with empty values: ` +
      `${recorded === 'secret' ? 'run without --variables' : 'add --variables'}${plan.scopes.length > 1 ? ' (every publisher of one run must read the same source)' : ''}`);
  }
}

function add(scopes: Map<string, Scope>, assignment: Assignment, stackName: string): void {
  // GitHub compares repository and environment names case-insensitively.
  const key = `${assignment.repository.toLowerCase()}\n${assignment.environment?.toLowerCase() ?? ''}`;
  const scope = scopes.get(key) ?? { repository: assignment.repository, environment: assignment.environment, stacks: [], assignments: [] };
  scopes.set(key, scope);
  if (!scope.stacks.includes(stackName)) {
    scope.stacks.push(stackName);
  }
  const other = scope.assignments.find((a) => a.name === assignment.name);
  if (other === undefined) {
    scope.assignments.push(assignment);
  } else if (other.value !== assignment.value) {
    throw new UsageError(`${describeScope(scope)} would get two values of ${assignment.name}: ${quote(other.value)} from ${printable(other.source)} ` +
      `and ${quote(assignment.value)} from ${printable(assignment.source)}. The workflow reads one ${assignment.name} there, so two publishers of one ` +
      'GitHub repository need different GitHub Environments (the environments prop), or WorkflowValueSource.INLINE');
  }
}

export function describeScope(scope: { repository: string; environment?: string }): string {
  const repository = printable(scope.repository);
  return scope.environment === undefined ? `the GitHub repository ${repository}` : `GitHub Environment ${quote(scope.environment)} of ${repository}`;
}

/** The gh arguments for one value. */
export function ghArguments(kind: ValueKind, a: Assignment): string[] {
  return [kind, 'set', a.name, '--repo', a.repository, ...(a.environment === undefined ? [] : ['--env', a.environment]), '--body', a.value];
}
