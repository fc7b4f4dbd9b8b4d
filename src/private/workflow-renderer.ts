// SPDX-License-Identifier: Apache-2.0
import type { GitHubEcrPublisher } from '../github-ecr-publisher';
import type { WorkflowOptions } from '../workflow';

// Work in progress (issue 5): the YAML renderer lands with its tests.
export function renderWorkflowYaml(_publisher: GitHubEcrPublisher, _options: WorkflowOptions): string {
  throw new Error('renderWorkflow is not implemented yet');
}
