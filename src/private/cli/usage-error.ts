// SPDX-License-Identifier: Apache-2.0

/**
 * A problem with what the user gave the command-line tool: printed without a
 * stack trace. Exit code 2 for wrong arguments, 1 for unusable input.
 */
export class UsageError extends Error {
  constructor(message: string, public readonly exitCode: 1 | 2 = 1) {
    super(message);
    this.name = 'UsageError';
  }
}
