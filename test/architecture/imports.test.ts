// Architecture test: the import lines of every source file under lambda/ and lib/ keep the layers apart (a pure
// domain, no folder cycle, presenters on the domain only, lib/ on the contract only, no CDK in the runtime).
import { join } from 'node:path';
import {
  type AllowedViolation,
  findViolations,
  folderOf,
  type ImportEdge,
  importSpecifiers,
  RULES,
  readImports,
  sourceFiles,
  type Violation,
} from './import-graph';

/**
 * Imports that break a rule and are accepted for a while, each with why (empty: the tree keeps every rule). Each
 * entry must still be a violation (the test fails when one disappears), so the list cannot rot.
 */
const KNOWN_VIOLATIONS: readonly AllowedViolation[] = [];

const REPO_ROOT = join(__dirname, '..', '..');

const isKnown = (violation: Violation): boolean =>
  KNOWN_VIOLATIONS.some(
    (known) =>
      known.rule === violation.rule &&
      known.file === violation.file &&
      known.specifier === violation.specifier,
  );

describe('the source tree', () => {
  const imports = readImports(REPO_ROOT);
  const violations = findViolations(imports, KNOWN_VIOLATIONS);

  it('is read whole: every source file, relative imports resolved to files', () => {
    const files = sourceFiles(REPO_ROOT);
    expect(files).toEqual(
      expect.arrayContaining(['lambda/handler.ts', 'lambda/domain/types.ts', 'lib/guard-stack.ts']),
    );
    expect(imports).toContainEqual({
      file: 'lambda/notify/body.ts',
      specifier: './alert-input',
      target: 'lambda/notify/alert-input.ts',
    });
    expect(imports).toContainEqual({ file: 'lib/guard-stack.ts', specifier: 'constructs', target: null });
    // Most files import something: a broken pattern would find few.
    const importing = new Set(imports.map((edge) => edge.file));
    expect(importing.size).toBeGreaterThan(files.length / 2);
  });

  it.each(RULES)('breaks no rule %s (beyond the known violations)', (rule) => {
    const unexpected = violations.filter((violation) => violation.rule === rule && !isKnown(violation));
    expect(unexpected.map((violation) => violation.message)).toEqual([]);
  });

  it('still has every known violation (remove the ones fixed from KNOWN_VIOLATIONS)', () => {
    const gone = KNOWN_VIOLATIONS.filter(
      (known) =>
        !violations.some(
          (violation) =>
            violation.rule === known.rule &&
            violation.file === known.file &&
            violation.specifier === known.specifier,
        ),
    );
    expect(gone.map((known) => `${known.rule}: ${known.file} imports '${known.specifier}'`)).toEqual([]);
  });
});

describe('importSpecifiers', () => {
  it('reads import, import type, side-effect, export-from and multi-line clauses', () => {
    const source = [
      '// A comment that says import x from "nowhere" is not an import.',
      "import { a, type B } from './a';",
      "import type { C } from '../c';",
      "import * as d from 'node:path';",
      "import './side-effect';",
      'import {',
      '  e,',
      '  f as g,',
      "} from './multi';",
      "export { h } from './h';",
      "export type { I } from './i';",
      "export * from './all';",
      "export const notAnImport = 'from ./nothing';",
      "const later = await import('./lazy');",
    ].join('\n');
    expect(importSpecifiers(source)).toEqual([
      './a',
      '../c',
      'node:path',
      './side-effect',
      './multi',
      './h',
      './i',
      './all',
      './lazy',
    ]);
  });
});

describe('folderOf', () => {
  it.each([
    ['lambda/handler.ts', 'lambda'],
    ['lambda/notify/body.ts', 'lambda/notify'],
    ['lambda/domain/managed-policies/AdministratorAccess.json', 'lambda/domain'],
    ['lib/guard-stack.ts', 'lib'],
    ['package.json', null],
  ])('%s is in %s', (path, folder) => {
    expect(folderOf(path)).toBe(folder);
  });
});

describe('findViolations', () => {
  const edge = (file: string, specifier: string, target: string | null): ImportEdge => ({
    file,
    specifier,
    target,
  });
  const rulesOf = (imports: readonly ImportEdge[], allowed: readonly AllowedViolation[] = []): string[] =>
    findViolations(imports, allowed).map(
      (violation) => `${violation.rule}: ${violation.file} ${violation.specifier}`,
    );

  it('lets the domain import itself and node: builtins only', () => {
    expect(
      rulesOf([
        edge('lambda/domain/a.ts', './b', 'lambda/domain/b.ts'),
        edge('lambda/domain/a.ts', './data/x.json', 'lambda/domain/data/x.json'),
        edge('lambda/domain/a.ts', 'node:crypto', null),
        edge('lambda/domain/a.ts', '../gateways/g', 'lambda/gateways/g.ts'),
        edge('lambda/domain/a.ts', 'zod', null),
      ]),
    ).toEqual([
      'domain-imports-only-domain: lambda/domain/a.ts ../gateways/g',
      'domain-imports-only-domain: lambda/domain/a.ts zod',
    ]);
  });

  it('names the offending file, import and target in the message', () => {
    const [violation] = findViolations([edge('lambda/domain/a.ts', '../config', 'lambda/config.ts')]);
    expect(violation?.message).toBe(
      "lambda/domain/a.ts imports '../config' (lambda/config.ts): the domain imports nothing outside lambda/domain",
    );
  });

  it('finds a cycle between folders, through any number of folders, and names it', () => {
    const imports = [
      edge('lambda/x/a.ts', '../y/b', 'lambda/y/b.ts'),
      edge('lambda/y/b.ts', '../z/c', 'lambda/z/c.ts'),
      edge('lambda/z/c.ts', '../x/a', 'lambda/x/a.ts'),
      edge('lambda/x/a.ts', './same-folder', 'lambda/x/same-folder.ts'),
    ];
    const violations = findViolations(imports);
    expect(violations.map((violation) => violation.rule)).toEqual([
      'no-cycle-between-folders',
      'no-cycle-between-folders',
      'no-cycle-between-folders',
    ]);
    expect(violations[0]?.message).toContain('lambda/x → lambda/y → lambda/z → lambda/x');
    expect(rulesOf(imports.slice(0, 2))).toEqual([]);
  });

  it('treats the root files of a source root as one folder', () => {
    expect(
      rulesOf([
        edge('lambda/composition.ts', './usecases/u', 'lambda/usecases/u.ts'),
        edge('lambda/usecases/u.ts', '../composition', 'lambda/composition.ts'),
      ]),
    ).toHaveLength(2);
  });

  it('leaves an allowed cycle import out of the graph, and still reports it while it closes a cycle', () => {
    const allowed: AllowedViolation[] = [
      { rule: 'no-cycle-between-folders', file: 'lambda/u/a.ts', specifier: '../composition', why: 'test' },
    ];
    const imports = [
      edge('lambda/composition.ts', './u/a', 'lambda/u/a.ts'),
      edge('lambda/u/a.ts', '../composition', 'lambda/composition.ts'),
    ];
    expect(rulesOf(imports, allowed)).toEqual(['no-cycle-between-folders: lambda/u/a.ts ../composition']);
    expect(rulesOf(imports.slice(1), allowed)).toEqual([]);
  });

  it('keeps presenters off use cases, gateways, account views and the composition root', () => {
    expect(
      rulesOf([
        edge('lambda/report/t.ts', '../domain/types', 'lambda/domain/types.ts'),
        edge('lambda/report/t.ts', '../present/text', 'lambda/present/text.ts'),
        edge('lambda/report/t.ts', '../usecases/audit', 'lambda/usecases/audit.ts'),
        edge('lambda/notify/n.ts', '../gateways/eks-gateway', 'lambda/gateways/eks-gateway.ts'),
        edge('lambda/notify/n.ts', '../account/live', 'lambda/account/live.ts'),
        edge('lambda/present/p.ts', '../composition', 'lambda/composition.ts'),
      ]),
    ).toEqual([
      'presenters-import-no-use-case-or-gateway: lambda/report/t.ts ../usecases/audit',
      'presenters-import-no-use-case-or-gateway: lambda/notify/n.ts ../gateways/eks-gateway',
      'presenters-import-no-use-case-or-gateway: lambda/notify/n.ts ../account/live',
      'presenters-import-no-use-case-or-gateway: lambda/present/p.ts ../composition',
    ]);
  });

  it('lets lib/ import the runtime through lambda/contract only', () => {
    expect(
      rulesOf([
        edge('lib/stack.ts', '../lambda/contract/env', 'lambda/contract/env.ts'),
        edge('lib/stack.ts', '../lambda/config', 'lambda/config.ts'),
        edge('lib/stack.ts', '../lambda/domain/types', 'lambda/domain/types.ts'),
      ]),
    ).toEqual([
      'lib-imports-only-the-contract: lib/stack.ts ../lambda/config',
      'lib-imports-only-the-contract: lib/stack.ts ../lambda/domain/types',
    ]);
  });

  it('keeps aws-cdk-lib and constructs out of the runtime', () => {
    expect(
      rulesOf([
        edge('lambda/gateways/g.ts', 'aws-cdk-lib/aws-iam', null),
        edge('lambda/handler.ts', 'constructs', null),
        edge('lambda/handler.ts', 'aws-cdk-lib-like', null),
        edge('lib/stack.ts', 'aws-cdk-lib', null),
      ]),
    ).toEqual([
      'runtime-imports-no-cdk: lambda/gateways/g.ts aws-cdk-lib/aws-iam',
      'runtime-imports-no-cdk: lambda/handler.ts constructs',
    ]);
  });
});
