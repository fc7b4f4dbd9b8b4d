// SPDX-License-Identifier: Apache-2.0

/**
 * One condition of the trust policy that a token does not meet.
 */
export interface ClaimCheck {
  /** The condition key, e.g. `token.actions.githubusercontent.com:sub` (`iss` for the issuer). */
  readonly key: string;

  /**
   * The condition operator: `StringEquals` or `StringLike`.
   *
   * (Not named `operator`, a reserved word in C#.)
   */
  readonly conditionOperator: string;

  /** The values the role accepts for this key (empty when they are only known at deploy time). */
  readonly accepted: string[];

  /**
   * The token's value.
   *
   * @default - the token has no such claim
   */
  readonly actual?: string;

  /** The likely cause, and the prop or setting to change. */
  readonly hint: string;
}

/**
 * Whether a token's claims would be allowed to assume the publisher's role,
 * and why not.
 */
export interface ClaimsVerdict {
  /** True when every condition of the trust policy holds for the claims. */
  readonly allowed: boolean;

  /** Every condition that does not hold (empty when allowed). */
  readonly failures: ClaimCheck[];
}
