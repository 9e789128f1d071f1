import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join, resolve } from 'node:path';
import type Docker from 'dockerode';
import { BUILT_IMAGES, WORKER_IMAGE } from '../../infra/images';
import { ImageBuildError } from '../errors';
import { lastLines, runCommand } from '../util/run-command';
import { contextFiles } from './build-context';
import { followBuild } from './debian-base';

const ROOT = resolve(__dirname, '../..');
/** What the worker runs: the TypeScript sources (tsx runs them, as `npm run worker` does). */
const APP_FILES = [
  'package.json',
  'package-lock.json',
  'tsconfig.json',
  'bin',
  'src',
  'activities',
  'workflows',
  'workers',
  'infra/images.ts',
  'infra/config',
  'infra/monitoring',
];

/**
 * The worker image, FROM the locally built kafka-lab/node: this checkout's code, its production npm
 * packages (`npm ci --omit=dev` through your npm registry) and the Node binary this CLI runs on
 * (bin/lab.js has checked it against engines.node). Always built anew: it carries the code, which
 * changes more often than the lab's images.
 */
export async function buildWorkerImage(docker: Docker, log: (s: string) => void): Promise<{ tag: string; seconds: number }> {
  const start = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'lab-worker-image-'));
  try {
    const app = join(dir, 'app');
    for (const f of APP_FILES) cpSync(join(ROOT, f), join(app, f), { recursive: true });
    copyFileSync(join(ROOT, 'infra/built/worker/Dockerfile'), join(dir, 'Dockerfile'));
    copyFileSync(process.execPath, join(dir, 'node'));
    log('npm ci --omit=dev for the worker image');
    // npm on this same Node: one from an older Node on PATH would warn of unmet engines.
    const env = { ...process.env, PATH: `${dirname(process.execPath)}${delimiter}${process.env.PATH ?? ''}` };
    const npm = await runCommand('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: app, env });
    if (npm.code !== 0) throw new ImageBuildError(WORKER_IMAGE, `npm ci failed: ${lastLines(npm.output)}`);
    log(`building ${WORKER_IMAGE}`);
    const stream = await docker.buildImage(
      { context: dir, src: contextFiles(dir) },
      {
        t: WORKER_IMAGE,
        buildargs: { NODE_IMAGE: BUILT_IMAGES.node },
        labels: { 'io.kafka-lab.managed': 'true' },
        rm: true,
        forcerm: true,
      },
    );
    await followBuild(docker, stream, WORKER_IMAGE, (line) => log(`  ${line}`));
    return { tag: WORKER_IMAGE, seconds: (Date.now() - start) / 1000 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
