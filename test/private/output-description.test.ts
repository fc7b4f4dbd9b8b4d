// The output descriptions: people read them in the console, the command-line
// tool parses them back, so every environment name must survive the round trip.
import { describeOutput, OutputTarget, parseOutputDescription } from '../../src/private/output-description';

describe('describeOutput', () => {
  test('the repository, or the environments in the repository, in the documented format', () => {
    expect(describeOutput({ name: 'AWS_ROLE_ARN', repository: 'octo-org/chatgpt-web', environments: [] }))
      .toBe('Set as the secret (or variable) AWS_ROLE_ARN of the GitHub repository octo-org/chatgpt-web');
    expect(describeOutput({ name: 'AWS_REGION', repository: 'octo-org/chatgpt-web', environments: ['production'] }))
      .toBe('Set as the secret (or variable) AWS_REGION of GitHub Environment "production" in octo-org/chatgpt-web');
    expect(describeOutput({ name: 'ECR_REGISTRY', repository: 'octo-org/chatgpt-web', environments: ['dev', 'qa'] }))
      .toBe('Set as the secret (or variable) ECR_REGISTRY of GitHub Environments "dev", "qa" in octo-org/chatgpt-web');
  });
});

describe('parseOutputDescription', () => {
  test.each<[string, OutputTarget]>([
    ['repository', { name: 'ECR_REPOSITORY', repository: 'octo-org/chatgpt-web', environments: [] }],
    ['one environment', { name: 'AWS_ROLE_ARN', repository: 'octo-org/web.site', environments: ['production'] }],
    ['names with spaces, quotes, " / ", ", " and " in "', { name: 'AWS_REGION', repository: 'o/r', environments: ['dev / eu', 'say "hi"', 'a, b', 'x in y'] }],
  ])('reads back what describeOutput wrote: %s', (_case, target) => {
    expect(parseOutputDescription(describeOutput(target))).toEqual(target);
  });

  test('another construct\'s output is not ours', () => {
    expect(parseOutputDescription('The bucket name')).toBeUndefined();
  });

  test.each([
    ['Set as the secret (or variable) AWS_SECRET of the GitHub repository o/r', /value name is not one of AWS_REGION, ECR_REPOSITORY, ECR_REGISTRY, AWS_ROLE_ARN/],
    ['Set as the secret (or variable) AWS_REGION of the GitHub repository o/r/x', /expected "of the GitHub repository OWNER\/REPO"/],
    ['Set as the secret (or variable) AWS_REGION of GitHub Environment production in o/r', /expected/],
    ['Set as the secret (or variable) AWS_REGION of GitHub Environment "a" "b" in o/r', /not JSON strings/],
    ['Set as the secret (or variable) AWS_REGION of GitHub Environment "" in o/r', /not JSON strings/],
  ])('one that starts like ours but does not parse is an error, not skipped: %s', (description, message) => {
    expect(() => parseOutputDescription(description)).toThrow(message);
  });
});
