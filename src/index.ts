// SPDX-License-Identifier: Apache-2.0
export * from './build-cache';
export * from './claims-verdict';
export * from './generated-file';
export * from './github-ecr-publisher';
export * from './github-ecr-publisher-fleet';
export * from './github-issuer';
export * from './github-oidc-provider-stack-set';
export * from './image-signing';
export * from './oidc-provider-source';
export * from './push-policy';
export * from './workflow-options';
