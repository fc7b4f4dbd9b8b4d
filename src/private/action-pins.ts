// SPDX-License-Identifier: Apache-2.0
//
// Every GitHub Action this project uses, pinned to the commit its release tag
// points to. The rendered workflow and this project's own GitHub workflows
// (.projenrc.ts) both read this table, so one refresh updates both.
//
// Each SHA was read from the action's own git repository
// (`git rev-list -n1 <tag>`, which dereferences annotated tags); none is typed
// by hand. To refresh: `npx projen refresh-action-pins` (needs network access
// to github.com) rewrites this file with the newest release of each action's
// major version (`-- --major` to move to the newest major), and
// `npx projen refresh-action-pins -- --verify` checks every pin against its tag.

/** One action, pinned. */
export interface ActionPin {
  /** `owner/name` of the action's repository. */
  readonly repository: string;
  /** The release tag the commit was read from. */
  readonly version: string;
  /** The full commit SHA that tag points to. */
  readonly sha: string;
}

// BEGIN PINS (rewritten by scripts/refresh-action-pins.ts)
export const ACTION_PINS = {
  'actions/attest': { repository: 'actions/attest', version: 'v4.2.2', sha: '1e69f48acb82d1966a394da916b4c1698aa569d6' },
  'actions/checkout': { repository: 'actions/checkout', version: 'v7.0.1', sha: '3d3c42e5aac5ba805825da76410c181273ba90b1' },
  'actions/create-github-app-token': { repository: 'actions/create-github-app-token', version: 'v3.1.1', sha: '1b10c78c7865c340bc4f6099eb2f838309f1e8c3' },
  'actions/download-artifact': { repository: 'actions/download-artifact', version: 'v8.0.1', sha: '3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c' },
  'actions/github-script': { repository: 'actions/github-script', version: 'v8.0.0', sha: 'ed597411d8f924073f98dfc5c65a23a2325f34cd' },
  'actions/setup-dotnet': { repository: 'actions/setup-dotnet', version: 'v6.0.0', sha: 'a98b56852c35b8e3190ac28c8c2271da59106c68' },
  'actions/setup-go': { repository: 'actions/setup-go', version: 'v7.0.0', sha: 'b7ad1dad31e06c5925ef5d2fc7ad053ef454303e' },
  'actions/setup-java': { repository: 'actions/setup-java', version: 'v5.7.0', sha: 'b6effb05e454b25005698d916606bdc6ffcbf961' },
  'actions/setup-node': { repository: 'actions/setup-node', version: 'v7.0.0', sha: '820762786026740c76f36085b0efc47a31fe5020' },
  'actions/setup-python': { repository: 'actions/setup-python', version: 'v7.0.0', sha: '5fda3b95a4ea91299a34e894583c3862153e4b97' },
  'actions/upload-artifact': { repository: 'actions/upload-artifact', version: 'v7.0.0', sha: 'bbbca2ddaa5d8feaa63e36b76fdaad77386f024f' },
  'amannn/action-semantic-pull-request': { repository: 'amannn/action-semantic-pull-request', version: 'v6.1.1', sha: '48f256284bd46cdaab1048c3721360e808335d50' },
  'aws-actions/amazon-ecr-login': { repository: 'aws-actions/amazon-ecr-login', version: 'v2.1.7', sha: '03f1aad4c6c7ffd436567f42f9384779290529bd' },
  'aws-actions/configure-aws-credentials': { repository: 'aws-actions/configure-aws-credentials', version: 'v6.2.3', sha: 'e6de054238d6b7531b4efff3b6587d9aade6a06c' },
  'docker/build-push-action': { repository: 'docker/build-push-action', version: 'v7.3.0', sha: '53b7df96c91f9c12dcc8a07bcb9ccacbed38856a' },
  'docker/metadata-action': { repository: 'docker/metadata-action', version: 'v6.2.0', sha: 'dc802804100637a589fabce1cb79ff13a1411302' },
  'docker/setup-buildx-action': { repository: 'docker/setup-buildx-action', version: 'v4.3.0', sha: '37fe631027851001ddb9b187196cc803df7f5f0e' },
  'docker/setup-qemu-action': { repository: 'docker/setup-qemu-action', version: 'v4.2.0', sha: '96fe6ef7f33517b61c61be40b68a1882f3264fb8' },
  'peter-evans/create-pull-request': { repository: 'peter-evans/create-pull-request', version: 'v8.1.1', sha: '5f6978faf089d4d20b00c7766989d076bb2fc7f1' },
} as const satisfies Record<string, ActionPin>;
// END PINS

/** An action of the table. */
export type PinnedAction = keyof typeof ACTION_PINS;
