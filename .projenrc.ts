import * as fs from 'fs';
import { awscdk, javascript, JsonFile } from 'projen';
import { configureRelease, GO_PUBLISHING, NUGET_PUBLISHING, PYPI_PUBLISHING, RELEASE_OPTIONS } from './projenrc/release';
import { parseRangeFile, RANGE_FILE } from './scripts/refresh-cdk-range';

// The supported aws-cdk-lib / constructs range starts at "floor" in
// .cdk-range.json: the lowest releases with every API the library uses, found
// by installing candidates and running the tests (scripts/ci/cdk-range.sh runs
// the suites against the floor and the newest release in CI).
const RANGE = parseRangeFile(fs.readFileSync(RANGE_FILE, 'utf8'));

// The development pin: the versions the registry reachable from CI serves and
// that work together (integ-runner and integ-tests-alpha must read
// aws-cdk-lib's cloud assembly). Re-check all three before moving one.
const CDK_VERSION = '2.257.0';
const CONSTRUCTS_VERSION = '10.5.1';
const INTEG_RUNNER = '@aws-cdk/integ-runner@2.197.10';
const INTEG_TESTS = '@aws-cdk/integ-tests-alpha@2.245.0-alpha.0';
// The CDK CLI integ-runner brings; test/private/cli/main.test.ts runs it for the offline-synth recipe.
const CDK_CLI = 'aws-cdk@2.1115.1';

const project = new awscdk.AwsCdkConstructLibrary({
  name: 'cdk-github-ecr-publisher',
  description:
    'One AWS CDK construct that lets a GitHub repository push images to Amazon ECR through GitHub OIDC: repository, provider, least-privilege role, lifecycle, outputs and the matching workflow.',
  author: 'cdk-github-ecr-publisher contributors',
  authorAddress: 'https://github.com/cdk-github-ecr-publisher/cdk-github-ecr-publisher',
  repositoryUrl: 'https://github.com/cdk-github-ecr-publisher/cdk-github-ecr-publisher.git',
  homepage: 'https://github.com/cdk-github-ecr-publisher/cdk-github-ecr-publisher',
  license: 'Apache-2.0',
  copyrightOwner: 'cdk-github-ecr-publisher contributors',
  keywords: ['aws-cdk', 'cdk', 'ecr', 'github-actions', 'oidc', 'iam', 'docker', 'awscdk'],
  stability: 'experimental',
  defaultReleaseBranch: 'main',
  projenrcTs: true,
  packageManager: javascript.NodePackageManager.NPM,

  // The peer dependencies: ^floor. Development uses CDK_VERSION and
  // CONSTRUCTS_VERSION (below), not the floor projen would pin by default.
  cdkVersion: RANGE.floor['aws-cdk-lib'],
  constructsVersion: RANGE.floor.constructs,
  peerDependencyOptions: { pinnedDevDependency: false },
  jsiiVersion: '~6.0.16',
  typescriptVersion: '~6.0.3',
  minNodeVersion: '20.16.0',
  bumpPackage: 'commit-and-tag-version@^12',

  experimentalIntegRunner: true,
  integrationTestAutoDiscover: false,

  // `npx cdk-github-ecr-publisher secrets|context`: sets the four values on
  // GitHub from `cdk deploy --outputs-file`, records the provider lookup for
  // offline synth. Plain Node.js, so it also serves Python and Java apps.
  bin: { 'cdk-github-ecr-publisher': 'lib/private/cli/main.js' },

  // The generated workflow is produced with a YAML library, bundled so that
  // jsii consumers (Python, Java, ...) get it inside the package.
  bundledDeps: ['yaml@^2.9.1'],
  devDeps: [
    '@cloud-copilot/iam-simulate@0.1.173',
    '@cloud-copilot/iam-policy',
    'cdk-nag@3.0.2',
    // AWS Control Tower's proactive controls as CloudFormation Guard rules, with cfn-guard (scripts/lint-guard.js).
    '@cdklabs/cdk-validator-cfnguard@0.0.62',
    'jsii-rosetta@~6.0.17',
    'jsii-pacmak@1.140.0',
    'ts-node',
    // Benchmark only (bench/): the construct users assemble today, pinned.
    'aws-cdk-github-oidc@2.4.1',
  ],

  jestOptions: {
    // projen defaults to `jest --updateSnapshot`, which makes snapshots unable to fail.
    updateSnapshot: javascript.UpdateSnapshot.NEVER,
    jestConfig: {
      testPathIgnorePatterns: ['/node_modules/', '/lib/', '\\.snapshot/'],
      // One jest.mock workaround for every test file, and expect.hasAssertions() before each test.
      setupFilesAfterEnv: ['<rootDir>/test/setup.ts'],
    },
  },

  // GitHub workflows, release and dependency upgrades: see projenrc/release.ts.
  ...RELEASE_OPTIONS,

  publishToPypi: {
    distName: 'cdk-github-ecr-publisher',
    module: 'cdk_github_ecr_publisher',
    ...PYPI_PUBLISHING,
  },
  publishToMaven: {
    javaPackage: 'io.github.cdkgithubecrpublisher',
    mavenGroupId: 'io.github.cdk-github-ecr-publisher',
    mavenArtifactId: 'cdk-github-ecr-publisher',
  },
  publishToNuget: {
    dotNetNamespace: 'CdkGitHubEcrPublisher',
    packageId: 'CdkGitHubEcrPublisher',
    ...NUGET_PUBLISHING,
  },
  publishToGo: {
    moduleName: 'github.com/cdk-github-ecr-publisher/cdk-github-ecr-publisher-go',
    ...GO_PUBLISHING,
  },

  gitignore: [
    'cdk.out',
    '.cdk.staging',
    'examples/**/cdk.out',
    'examples/**/out',
    // integ snapshots are committed, their staged asset bundles are not
    'test/**/*.snapshot/**/asset.*',
    '.jsii.tabl.json',
    // integ-runner's working output
    'test/cdk-integ.out.*',
    // template linters' virtualenv and inputs (.ci/run); the workflows the tests write for actionlint (.lint-out/workflows)
    '.venv-lint/',
    '.lint-out/',
  ],
});

// experimentalIntegRunner adds integ-runner and integ-tests-alpha as "latest":
// replace them with the versions that read aws-cdk-lib 2.257's cloud assembly.
project.deps.removeDependency('@aws-cdk/integ-runner');
project.deps.removeDependency('@aws-cdk/integ-tests-alpha');
project.addDevDeps(INTEG_RUNNER, INTEG_TESTS, CDK_CLI);
project.addDevDeps(`aws-cdk-lib@${CDK_VERSION}`, `constructs@${CONSTRUCTS_VERSION}`);

// jsii advises developing against the peer floor; the development pin is above
// it on purpose (integ-runner, integ-tests-alpha and cdk-nag need it) and the
// cdk-range task tests the floor itself, so that advice is silenced.
project.compileTask.reset('jsii --silence-warnings=reserved-word --silence-warnings=metadata/missing-dev-dependency');
// The command-line tool must be executable inside the tarball: npm sets the
// bit when it installs a bin, but the jsii runtime that runs it as the Python
// wheel's script does not, it executes the file as packed.
project.compileTask.exec('chmod 755 lib/private/cli/main.js');
project.compileTask.spawn(project.tasks.tryFind('compat')!);

// integ-runner compiles each test with ts-node; transpile-only cuts verification time by two thirds.
for (const name of ['integ', 'integ:update']) {
  project.tasks.tryFind(name)?.env('TS_NODE_TRANSPILE_ONLY', '1');
}

// ts-jest transpiles each test file on its own (isolatedModules), so a type
// error in a test, or an unused import in an example, would pass unnoticed:
// the test task type-checks everything first.
const typecheck = project.addTask('typecheck', {
  description: 'Type-check src, test, examples, bench and scripts in one program (tsconfig.dev.json; unused locals are errors)',
  exec: 'tsc --noEmit -p tsconfig.dev.json',
});

// `jest --passWithNoTests` would let a run with no test pass: fail instead.
const jestTask = project.tasks.tryFind('test');
jestTask?.reset();
jestTask?.spawn(typecheck);
jestTask?.exec('jest --ci', { receiveArgs: true });
jestTask?.spawn(project.tasks.tryFind('eslint')!);
jestTask?.spawn(project.tasks.tryFind('integ')!);

// TypeScript settings for code run with ts-node outside src/ (examples, bench),
// and the one type check of everything (the typecheck task):
// TypeScript 6 needs rootDir set when sources span several folders.
new JsonFile(project, 'tsconfig.dev.json', {
  obj: {
    compilerOptions: {
      target: 'ES2022',
      module: 'commonjs',
      moduleResolution: 'node',
      lib: ['es2022'],
      types: ['node', 'jest'],
      strict: true,
      esModuleInterop: true,
      skipLibCheck: true,
      resolveJsonModule: true,
      rootDir: '.',
      // moduleResolution "node" (node10) is deprecated in TypeScript 6 but is what ts-node's CommonJS needs here.
      ignoreDeprecations: '6.0',
      // As in src/ (jsii's tsconfig): an unused import in an example is a mistake a reader copies.
      noUnusedLocals: true,
      noUnusedParameters: true,
    },
    include: ['src/**/*.ts', 'test/**/*.ts', 'examples/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts'],
    // The rehearsal app imports the published package by name and compiles in its own folder (scripts/ci/rehearse.sh).
    exclude: ['scripts/rehearsal/**'],
  },
});

// The README's "main job": synthesize the example app offline and print a summary.
project.addTask('example', {
  description: 'Synthesize examples/chatgpt-web (dev + prod), write its workflows and print what to set on GitHub',
  exec: 'ts-node --project tsconfig.dev.json examples/chatgpt-web/app.ts',
});
// Development-only folders stay out of the npm package. rosetta/ is shipped:
// with the tablet (.jsii.tabl.json, below) it lets Construct Hub re-translate
// the examples with the same fixture.
// The sources ship with the compiled code: lib/*.js carry inline source maps
// that name src/*.ts, so stack traces point at files the package has.
project.npmignore?.removePatterns('/src/');
// The tests' and linters' output (.lint-out/, .venv-lint/) exists when a developer or CI packs after testing.
for (const pattern of ['/scripts/', '/bench/', '/examples/', '/.ci/', '/.compatignore', '/requirements-ci.txt', '/.checkov.yaml', '/tsconfig.dev.json', '/.cdk-range.json',
  '/.lint-out/', '/.venv-lint/']) {
  project.addPackageIgnore(pattern);
}

// The translated examples (README and docstrings) in every jsii language.
// Written next to .jsii before packaging, so the npm tarball carries them and
// the release's Python, Java, .NET and Go jobs (which build from that tarball)
// and Construct Hub use real translations instead of marking each example
// "automatically generated from non-compiling source". --strict: an example
// that does not compile fails the build.
const rosettaExtract = project.addTask('rosetta:extract', {
  description: 'Compile and translate the README and docstring examples into .jsii.tabl.json (shipped in the package)',
  exec: 'jsii-rosetta extract --strict',
});
project.postCompileTask.spawn(rosettaExtract);

// Relative links in the README break on npm, Construct Hub, PyPI, Maven and NuGet.
const readmeLinks = project.addTask('readme:links', {
  description: 'Fail on README links that only work inside the repository (--fix rewrites them to absolute URLs)',
  exec: 'node scripts/check-readme-links.js',
  receiveArgs: true,
});
project.postCompileTask.spawn(readmeLinks);

project.addTask('docs:packed', {
  description: 'Check the packed tarball (after package:js) and the wheel (after languages): docs in python/java/csharp/go and the wheel README have translated examples',
  exec: 'bash scripts/ci/check-packed-docs.sh',
});

// Publish rehearsal against registry servers on 127.0.0.1 (after package:js and languages).
project.addTask('rehearse', {
  description: 'Publish to local Verdaccio, pypiserver and a file:// Maven repository with publib, install by name, synthesize in TS/Python/Java, jsii-diff',
  exec: 'bash scripts/ci/rehearse.sh',
});

project.addTask('lint:workflows', {
  description: 'Run actionlint and zizmor (pinned) on the workflows the tests and the example apps render (needs .venv-lint, see .ci/run)',
  steps: [
    { exec: 'bash scripts/install-actionlint.sh' },
    { exec: 'bash scripts/lint-workflows.sh examples/chatgpt-web/out/repo/.github/workflows examples/minimal/out/repo/.github/workflows' },
  ],
});

// The lint configurations' templates, synthesized once for every template linter.
const SYNTH_LINT_CONFIGURATIONS = { exec: 'ts-node --transpile-only test/fixtures/lint/synth-configurations.ts .lint-out/configurations' };
const GUARD = { exec: 'node scripts/lint-guard.js examples/chatgpt-web/cdk.out examples/minimal/cdk.out .lint-out/configurations' };

project.addTask('lint:guard', {
  description: 'AWS Control Tower proactive controls (cfn-guard) over the example and lint-configuration templates; only the explained CT.ECR.PR.3 may fail',
  steps: [SYNTH_LINT_CONFIGURATIONS, GUARD],
});

// The commit pins of every action the rendered workflow and this project's
// workflows use (src/private/action-pins.ts); needs network access to github.com.
project.addTask('refresh-action-pins', {
  description: 'Rewrite src/private/action-pins.ts with the newest release of each action\'s major (-- --major: newest major; -- --verify: check the pins)',
  exec: 'ts-node --transpile-only scripts/refresh-action-pins.ts',
  receiveArgs: true,
});

// The digest-pinned references of the BuildKit and binfmt images the job runs
// privileged (the buildkitImage and binfmtImage options); needs the registries.
project.addTask('refresh-builder-images', {
  description: 'Print the actions\' default BuildKit and binfmt images pinned to their current digests (-- <ref>...: other references; -- --verify <ref@digest>...: check pins)',
  exec: 'ts-node --transpile-only scripts/refresh-builder-images.ts',
  receiveArgs: true,
});

project.addTask('lint:templates', {
  description: 'cfn-lint, checkov and parliament over the example, the lint configurations and the integ snapshots, then the lint:guard controls (needs .venv-lint, see .ci/run)',
  steps: [
    SYNTH_LINT_CONFIGURATIONS,
    { exec: 'bash scripts/lint-templates.sh --venv .venv-lint --self-test' },
    {
      exec: "bash scripts/lint-templates.sh --venv .venv-lint --skip-file 'DeployAssert|Assertions' " +
        // the lookup integ test's cleanup custom resource and the integ-tests assertion handler are test scaffolding
        '--exclude-resource DeleteTestProvider --exclude-resource AWS679f53fac002430cb0da5b7982bd2287 ' +
        'examples/chatgpt-web/cdk.out examples/minimal/cdk.out .lint-out/configurations test/integ.*.ts.snapshot/*.template.json',
    },
    GUARD,
  ],
});

// The jsii languages: README examples under rosetta --strict, docstrings,
// the Python wheel, Java jar, Go module and .NET code,
// and the Python and Java consumer apps compared with TypeScript (needs compile first).
project.addTask('languages', {
  description: 'Build the Python/Java/Go/.NET packages, run the Python and Java consumers, check README examples and docstrings (API docs per language: docs:packed)',
  exec: 'bash scripts/ci/languages.sh',
});

// Benchmark (not part of the tests): synth cost and template footprint against
// raw L1 and aws-cdk-github-oidc; writes bench/results.md and bench/results.json.
project.addTask('bench', {
  description: 'Synth cost and template footprint vs raw L1 and aws-cdk-github-oidc (writes bench/results.md/.json)',
  steps: [
    { exec: 'tsc -p bench/tsconfig.json' },
    { exec: 'ts-node --project bench/tsconfig.json bench/run.ts', receiveArgs: true },
  ],
});
project.eslint?.addLintPattern('bench');

project.addTask('example:minimal', {
  description: 'Synthesize examples/minimal (the README minimal example: main + v*, keep 10) and write its workflow',
  exec: 'ts-node --project tsconfig.dev.json examples/minimal/app.ts',
});

// The example app and benchmark are TypeScript outside src/ and test/.
project.eslint?.addLintPattern('examples');
project.eslint?.addLintPattern('scripts');
// No import cycles in the library (test/import-cycles.test.ts also covers type-only imports).
project.eslint?.addRules({ 'import/no-cycle': ['error'] });

// The supported aws-cdk-lib range (.cdk-range.json): type check, deprecated APIs
// and the construct, trust and workflow suites against the floor and the
// newest release, installed outside the working tree.
project.addTask('cdk-range', {
  description: 'Test against the floor and the newest aws-cdk-lib/constructs of .cdk-range.json (type check, no deprecated API, suites with JSII_DEPRECATED=fail)',
  steps: [
    { exec: 'bash scripts/ci/cdk-range.sh --max-workers 2 --pair floor' },
    { exec: 'bash scripts/ci/cdk-range.sh --max-workers 2 --pair newest' },
  ],
});
const cdkRangeRefresh = project.addTask('cdk-range:refresh', {
  description: 'Rewrite "newest" in .cdk-range.json from the npm registry (7-day cool-down; -- --check: only report)',
  exec: 'ts-node --transpile-only scripts/refresh-cdk-range.ts --cooldown-days 7',
  receiveArgs: true,
});
// The weekly upgrade (upgrade-main.yml runs `npx projen upgrade`) also moves
// "newest", so a new aws-cdk-lib reaches CI in that pull request only.
project.tasks.tryFind('post-upgrade')!.spawn(cdkRangeRefresh);
// Deprecated aws-cdk-lib (or any) APIs fail the lint at the development pin;
// the cdk-range task checks src/ and examples/ at the newest release too.
project.eslint?.addRules({ '@typescript-eslint/no-deprecated': ['error'] });

// Keep jsii quiet about Node 20 (still supported by this library).
project.tasks.addEnvironment('JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION', '20');

configureRelease(project);

project.synth();
