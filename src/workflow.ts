// SPDX-License-Identifier: Apache-2.0

/**
 * Options for {@link GitHubEcrPublisher.renderWorkflow}.
 */
export interface WorkflowOptions {
  /**
   * Name of the workflow.
   *
   * @default "Publish image"
   */
  readonly workflowName?: string;
}
