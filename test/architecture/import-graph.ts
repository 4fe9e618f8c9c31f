// Architecture check (test support): reads the import/export-from lines of the source tree, resolves them to
// files, and tells which imports break a layer rule. Pure over its input, so the rules are tested on made-up trees.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';

/** The source roots; a folder of the graph is a root's own files or one of its direct subfolders. */
export const SOURCE_ROOTS = ['lambda', 'lib'] as const;

/** Presenters: they turn domain data into text, and may read the domain and each other's shared helpers only. */
export const PRESENTER_FOLDERS: readonly string[] = ['lambda/notify', 'lambda/report', 'lambda/present'];
/** What a presenter may not import: use cases, gateways, account views and the composition root (lambda/*.ts). */
export const PRESENTER_FORBIDDEN_FOLDERS: readonly string[] = [
  'lambda/usecases',
  'lambda/gateways',
  'lambda/account',
  'lambda',
];
/** The one part of the runtime the CDK app may import. */
export const CONTRACT_FOLDER = 'lambda/contract';
/**
 * The CDK Aspect (synth-time checks of other people's apps) runs the same pure analysis as the IaC command: it may
 * import the pure IaC checker and the domain, which import no SDK and no CDK (their own rules say so).
 */
export const CDK_CHECKS_FOLDER = 'lib/checks';
export const PURE_CHECK_FOLDERS: readonly string[] = ['lambda/iac', 'lambda/domain'];
const CDK_PACKAGES: readonly string[] = ['aws-cdk-lib', 'constructs'];

export type Rule =
  | 'domain-imports-only-domain'
  | 'no-cycle-between-folders'
  | 'presenters-import-no-use-case-or-gateway'
  | 'lib-imports-only-the-contract'
  | 'runtime-imports-no-cdk';

export const RULES: readonly Rule[] = [
  'domain-imports-only-domain',
  'no-cycle-between-folders',
  'presenters-import-no-use-case-or-gateway',
  'lib-imports-only-the-contract',
  'runtime-imports-no-cdk',
];

/** One import of one file: `target` is the repo-relative file it resolves to, null for a package. */
export interface ImportEdge {
  readonly file: string;
  readonly specifier: string;
  readonly target: string | null;
}

export interface Violation extends ImportEdge {
  readonly rule: Rule;
  readonly message: string;
}

/** An import that breaks a rule today, on purpose: it names the file and the specifier as written. */
export interface AllowedViolation {
  readonly rule: Rule;
  readonly file: string;
  readonly specifier: string;
  /** Why it is there and who removes it. */
  readonly why: string;
}

// `import x from '...'`, `import type { A } from '...'`, `import '...'`, `export { a } from '...'`,
// `export * from '...'`: the clause before `from` holds only names, braces, commas, `*`, `as` and `type`.
const STATIC_IMPORT = /^\s*(?:import|export)\s+(?:type\s+)?(?:[\w$*{},\s]+?\s*from\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\b(?:import|require)\(\s*['"]([^'"]+)['"]\s*\)/g;

/** The specifiers a TypeScript source imports, in order of appearance. */
export function importSpecifiers(source: string): string[] {
  const found: { index: number; specifier: string }[] = [];
  for (const pattern of [STATIC_IMPORT, DYNAMIC_IMPORT]) {
    for (const match of source.matchAll(pattern)) {
      const specifier = match[1];
      if (specifier !== undefined) found.push({ index: match.index, specifier });
    }
  }
  return found.sort((a, b) => a.index - b.index).map((item) => item.specifier);
}

/** Every `.ts` file under the source roots, repo-relative with `/`. */
export function sourceFiles(repoRoot: string): string[] {
  const files: string[] = [];
  const walk = (directory: string): void => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.ts')) files.push(toRepoPath(repoRoot, path));
    }
  };
  for (const root of SOURCE_ROOTS) walk(join(repoRoot, root));
  return files;
}

/** The imports of every source file, relative ones resolved the way TypeScript does (file, `.ts`, `index.ts`). */
export function readImports(repoRoot: string): ImportEdge[] {
  return sourceFiles(repoRoot).flatMap((file) =>
    importSpecifiers(readFileSync(join(repoRoot, file), 'utf8')).map((specifier) => ({
      file,
      specifier,
      target: specifier.startsWith('.') ? resolveRelative(repoRoot, file, specifier) : null,
    })),
  );
}

function resolveRelative(repoRoot: string, file: string, specifier: string): string {
  const base = resolve(repoRoot, dirname(file), specifier);
  const candidates = [base, `${base}.ts`, join(base, 'index.ts')];
  const found = candidates.find((path) => existsSync(path) && statSync(path).isFile());
  if (found === undefined) throw new Error(`${file}: cannot resolve import '${specifier}'`);
  return toRepoPath(repoRoot, found);
}

function toRepoPath(repoRoot: string, path: string): string {
  return relative(repoRoot, path).split(sep).join(posix.sep);
}

/**
 * The graph folder of a repo-relative path: `lambda` for `lambda/handler.ts`, `lambda/notify` for
 * `lambda/notify/text/x.ts`; null outside the source roots (package.json...).
 */
export function folderOf(path: string): string | null {
  const parts = path.split('/');
  const root = parts[0];
  if (root === undefined || !SOURCE_ROOTS.some((name) => name === root)) return null;
  return parts.length <= 2 ? root : `${root}/${parts[1]}`;
}

const isUnder = (path: string, folder: string): boolean => path.startsWith(`${folder}/`);

const sameImport = (a: Pick<ImportEdge, 'file' | 'specifier'>, b: Pick<ImportEdge, 'file' | 'specifier'>) =>
  a.file === b.file && a.specifier === b.specifier;

/**
 * Every rule each import breaks. Cycles are looked for in the folder graph without the imports allowed to make
 * one (so a known cycle does not flag the legitimate imports on its other side); an allowed cycle import is
 * still reported when it still closes a cycle, so the caller can tell when the allowance is no longer needed.
 */
export function findViolations(
  imports: readonly ImportEdge[],
  allowed: readonly AllowedViolation[] = [],
): Violation[] {
  const violations: Violation[] = [];
  const report = (edge: ImportEdge, rule: Rule, why: string): void => {
    const target = edge.target === null ? 'a package' : edge.target;
    violations.push({
      ...edge,
      rule,
      message: `${edge.file} imports '${edge.specifier}' (${target}): ${why}`,
    });
  };

  for (const edge of imports) {
    const from = folderOf(edge.file);
    const to = edge.target === null ? null : folderOf(edge.target);
    if (isUnder(edge.file, 'lambda/domain')) {
      if (edge.target === null && !edge.specifier.startsWith('node:'))
        report(edge, 'domain-imports-only-domain', 'the domain imports no package');
      if (edge.target !== null && !isUnder(edge.target, 'lambda/domain'))
        report(edge, 'domain-imports-only-domain', 'the domain imports nothing outside lambda/domain');
    }
    if (
      from !== null &&
      PRESENTER_FOLDERS.includes(from) &&
      to !== null &&
      PRESENTER_FORBIDDEN_FOLDERS.includes(to)
    )
      report(
        edge,
        'presenters-import-no-use-case-or-gateway',
        `a presenter imports the domain (and shared presenter helpers) only, not ${to === 'lambda' ? 'the composition root' : to}`,
      );
    if (
      isUnder(edge.file, 'lib') &&
      edge.target !== null &&
      isUnder(edge.target, 'lambda') &&
      !isUnder(edge.target, CONTRACT_FOLDER) &&
      !(
        isUnder(edge.file, CDK_CHECKS_FOLDER) &&
        PURE_CHECK_FOLDERS.some((folder) => isUnder(edge.target ?? '', folder))
      )
    )
      report(
        edge,
        'lib-imports-only-the-contract',
        `lib/ knows the runtime only through ${CONTRACT_FOLDER}/ (and ${CDK_CHECKS_FOLDER}/ the pure checks of ${PURE_CHECK_FOLDERS.join(', ')})`,
      );
    if (
      isUnder(edge.file, 'lambda') &&
      edge.target === null &&
      CDK_PACKAGES.some((name) => edge.specifier === name || edge.specifier.startsWith(`${name}/`))
    )
      report(edge, 'runtime-imports-no-cdk', 'the runtime never imports the CDK');
  }

  const allowedCycleImports = allowed.filter((item) => item.rule === 'no-cycle-between-folders');
  const graph = folderGraph(
    imports.filter((edge) => !allowedCycleImports.some((item) => sameImport(item, edge))),
  );
  for (const edge of imports) {
    const from = folderOf(edge.file);
    const to = edge.target === null ? null : folderOf(edge.target);
    if (from === null || to === null || from === to) continue;
    const back = pathBetween(graph, to, from);
    if (back !== null)
      report(edge, 'no-cycle-between-folders', `it closes the folder cycle ${[from, ...back].join(' → ')}`);
  }
  return violations;
}

function folderGraph(imports: readonly ImportEdge[]): ReadonlyMap<string, ReadonlySet<string>> {
  const graph = new Map<string, Set<string>>();
  for (const edge of imports) {
    const from = folderOf(edge.file);
    const to = edge.target === null ? null : folderOf(edge.target);
    if (from === null || to === null || from === to) continue;
    const targets = graph.get(from) ?? new Set<string>();
    targets.add(to);
    graph.set(from, targets);
  }
  return graph;
}

/** A shortest folder path from `start` to `goal` (both included), null when there is none. */
function pathBetween(
  graph: ReadonlyMap<string, ReadonlySet<string>>,
  start: string,
  goal: string,
): string[] | null {
  const previous = new Map<string, string | null>([[start, null]]);
  const queue = [start];
  for (let index = 0; index < queue.length; index += 1) {
    const folder = queue[index];
    if (folder === undefined) break;
    if (folder === goal) {
      const path: string[] = [];
      for (let step: string | null | undefined = folder; step != null; step = previous.get(step))
        path.unshift(step);
      return path;
    }
    for (const next of [...(graph.get(folder) ?? [])].sort()) {
      if (previous.has(next)) continue;
      previous.set(next, folder);
      queue.push(next);
    }
  }
  return null;
}
