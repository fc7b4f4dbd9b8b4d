// Shared by the example apps: a short, human summary of a synthesized stack
// that holds one GitHubEcrPublisher.
import { Stack } from 'aws-cdk-lib';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import type { GitHubEcrPublisher } from '../src';

const VALUE_NAMES = /\b(AWS_REGION|ECR_REPOSITORY|ECR_REGISTRY|AWS_ROLE_ARN)\b/;

export function describeStack(assembly: CloudAssembly, stack: Stack, publisher: GitHubEcrPublisher): string[] {
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string }>;
    Outputs?: Record<string, { Description?: string }>;
  };
  const types = Object.values(template.Resources).map((r) => r.Type);
  const count = (t: string) => types.filter((x) => x === t).length;
  const lines = [
    `${stack.stackName} (${stack.account} ${stack.region}): ${types.length} resources ` +
      `(${count('AWS::ECR::Repository')} ECR repository, ${count('AWS::IAM::Role')} role, ${count('AWS::IAM::OIDCProvider')} OIDC provider created here, ` +
      `${count('AWS::Lambda::Function')} Lambda)`,
    `  trusts: ${publisher.subjectClaims.join(', ')}`,
  ];
  for (const [key, output] of Object.entries(template.Outputs ?? {})) {
    const name = VALUE_NAMES.exec(output.Description ?? '')?.[1];
    if (name) {
      lines.push(`  output ${key}: ${name}`);
    }
  }
  return lines;
}
