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
    ['the workflow reads secrets', { name: 'AWS_REGION', repository: 'o/r', environments: [], kind: 'secret' }],
    ['the workflow reads variables', { name: 'AWS_REGION', repository: 'o/r', environments: ['prod'], kind: 'variable' }],
    ['the workflow has the values inline', { name: 'AWS_ROLE_ARN', repository: 'o_emu/r', environments: [], kind: 'inline' }],
  ])('reads back what describeOutput wrote: %s', (_case, target) => {
    expect(parseOutputDescription(describeOutput(target))).toEqual(target);
  });

  test('the first words name the value source; "secret (or variable)" (earlier versions, or not known) reads without one', () => {
    expect(describeOutput({ name: 'AWS_REGION', repository: 'o/r', environments: [], kind: 'variable' })).toBe('Set as the variable AWS_REGION of the GitHub repository o/r');
    expect(describeOutput({ name: 'AWS_REGION', repository: 'o/r', environments: [], kind: 'inline' })).toBe('Written into the workflow as AWS_REGION of the GitHub repository o/r');
    expect(parseOutputDescription('Set as the secret (or variable) AWS_REGION of the GitHub repository o/r')).toEqual({ name: 'AWS_REGION', repository: 'o/r', environments: [] });
  });

  test('a repository name with characters GitHub does not allow (a line break, an escape) does not parse', () => {
    expect(() => parseOutputDescription('Set as the secret AWS_REGION of the GitHub repository o/r\x1b[2J')).toThrow(/expected "of the GitHub repository OWNER\/REPO"/);
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
