// SPDX-License-Identifier: Apache-2.0
//
// The type check of scripts/ci/cdk-range.sh: compiles the files of a tsconfig
// (whose `paths` point aws-cdk-lib and constructs at one installed pair) and
//   1. prints the compiler's errors;
//   2. proves the mapping took effect: every aws-cdk-lib/constructs file the
//      program read comes from that install, none from the repository's own
//      node_modules;
//   3. lists every use, in the checked files, of an aws-cdk-lib or constructs
//      API that this pair marks @deprecated: names, property accesses, calls
//      and `new` (the resolved overload), and props written in object literals
//      (the contextual type's property). JSII_DEPRECATED=fail at run time only
//      catches the calls the tests execute, once per API and test file; this
//      catches every call site.
// A self-test first checks a generated file with known deprecated uses (and a
// non-deprecated one) and fails if the check misses one or reports too much.
//
//   node scripts/ci/cdk-range-typecheck.js TSCONFIG INSTALL_NODE_MODULES REPO WORK_DIR
//
// Exit code 0: no error, no deprecated use; 1 otherwise.
'use strict';
const fs = require('fs');
const path = require('path');

const [tsconfigPath, installDir, repo, workDir] = process.argv.slice(2);
if (!workDir) {
  console.error('usage: node scripts/ci/cdk-range-typecheck.js TSCONFIG INSTALL_NODE_MODULES REPO WORK_DIR');
  process.exit(2);
}
const ts = require(path.join(repo, 'node_modules', 'typescript'));
const LIBRARIES = ['aws-cdk-lib', 'constructs'];
const fromInstall = (file) => LIBRARIES.some((lib) => file.startsWith(`${installDir}/${lib}/`));

function createProgram(extraFiles = []) {
  const config = ts.readConfigFile(tsconfigPath, ts.sys.readFile);
  if (config.error) throw new Error(ts.flattenDiagnosticMessageText(config.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(config.config, ts.sys, path.dirname(tsconfigPath));
  return ts.createProgram({ rootNames: [...parsed.fileNames, ...extraFiles], options: parsed.options });
}

function isDeprecated(tags) {
  return tags.some((t) => t.name === 'deprecated');
}

/** The @deprecated text of a symbol or signature declared in the install, or undefined. */
function deprecation(checker, thing) {
  if (!thing) return undefined;
  const decls = thing.declarations ?? (thing.declaration ? [thing.declaration] : []);
  if (!decls.some((d) => fromInstall(d.getSourceFile().fileName))) return undefined;
  const tags = typeof thing.getJsDocTags === 'function' ? thing.getJsDocTags(checker) : [];
  if (!isDeprecated(tags)) return undefined;
  const tag = tags.find((t) => t.name === 'deprecated');
  return ts.displayPartsToString(tag.text ?? []).replace(/\s+/g, ' ').trim();
}

/** Every deprecated use in `sourceFile`: [{ line, column, name, why }]. */
function deprecatedUses(checker, sourceFile) {
  const uses = [];
  const report = (node, name, why) => {
    const { line, character } = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile));
    uses.push({ file: sourceFile.fileName, line: line + 1, column: character + 1, name, why });
  };
  const symbolOf = (node) => {
    let symbol = checker.getSymbolAtLocation(node);
    if (symbol && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    return symbol;
  };
  const visit = (node) => {
    if (ts.isIdentifier(node) && !ts.isPropertyAssignment(node.parent) && !ts.isShorthandPropertyAssignment(node.parent)) {
      const symbol = symbolOf(node);
      const why = deprecation(checker, symbol);
      if (why !== undefined) report(node, checker.getFullyQualifiedName(symbol).replace(/^".*"\./, ''), why);
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const signature = checker.getResolvedSignature(node);
      const why = deprecation(checker, signature);
      // A deprecated overload of a function that is not deprecated as a whole.
      const symbol = symbolOf(ts.isPropertyAccessExpression(node.expression) ? node.expression.name : node.expression);
      if (why !== undefined && deprecation(checker, symbol) === undefined) report(node, `${node.expression.getText(sourceFile)}(...)`, why);
    }
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isObjectLiteralExpression(node.parent)) {
      const type = checker.getContextualType(node.parent);
      const name = node.name.getText(sourceFile);
      const prop = type && checker.getPropertyOfType(checker.getNonNullableType(type), name);
      const why = deprecation(checker, prop);
      if (why !== undefined) report(node.name, `${checker.typeToString(type)}.${name}`, why);
    }
    ts.forEachChild(node, visit);
  };
  visit(sourceFile);
  return uses;
}

// ---- self-test ----------------------------------------------------------------
// Deprecated in every aws-cdk-lib 2.x from the floor on: CfnResource#addDependsOn (a
// method; node.addDependency is the control), SecretValue.plainText (a static method),
// and two props in object literals: ecr.RepositoryProps.autoDeleteImages and
// GetContextValueOptions.ignoreErrorOnMissingContext (mustExist is the control).
const SELF_TEST = `import { CfnResource, ContextProvider, SecretValue } from 'aws-cdk-lib';
import * as ecr from 'aws-cdk-lib/aws-ecr';
import { Construct } from 'constructs';
export function uses(scope: Construct, a: CfnResource, b: CfnResource): void {
  new ecr.Repository(scope, 'R', { autoDeleteImages: true, emptyOnDelete: true });
  a.addDependsOn(b);
  a.node.addDependency(b);
  SecretValue.plainText('x');
  ContextProvider.getValue(scope, { provider: 'p', dummyValue: 1, ignoreErrorOnMissingContext: true, mustExist: false });
}
`;
const EXPECTED_SELF_TEST = ['addDependsOn', 'autoDeleteImages', 'ignoreErrorOnMissingContext', 'plainText'];

function selfTest(program, file) {
  const found = deprecatedUses(program.getTypeChecker(), program.getSourceFile(file)).map((u) => u.name.split('.').pop()).sort();
  const missed = EXPECTED_SELF_TEST.filter((n) => !found.includes(n));
  const extra = found.filter((n) => !EXPECTED_SELF_TEST.includes(n));
  if (missed.length > 0 || extra.length > 0) {
    console.error(`cdk-range: the deprecation check's self-test failed: missed ${JSON.stringify(missed)}, reported too much ${JSON.stringify(extra)}`);
    return false;
  }
  return true;
}

// ---- main ---------------------------------------------------------------------
// One program for the checked files and the self-test (its file is outside the repository).
const selfTestFile = path.join(workDir, 'cdk-range-self-test.ts');
fs.writeFileSync(selfTestFile, SELF_TEST);
const program = createProgram([selfTestFile]);
let ok = selfTest(program, selfTestFile);
const diagnostics = ts.getPreEmitDiagnostics(program);
if (diagnostics.length > 0) {
  ok = false;
  const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => repo, getNewLine: () => '\n' };
  process.stdout.write(ts.formatDiagnostics(diagnostics, host));
}

const files = program.getSourceFiles().map((f) => f.fileName);
const own = files.filter((f) => LIBRARIES.some((lib) => f.startsWith(`${repo}/node_modules/${lib}/`)));
if (own.length > 0 || !files.some((f) => f.startsWith(`${installDir}/aws-cdk-lib/`))) {
  ok = false;
  console.error(`cdk-range: the paths mapping did not take effect: ${own.length} file(s) from ${repo}/node_modules, ` +
    `${files.filter(fromInstall).length} from ${installDir} (e.g. ${own[0] ?? 'none'})`);
}

const checker = program.getTypeChecker();
const uses = program.getSourceFiles()
  .filter((f) => !f.isDeclarationFile && f.fileName.startsWith(`${repo}/`) && !f.fileName.includes('/node_modules/'))
  .flatMap((f) => deprecatedUses(checker, f));
for (const u of uses) {
  console.log(`${path.relative(repo, u.file)}:${u.line}:${u.column}: deprecated ${u.name}: ${u.why}`);
}
if (uses.length > 0) ok = false;
console.log(`cdk-range: ${diagnostics.length} type error(s), ${uses.length} deprecated use(s) in ` +
  `${program.getSourceFiles().filter((f) => f.fileName.startsWith(`${repo}/`) && !f.fileName.includes('/node_modules/')).length} checked file(s)`);
process.exit(ok ? 0 : 1);
