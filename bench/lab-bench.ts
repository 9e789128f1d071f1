/**
 * Lab benchmark: cold and warm image builds, cold and warm `up` of each topology, peak memory.
 * Not a test: it prints a table. Run with `npm run bench -- [--skip-cold-build] [--topologies lite,chapter]`.
 */
import { parseArgs } from 'node:util';
import { BUILT_IMAGES } from '../infra/images';
import { renderTable } from '../src/cli/table';
import { connectDocker } from '../src/docker/docker-client';
import { isTopologyProblem, resolveTopology } from '../src/domain/resolve-topology';
import { buildImages } from '../src/images/build-images';
import { provisionLab } from '../src/lab/provision';
import { teardownLab } from '../src/lab/teardown';
import { sampleLabMemory } from './memory-sampler';

const { values } = parseArgs({ options: { 'skip-cold-build': { type: 'boolean' }, topologies: { type: 'string' } } });
const log = (s: string) => process.stderr.write(`  ${s}\n`);
const seconds = async (fn: () => Promise<unknown>) => {
  const t = Date.now();
  await fn();
  return ((Date.now() - t) / 1000).toFixed(1);
};

async function main() {
  const docker = await connectDocker();
  const rows: (string | number)[][] = [];
  if (!values['skip-cold-build']) {
    process.stderr.write('cold image build: removing lab images and the build cache (the Maven cache stays)\n');
    for (const tag of Object.values(BUILT_IMAGES).reverse())
      await docker
        .getImage(tag)
        .remove({ force: true })
        .catch(() => undefined);
    await docker.pruneBuilder().catch(() => undefined);
    rows.push(['images: build (cold)', await seconds(() => buildImages(docker, { log })), '']);
  }
  rows.push(['images: build (warm, all present)', await seconds(() => buildImages(docker, { log })), '']);

  for (const name of (values.topologies ?? 'lite,chapter').split(',')) {
    const t = resolveTopology({ topology: name, labId: `bench-${name}`, portOffset: 3000 });
    if (isTopologyProblem(t)) throw new Error(t.problem);
    await teardownLab(docker, t.labId);
    const sampler = sampleLabMemory(docker, t.labId);
    rows.push([`up ${name} (cold: no containers)`, await seconds(() => provisionLab(docker, t, { log })), '']);
    rows.push([`up ${name} (warm: already up)`, await seconds(() => provisionLab(docker, t, { log })), '']);
    await new Promise((r) => setTimeout(r, 20_000)); // let the JVMs settle before reading the peak
    const peak = await sampler.stop();
    rows.push([`down ${name}`, await seconds(() => teardownLab(docker, t.labId)), `peak ${peak} MiB`]);
  }
  process.stdout.write(`${renderTable(['what', 'seconds', 'memory'], rows)}\n`);
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
