// Tests for the CLI's start-up (lambda/cli/main.ts): each command's module loads only when that command runs or
// shows its usage, so `--version` and `--help` load no command, and `audit --snapshot` loads no AWS SDK client,
// Powertools, YAML reader or organization code. Each case runs the CLI in a fresh Node process (through tsx, as a
// checkout does) and lists the modules it loaded.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const SAMPLE = join(ROOT, 'demo', 'sample-account.json');

/** The files a fresh process loaded to run `main(argv)`, relative to the repository (tsx's own left out). */
function modulesLoadedBy(argv: readonly string[]): string[] {
  const script = `
    require('tsx/cjs/api').register();
    const { main } = require(${JSON.stringify(join(ROOT, 'lambda', 'cli', 'main.ts'))});
    const quiet = { write: () => true };
    main(${JSON.stringify(argv)}, { stdout: quiet, stderr: quiet, env: {} }).then((code) => {
      process.stdout.write(JSON.stringify({ code, modules: Object.keys(require.cache) }));
    });`;
  const output = execFileSync(process.execPath, ['-e', script], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  const { code, modules }: { code: number; modules: string[] } = JSON.parse(output);
  expect(code).toBe(0);
  return modules
    .map((file) => file.slice(ROOT.length + 1))
    .filter((file) => !/^node_modules\/(tsx|esbuild|get-tsconfig|resolve-pkg-maps)\//.test(file));
}

const HEAVY = [
  /^node_modules\/@aws-sdk\//,
  /^node_modules\/@smithy\//,
  /^node_modules\/@aws-lambda-powertools\//,
  /^node_modules\/yaml\//,
  /^lambda\/gateways\/aws-clients/,
  /^lambda\/cli\/org\.ts$/,
  /^lambda\/iac\//,
];
const COMMAND_MODULES = /^lambda\/cli\/([\w-]+-command|demo)\.ts$/;

describe('CLI start-up', () => {
  it.each([['--version'], ['--help']])('%s loads no command module, no zod and no SDK', (flag) => {
    const loaded = modulesLoadedBy([flag]);
    expect(loaded).toContain('lambda/cli/main.ts');
    expect(loaded.filter((file) => COMMAND_MODULES.test(file))).toEqual([]);
    expect(loaded.filter((file) => file.startsWith('node_modules/'))).toEqual([]);
  });

  it('audit --snapshot loads the audit command and no SDK client, Powertools, YAML, IaC or org code', () => {
    const loaded = modulesLoadedBy(['audit', '--snapshot', SAMPLE, '--format', 'json']);
    expect(loaded.filter((file) => COMMAND_MODULES.test(file))).toEqual(['lambda/cli/audit-command.ts']);
    expect(loaded.filter((file) => HEAVY.some((pattern) => pattern.test(file)))).toEqual([]);
    // The snapshot format is validated with zod: the one dependency this path needs.
    expect(loaded.some((file) => file.startsWith('node_modules/zod/'))).toBe(true);
  });

  it('help <command> loads that command alone', () => {
    const loaded = modulesLoadedBy(['help', 'check-deploy']);
    expect(loaded.filter((file) => COMMAND_MODULES.test(file))).toEqual([
      'lambda/cli/check-deploy-command.ts',
    ]);
  });
});
