// SPDX-License-Identifier: Apache-2.0
//
// IAM counts a role's trust policy against a quota (2,048 non-whitespace
// characters by default, 4,096 at most) when CloudFormation creates the role.
// We measure the document as it is synthesized, with every deploy-time value
// replaced by its longest possible expansion, so a policy that passes here
// cannot exceed the quota at deploy time.
import { Stack, Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { ASSUME_ACTION } from './constants';
import { failAt, invalid } from './errors';
import { Conditions, policySize } from './trust-policy';
import type { GitHubIssuer } from '../github-issuer';

// Longest values the pseudo parameters take in any partition.
const LONGEST: Record<string, string> = {
  'AWS::Partition': 'aws-us-gov', // aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc
  'AWS::AccountId': '123456789012',
  'AWS::URLSuffix': 'amazonaws.com.cn',
  'AWS::Region': 'ap-southeast-7xx',
};

/** The provider ARN at its longest: worst-case partition and account. */
function longestProviderArn(issuer: GitHubIssuer): string {
  return `arn:${LONGEST['AWS::Partition']}:iam::${LONGEST['AWS::AccountId']}:oidc-provider/${issuer.hostPath}`;
}

/**
 * Size of a resolved (synthesized) policy document once CloudFormation
 * resolves its deploy-time values, at worst. bench/capacity.ts measures
 * synthesized templates with it.
 */
export function worstCaseSize(resolved: unknown, issuer: GitHubIssuer): number {
  return policySize(expand(resolved, longestProviderArn(issuer)));
}

/** A resolved deploy-time value (Ref, Fn::Join, ...) at its longest expansion. */
function expand(value: unknown, providerArn: string): unknown {
  if (Array.isArray(value)) {
    return value.map((v) => expand(v, providerArn));
  }
  if (value === null || typeof value !== 'object') {
    return value;
  }
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj);
  if (keys.length === 1 && keys[0] === 'Ref') {
    // Pseudo parameters, or the provider resource created in this stack.
    return LONGEST[String(obj.Ref)] ?? providerArn;
  }
  if (keys.length === 1 && keys[0] === 'Fn::GetAtt') {
    return providerArn;
  }
  if (keys.length === 1 && keys[0] === 'Fn::Join') {
    const [sep, parts] = obj['Fn::Join'] as [string, unknown[]];
    return parts.map((p) => String(expand(p, providerArn))).join(sep);
  }
  if (keys.length === 1 && keys[0] === 'Fn::ImportValue') {
    return providerArn;
  }
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    out[k] = expand(obj[k], providerArn);
  }
  return out;
}

/**
 * Throws when the role's trust policy cannot fit the declared quota.
 *
 * The document is the one `iam.WebIdentityPrincipal` renders (one statement:
 * Action, Condition, Effect, Principal.Federated, plus Version), built here
 * from the same values instead of resolving the role's policy: resolving costs
 * a tree walk per role, which is most of this check's time in large stacks.
 * test/trust-policy-size.test.ts compares the result with the synthesized
 * template.
 */
export function checkTrustPolicySize(scope: IConstruct, providerArn: string, conditions: Conditions, quota: number, issuer: GitHubIssuer): number {
  const stack = Stack.of(scope);
  const size = trustPolicySize(stack, providerArn, conditions, issuer);
  if (size > quota) {
    const pinKey = issuer.conditionKey('job_workflow_ref');
    const withoutPin = withoutKey(conditions, pinKey);
    const pinCost = withoutPin ? size - trustPolicySize(stack, providerArn, withoutPin, issuer) : 0;
    failAt(scope.node.path, [invalid('trustPolicySizeQuota', quota,
      `is smaller than the role's trust policy, ${size} non-whitespace characters (IAM's default quota is 2,048` +
      (pinCost > 0 ? `; the job_workflow_ref pin of the workflow file and reusable workflows takes ${pinCost} of them` : '') + ')',
      'Trust fewer branches, tags or environments (a pattern such as "release/*" replaces many names), ' +
      (pinCost > 0 ? 'trust fewer refs for environment jobs (the pin lists each trusted branch and tag when environments are trusted), ' : '') +
      'or raise the IAM quota "Role trust policy length" (L-C07B4B0D, up to 4,096) and set trustPolicySizeQuota to it')]);
  }
  return size;
}

/** The conditions without `key`, or undefined when they have no such key. */
function withoutKey(conditions: Conditions, key: string): Conditions | undefined {
  if (!Object.values(conditions).some((block) => key in block)) {
    return undefined;
  }
  const out: Conditions = {};
  for (const [operator, block] of Object.entries(conditions)) {
    const rest = Object.fromEntries(Object.entries(block).filter(([k]) => k !== key));
    if (Object.keys(rest).length > 0) {
      out[operator] = rest;
    }
  }
  return out;
}

/** Worst-case size of the trust policy for these values (tokens at their longest). */
export function trustPolicySize(stack: Stack, providerArn: string, conditions: Conditions, issuer: GitHubIssuer): number {
  const longestArn = longestProviderArn(issuer);
  // Only a few values can be tokens (the audience of an environment-agnostic stack): resolve just those.
  const literal = (value: string) => (Token.isUnresolved(value) ? String(expand(stack.resolve(value), longestArn)) : value);
  const condition: Conditions = {};
  for (const [operator, block] of Object.entries(conditions)) {
    condition[operator] = {};
    for (const [key, value] of Object.entries(block)) {
      condition[operator][key] = Array.isArray(value) ? value.map(literal) : literal(value);
    }
  }
  return policySize({
    Statement: [{
      Action: ASSUME_ACTION,
      Condition: condition,
      Effect: 'Allow',
      Principal: { Federated: Token.isUnresolved(providerArn) ? longestArn : providerArn },
    }],
    Version: '2012-10-17',
  });
}
