// SPDX-License-Identifier: Apache-2.0

/**
 * How the role gets its push permissions.
 */
export enum PushPolicy {
  /**
   * An inline policy of the role (`Policies` of the `AWS::IAM::Role`): two
   * resources per publisher, the repository and the role.
   */
  INLINE = 'INLINE',

  /**
   * A customer-managed policy (`AWS::IAM::ManagedPolicy`) attached to the role:
   * one more resource per publisher. For accounts under compliance rules that
   * forbid inline policies (AWS Config's `iam-no-inline-policy-check`, the
   * CloudFormation Guard rule `IAM_NO_INLINE_POLICY_CHECK`, cdk-nag's HIPAA,
   * NIST and PCI packs).
   */
  MANAGED = 'MANAGED',
}
