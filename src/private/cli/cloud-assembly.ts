// SPDX-License-Identifier: Apache-2.0
//
// Reads what the command-line tool needs from a cloud assembly (cdk.out):
// the stacks (with their templates) and the context lookups reported missing,
// including those of nested assemblies (Stages). Only the manifest fields
// every aws-cdk-lib 2.x writes are read.
import * as fs from 'fs';
import * as path from 'path';
import { UsageError } from './usage-error';

/** A CloudFormation stack of the assembly. */
export interface AssemblyStack {
  /** The artifact ID (unique in its assembly). */
  readonly artifactId: string;
  /** The CloudFormation stack name: the key `cdk deploy --outputs-file` uses. */
  readonly stackName: string;
  /** `aws://account/region`. */
  readonly environment: string;
  /** The template file. */
  readonly templateFile: string;
}

/** A context lookup the app asked for and cdk.context.json did not answer. */
export interface MissingContext {
  readonly key: string;
  readonly provider: string;
  readonly props: Record<string, unknown>;
}

export interface Assembly {
  readonly directory: string;
  readonly stacks: AssemblyStack[];
  readonly missing: MissingContext[];
}

interface Manifest {
  readonly artifacts?: Record<string, { type?: string; environment?: string; properties?: Record<string, unknown> }>;
  readonly missing?: MissingContext[];
}

/** Reads `directory` (a cdk.out) and its nested assemblies. */
export function readAssembly(directory: string): Assembly {
  const manifestFile = path.join(directory, 'manifest.json');
  if (!fs.existsSync(manifestFile)) {
    throw new UsageError(`${directory} is not a cloud assembly (no manifest.json): run \`cdk synth\` first, or point --cdk-out at the app's output folder (the "output" setting of cdk.json, default cdk.out)`);
  }
  const stacks: AssemblyStack[] = [];
  const missing = new Map<string, MissingContext>();
  collect(directory, stacks, missing);
  return { directory, stacks, missing: [...missing.values()] };
}

function collect(directory: string, stacks: AssemblyStack[], missing: Map<string, MissingContext>): void {
  const manifestFile = path.join(directory, 'manifest.json');
  const manifest = readJson(manifestFile) as Manifest;
  for (const [artifactId, artifact] of Object.entries(manifest.artifacts ?? {})) {
    const props = artifact.properties ?? {};
    if (artifact.type === 'aws:cloudformation:stack' && typeof props.templateFile === 'string') {
      stacks.push({
        artifactId,
        stackName: typeof props.stackName === 'string' ? props.stackName : artifactId,
        environment: artifact.environment ?? 'aws://unknown-account/unknown-region',
        templateFile: path.join(directory, props.templateFile),
      });
    } else if (artifact.type === 'cdk:cloud-assembly' && typeof props.directoryName === 'string') {
      collect(path.join(directory, props.directoryName), stacks, missing);
    }
  }
  for (const entry of manifest.missing ?? []) {
    missing.set(entry.key, entry);
  }
}

/** A JSON file, or a UsageError that names it. */
export function readJson(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as Error).message}`);
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
  }
}
