// Packaging (fast half): package.json's entry points, files list, exports map and dependency split, without packing.
// The slow half, `npm run test:package`, packs the tarball and installs it (test/package/check-package.ts).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

interface Manifest {
  readonly name?: string;
  readonly version?: string;
  readonly license?: string;
  readonly private?: boolean;
  readonly main?: string;
  readonly types?: string;
  readonly exports?: Record<string, unknown>;
  readonly bin?: Record<string, string>;
  readonly files?: string[];
  readonly scripts?: Record<string, string>;
  readonly dependencies?: Record<string, string>;
  readonly devDependencies?: Record<string, string>;
  readonly peerDependencies?: Record<string, string>;
  readonly peerDependenciesMeta?: Record<string, { optional?: boolean }>;
}

const manifest: Manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const buildConfig: {
  compilerOptions?: { outDir?: string; rootDir?: string; declaration?: boolean };
  exclude?: string[];
} = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8'));

/**
 * The one package lib/ may load besides the peers: the organization deployment's StackSets (lib/org, used by the
 * repository's CDK app only), a devDependency kept out of the package build.
 */
const APP_ONLY_PACKAGES: readonly string[] = ['cdk-stacksets'];

/** `dist/lib/x.js` or `./dist/lib/x.d.ts` → the source it is compiled from, `lib/x.ts`. */
function sourceOf(built: string): string {
  return built
    .replace(/^\.\//, '')
    .replace(/^dist\//, '')
    .replace(/(\.d)?\.ts$|\.js$/, '.ts');
}

/** Every `.ts` file under a folder of the repository. */
function sources(folder: string): string[] {
  const directory = path.join(ROOT, folder);
  return readdirSync(directory).flatMap((name) => {
    const relative = path.join(folder, name);
    if (statSync(path.join(ROOT, relative)).isDirectory()) return sources(relative);
    return name.endsWith('.ts') ? [relative] : [];
  });
}

/** Packages a source file loads at run time (`import type` and `node:` built-ins left out). */
function runtimeImports(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), 'utf8');
  const specifiers = [...text.matchAll(/^(?:import|export)\s+(?!type\s)[^;]*?from\s+'([^'.][^']*)'/gms)].map(
    (match) => match[1] ?? '',
  );
  return specifiers
    .filter((specifier) => !specifier.startsWith('node:'))
    .map((specifier) =>
      specifier
        .split('/')
        .slice(0, specifier.startsWith('@') ? 2 : 1)
        .join('/'),
    );
}

describe('package.json', () => {
  it('is publishable: Apache-2.0 with the LICENSE file, not private, a version', () => {
    expect(manifest.license).toBe('Apache-2.0');
    expect(readFileSync(path.join(ROOT, 'LICENSE'), 'utf8')).toContain(
      'Apache License\n                           Version 2.0',
    );
    expect(manifest.private).toBeUndefined();
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('points main, types and the exports map at the compiled construct, lib/eks-ecr-guard.ts', () => {
    const entry = { types: './dist/lib/eks-ecr-guard.d.ts', default: './dist/lib/eks-ecr-guard.js' };
    expect(manifest.exports).toEqual({ '.': entry, './package.json': './package.json' });
    expect(`./${manifest.main}`).toBe(entry.default);
    expect(`./${manifest.types}`).toBe(entry.types);
    expect(sourceOf(entry.default)).toBe('lib/eks-ecr-guard.ts');
    expect(sourceOf(entry.types)).toBe('lib/eks-ecr-guard.ts');
    const source = readFileSync(path.join(ROOT, 'lib', 'eks-ecr-guard.ts'), 'utf8');
    expect(source).toMatch(/^export class EksEcrGuard\b/m);
    expect(source).toMatch(/^export interface EksEcrGuardProps\b/m);
  });

  it('compiles lib/ and lambda/ to dist/ with declarations, and dist/ is not committed', () => {
    expect(buildConfig.compilerOptions).toMatchObject({ outDir: 'dist', rootDir: '.', declaration: true });
    expect(readFileSync(path.join(ROOT, '.gitignore'), 'utf8').split('\n')).toContain('dist/');
  });

  it('ships the CLI entry and dist/ only, and builds them when packing (not on npm ci)', () => {
    expect(manifest.bin).toEqual({ 'eks-ecr-guard': 'bin/eks-ecr-guard.js' });
    expect(manifest.files).toEqual(['bin/eks-ecr-guard.js', 'dist/']);
    expect(existsSync(path.join(ROOT, 'bin', 'eks-ecr-guard.js'))).toBe(true);
    expect(manifest.scripts?.prepack).toBe('npm run build');
    expect(manifest.scripts?.prepare).toBeUndefined();
    expect(manifest.scripts?.['test:package']).toBeDefined();
  });

  it('has aws-cdk-lib and constructs as optional peers (installed here as devDependencies), tsx dev-only', () => {
    for (const peer of ['aws-cdk-lib', 'constructs']) {
      expect(manifest.peerDependencies?.[peer]).toMatch(/^\^/);
      expect(manifest.peerDependenciesMeta?.[peer]?.optional).toBe(true);
      expect(manifest.devDependencies?.[peer]).toBeDefined();
      expect(manifest.dependencies?.[peer]).toBeUndefined();
    }
    expect(manifest.dependencies?.tsx).toBeUndefined();
    expect(manifest.devDependencies?.tsx).toBeDefined();
  });

  it('lists every package the runtime (lambda/) loads as a dependency, and lib/ needs only the peers', () => {
    const runtimeFiles = sources('lambda');
    expect(runtimeFiles.length).toBeGreaterThan(10);
    const lambdaPackages = new Set(runtimeFiles.flatMap(runtimeImports));
    expect(lambdaPackages.has('@aws-sdk/client-iam')).toBe(true);
    for (const name of lambdaPackages)
      expect([name, manifest.dependencies?.[name]]).toEqual([name, expect.any(String)]);
    const built = sources('lib').filter((file) => !buildConfig.exclude?.includes(file));
    const libPackages = new Set(built.flatMap(runtimeImports));
    expect([...libPackages].sort()).toEqual(['aws-cdk-lib', 'constructs']);
  });

  it('keeps the app-only packages of lib/org out of the package: dev-only, exact pins, files left out of the build', () => {
    const appOnlyFiles = sources('lib').filter((file) =>
      runtimeImports(file).some((name) => APP_ONLY_PACKAGES.includes(name)),
    );
    expect(appOnlyFiles.length).toBeGreaterThan(0);
    for (const file of appOnlyFiles) {
      expect(file.startsWith(path.join('lib', 'org'))).toBe(true);
      expect(buildConfig.exclude).toContain(file);
    }
    // What the build leaves out must not be needed by what it keeps.
    const excluded = new Set(buildConfig.exclude);
    for (const file of sources('lib').filter((source) => !excluded.has(source))) {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      for (const [, specifier = ''] of text.matchAll(/from\s+'(\.[^']*)'/g)) {
        const target = path.join(path.dirname(file), `${specifier}.ts`);
        expect([file, excluded.has(target)]).toEqual([file, false]);
      }
    }
    for (const name of APP_ONLY_PACKAGES) {
      expect(manifest.dependencies?.[name]).toBeUndefined();
      expect(manifest.devDependencies?.[name]).toMatch(/^\d+\.\d+\.\d+$/);
    }
  });

  it('keeps development tools out of dependencies', () => {
    const dependencies = Object.keys(manifest.dependencies ?? {});
    for (const tool of ['typescript', 'esbuild', 'jest', 'aws-cdk', 'cdk-nag', '@biomejs/biome']) {
      expect(dependencies).not.toContain(tool);
    }
    for (const name of dependencies) expect(manifest.devDependencies?.[name]).toBeUndefined();
  });
});
