import { createReadStream, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Docker from 'dockerode';
import { ImageBuildError } from '../errors';
import { lastLines, runCommand } from '../util/run-command';

const MIRROR = process.env.LAB_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';
const SECURITY_MIRROR = process.env.LAB_DEBIAN_SECURITY_MIRROR ?? 'http://deb.debian.org/debian-security';

/** debootstrap a minimal Debian and `docker import` it: the root of every built image. */
export async function buildDebianBase(docker: Docker, tag: string, suite: string, log: (s: string) => void): Promise<void> {
  if (!existsSync('/usr/sbin/debootstrap')) {
    throw new ImageBuildError(tag, 'debootstrap is not installed (apt-get install debootstrap)');
  }
  const work = mkdtempSync(join(tmpdir(), 'kafka-lab-base-'));
  const rootfs = join(work, 'rootfs');
  try {
    log(`debootstrap ${suite} from ${MIRROR}`);
    const boot = await runCommand('debootstrap', ['--variant=minbase', suite, rootfs, MIRROR]);
    if (boot.code !== 0) throw new ImageBuildError(tag, `debootstrap failed: ${lastLines(boot.output)}`);
    writeFileSync(
      join(rootfs, 'etc/apt/sources.list'),
      `deb ${MIRROR} ${suite} main\ndeb ${MIRROR} ${suite}-updates main\ndeb ${SECURITY_MIRROR} ${suite}-security main\n`,
    );
    rmSync(join(rootfs, 'var/cache/apt/archives'), { recursive: true, force: true });
    const tarball = join(work, 'rootfs.tar');
    const tar = await runCommand('tar', ['-C', rootfs, '-cf', tarball, '.']);
    if (tar.code !== 0) throw new ImageBuildError(tag, `tar failed: ${lastLines(tar.output)}`);
    log(`docker import ${tag}`);
    const [repo, version] = tag.split(':');
    const stream = await docker.importImage(createReadStream(tarball), { repo, tag: version } as object);
    await followBuild(docker, stream, tag);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** Waits for a build or import stream and turns its `error` events into one exception. */
export function followBuild(docker: Docker, stream: NodeJS.ReadableStream, tag: string, onLine?: (s: string) => void): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    docker.modem.followProgress(
      stream,
      (err: Error | null, events: { error?: string }[]) => {
        const failed = err?.message ?? events.find((e) => e.error)?.error;
        if (failed) reject(new ImageBuildError(tag, failed.trim()));
        else resolvePromise();
      },
      (ev: { stream?: string }) => {
        if (onLine && ev.stream?.trim()) onLine(ev.stream.trim());
      },
    );
  });
}
