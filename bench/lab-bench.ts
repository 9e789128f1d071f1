/**
 * Lab benchmark: cold and warm image builds, cold and warm `up` of each topology, then a whole drill
 * on a fresh lab of each (as `lab drill` runs it: provision, the chapter's steps, teardown), with the
 * lab's peak memory (the sum over its containers). Not a test: it prints a table.
 * Run with `npm run bench -- [--skip-cold-build] [--topologies lite,chapter] [--no-drill]`.
 */
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import type Docker from 'dockerode';
import { BUILT_IMAGES } from '../infra/images';
import { renderTable } from '../src/cli/table';
import { connectDocker } from '../src/docker/docker-client';
import { isTopologyProblem, resolveTopology } from '../src/domain/resolve-topology';
import { buildImages } from '../src/images/build-images';
import { provisionLab } from '../src/lab/provision';
import { teardownLab } from '../src/lab/teardown';
import { sampleLabMemory } from './memory-sampler';

const { values } = parseArgs({
  options: { 'skip-cold-build': { type: 'boolean' }, topologies: { type: 'string' }, 'no-drill': { type: 'boolean' } },
});
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
    if (!values['no-drill']) rows.push(...(await drill(docker, name, t.labId)));
  }
  process.stdout.write(`${renderTable(['what', 'seconds', 'memory'], rows)}\n`);
}

/** One `lab drill` on a fresh lab of the topology, run as a user runs it (the CLI, JSON report). */
async function drill(docker: Docker, topology: string, labId: string): Promise<(string | number)[][]> {
  const sampler = sampleLabMemory(docker, labId);
  const started = Date.now();
  const args = [resolve(__dirname, '../bin/lab.js'), 'drill', '--topology', topology, '--lab-id', labId, '--port-offset', '3000', '--json'];
  // a failed drill exits non-zero and still prints its report
  const out = await promisify(execFile)(process.execPath, args, { maxBuffer: 64 << 20 }).catch(
    (e: { stdout?: string; stderr?: string }) => (process.stderr.write(e.stderr?.slice(-2000) ?? ''), { stdout: e.stdout ?? '' }),
  );
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  const peak = await sampler.stop();
  let report: { verdict?: string; steps?: { name: string; durationMs: number }[] };
  try {
    report = JSON.parse(out.stdout);
  } catch {
    report = { verdict: 'no report' };
  }
  const provision = report.steps?.find((s) => s.name === 'provision');
  // the other steps too, longest first: where a drill's time goes once the lab is up
  const others = (report.steps ?? []).filter((s) => s.name !== 'provision').sort((a, b) => b.durationMs - a.durationMs);
  return [
    [`drill ${topology} (${report.verdict ?? 'no verdict'}, whole)`, seconds, `peak ${peak} MiB`],
    [`  of which its provision step`, provision ? (provision.durationMs / 1000).toFixed(1) : 'unknown', ''],
    ...others.map((s) => [`    ${s.name}`, (s.durationMs / 1000).toFixed(1), '']),
  ];
}

main().catch((e) => {
  process.stderr.write(`bench failed: ${e instanceof Error ? e.message : e}\n`);
  process.exit(1);
});
