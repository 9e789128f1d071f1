import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ImageBuildError } from '../errors';
import { runCommand } from '../util/run-command';

/** Maven's local repository: LAB_M2_REPO, else the default ~/.m2/repository. */
export const localRepository = () => process.env.LAB_M2_REPO ?? join(homedir(), '.m2', 'repository');

/**
 * Artifacts come through the user's Maven (so an internal mirror in settings.xml is honoured),
 * and the local repository caches them between builds.
 */
async function mvn(image: string, args: string[], cwd?: string): Promise<void> {
  const repo = process.env.LAB_M2_REPO ? [`-Dmaven.repo.local=${process.env.LAB_M2_REPO}`] : [];
  let result;
  try {
    result = await runCommand('mvn', ['-q', '-B', ...repo, ...args], { cwd });
  } catch (e) {
    throw new ImageBuildError(image, `cannot run mvn (${(e as Error).message}); install Maven (apt-get install maven)`);
  }
  if (result.code !== 0) {
    const firstError =
      result.output
        .split('\n')
        .find((l) => l.includes('[ERROR]'))
        ?.replace(/.*\[ERROR\]\s*/, '') ?? result.output.slice(-300);
    throw new ImageBuildError(image, `mvn ${args[0]} failed: ${firstError}`);
  }
}

/** Copies the runtime class path of a POM (with -D properties) into `outDir`, replacing what was there. */
export async function copyDependencies(image: string, pomDir: string, outDir: string, props: Record<string, string>) {
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  const defines = Object.entries(props).map(([k, v]) => `-D${k}=${v}`);
  await mvn(image, ['dependency:copy-dependencies', '-DincludeScope=runtime', `-DoutputDirectory=${outDir}`, ...defines], pomDir);
}

/**
 * Fetches one distribution archive (group:artifact:version:packaging[:classifier]) and copies it to
 * `outDir/outName`. Resolved without its POM's dependencies: some parents (Apicurio's) are not on
 * Central, and a distribution archive needs none.
 */
export async function copyArtifact(image: string, coordinates: string, outDir: string, outName: string) {
  await mvn(image, ['dependency:get', `-Dartifact=${coordinates}`, '-Dtransitive=false']);
  const [group, artifact, version, packaging, classifier] = coordinates.split(':');
  const file = `${artifact}-${version}${classifier ? `-${classifier}` : ''}.${packaging}`;
  mkdirSync(outDir, { recursive: true });
  copyFileSync(join(localRepository(), ...group.split('.'), artifact, version, file), join(outDir, outName));
}
