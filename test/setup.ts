// Runs before every test file (jestConfig.setupFilesAfterEnv in .projenrc.ts).
import { Annotations, Template } from 'aws-cdk-lib/assertions';

// @cloud-copilot/iam-simulate 0.1.173 loads the resource policy without
// metadata and then crashes reading it: give it a name. A jest.mock in a setup
// file registers the mock in each test file's module registry, so it applies
// to every test file that evaluates a policy (test/helpers/iam-evaluator.ts).
jest.mock('@cloud-copilot/iam-policy', () => {
  const actual = jest.requireActual<typeof import('@cloud-copilot/iam-policy')>('@cloud-copilot/iam-policy');
  return {
    ...actual,
    loadPolicy: (document: unknown, metadata?: unknown) => actual.loadPolicy(document, metadata ?? { name: 'ResourcePolicy' }),
  };
});

// A test that asserts nothing fails.
beforeEach(() => expect.hasAssertions());

// aws-cdk-lib's Template and Annotations assertions throw without going
// through expect: count each call as one assertion, so a test whose only
// checks are Template assertions is not reported as asserting nothing.
countAsAssertions(Template.prototype, [
  'resourceCountIs', 'resourcePropertiesCountIs', 'hasResourceProperties', 'hasResource', 'allResources',
  'allResourcesProperties', 'hasParameter', 'hasOutput', 'hasMapping', 'hasCondition', 'templateMatches',
]);
countAsAssertions(Annotations.prototype, ['hasError', 'hasNoError', 'hasWarning', 'hasNoWarning', 'hasInfo', 'hasNoInfo']);

function countAsAssertions<T extends object>(prototype: T, methods: Array<keyof T & string>): void {
  for (const name of methods) {
    const original = prototype[name] as unknown as (...args: unknown[]) => unknown;
    Object.defineProperty(prototype, name, {
      configurable: true,
      writable: true,
      value: function (this: T, ...args: unknown[]): unknown {
        const result = original.apply(this, args);
        expect.setState({ assertionCalls: expect.getState().assertionCalls + 1 });
        return result;
      },
    });
  }
}
