import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ImageBuildError } from '../errors';
import { runCommand } from '../util/run-command';

/**
 * Builds a Go program from the Go module proxy (`go install module/cmd@version`, static, no cgo)
 * and copies it into a build context as `name`. Go's module and build caches make a rebuild quick.
 */
export async function buildGoBinary(image: string, pkgAtVersion: string, dir: string, name: string): Promise<void> {
  const bin = mkdtempSync(join(tmpdir(), 'kafka-lab-go-'));
  try {
    let r;
    try {
      r = await runCommand('go', ['install', pkgAtVersion], { env: { ...process.env, GOBIN: bin, CGO_ENABLED: '0' } });
    } catch (e) {
      throw new ImageBuildError(image, `cannot run go (${(e as Error).message}); install Go (apt-get install golang-go)`);
    }
    if (r.code !== 0)
      throw new ImageBuildError(image, `go install ${pkgAtVersion} failed: ${r.output.trim().split('\n').slice(-3).join(' ')}`);
    const built = pkgAtVersion.split('@')[0].split('/').pop()!;
    copyFileSync(join(bin, built), join(dir, name));
  } finally {
    rmSync(bin, { recursive: true, force: true });
  }
}
