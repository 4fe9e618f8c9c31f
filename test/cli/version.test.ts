// CLI: `eks-ecr-guard --version` prints the version of package.json (the tarball's too: see test/package/).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { main } from '../../lambda/cli/main';

const manifest: { version?: string } = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8'),
);

describe('eks-ecr-guard --version', () => {
  it('prints the package version alone and exits 0', async () => {
    let stdout = '';
    let stderr = '';
    const io = {
      stdout: { write: (t: string) => (stdout += t) },
      stderr: { write: (t: string) => (stderr += t) },
    };
    expect(await main(['--version'], io)).toBe(0);
    expect(manifest.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(stdout).toBe(`${manifest.version}\n`);
    expect(stderr).toBe('');
  });
});
