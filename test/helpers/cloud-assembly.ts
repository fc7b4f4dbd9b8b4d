// Cloud assemblies on disk for the command-line tool's tests: an app
// synthesized into a temporary folder, and the outputs file `cdk deploy
// --outputs-file` would write for it.
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { App, Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { ENV, REPO } from './fixture';
import { GitHubEcrPublisher, GitHubEcrPublisherProps } from '../../src';

/** A temporary folder, removed by `cleanUp()` (the CLI's apps, written workflows). */
export class TempDir {
  public readonly path = fs.mkdtempSync(path.join(os.tmpdir(), 'cdk-ecr-cli-'));

  public file(name: string): string {
    return path.join(this.path, name);
  }

  public write(name: string, content: unknown): string {
    const file = this.file(name);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, undefined, 2));
    return file;
  }

  public cleanUp(): void {
    fs.rmSync(this.path, { recursive: true, force: true });
  }
}

/** Synthesizes the app `build` fills into `<dir>/cdk.out`. */
export function synthesize(dir: TempDir, build: (app: App) => void, context: Record<string, unknown> = {}): CloudAssembly {
  const app = new App({ outdir: dir.file('cdk.out'), context });
  build(app);
  return app.synth();
}

export type OutputsFile = Record<string, Record<string, string>>;

/**
 * One stack per entry (in ENV), each holding one publisher of REPO with the
 * construct ID `publisherId`: `defaults(stack ID)` overridden by the entry.
 */
export function addPublisherStacks(
  app: App, stacks: Record<string, Partial<GitHubEcrPublisherProps>>, publisherId = 'Publisher',
  defaults: (id: string) => Partial<GitHubEcrPublisherProps> = () => ({}),
): void {
  for (const [id, props] of Object.entries(stacks)) {
    new GitHubEcrPublisher(new Stack(app, id, { env: ENV }), publisherId, { repo: REPO, ...defaults(id), ...props });
  }
}

/**
 * Synthesizes `build` into `<dir>/cdk.out` and writes `<dir>/outputs.json` as
 * `cdk deploy --all --outputs-file` would (changed by `edit`); returns its path.
 */
export function deploy(dir: TempDir, build: (app: App) => void, edit: (outputs: OutputsFile) => unknown = () => undefined): string {
  const outputs = deployedOutputs(synthesize(dir, build));
  edit(outputs);
  return dir.write('outputs.json', outputs);
}

/**
 * What `cdk deploy --all --outputs-file` writes after deploying every stack of
 * the assembly (nested ones included), with the values CloudFormation would
 * compute: a repository's name for its Ref, a role's ARN for its Arn.
 */
export function deployedOutputs(assembly: CloudAssembly): OutputsFile {
  const outputs: OutputsFile = {};
  const visit = (a: CloudAssembly) => {
    for (const stack of a.stacks) {
      const template = stack.template as {
        Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
        Outputs?: Record<string, { Value: unknown }>;
      };
      const valueOf = (value: any, key: string): string => {
        if (typeof value === 'string') return value;
        const ref = value?.Ref ?? (value?.['Fn::GetAtt']?.[1] === 'Arn' ? value['Fn::GetAtt'][0] : undefined);
        const resource = template.Resources[ref];
        if (resource?.Type === 'AWS::ECR::Repository' && value.Ref) return String(resource.Properties?.RepositoryName);
        if (resource?.Type === 'AWS::IAM::Role') return `arn:aws:iam::${stack.environment.account}:role/${resource.Properties?.RoleName ?? `${stack.stackName}-${ref}`}`;
        return `${stack.stackName}/${key}`;
      };
      outputs[stack.stackName] = Object.fromEntries(Object.entries(template.Outputs ?? {}).map(([key, o]) => [key, valueOf(o.Value, key)]));
    }
    for (const nested of a.nestedAssemblies) {
      visit(nested.nestedAssembly);
    }
  };
  visit(assembly);
  return outputs;
}

/** The output keys of `stackName` whose description names `valueName`. */
export function outputKeyOf(assembly: CloudAssembly, stackName: string, valueName: string): string {
  const template = assembly.getStackByName(stackName).template as { Outputs: Record<string, { Description: string }> };
  const [key] = Object.entries(template.Outputs).filter(([, o]) => o.Description.includes(` ${valueName} `)).map(([k]) => k);
  return key;
}
