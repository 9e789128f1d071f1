import type Docker from 'dockerode';
import { labFilter } from '../docker/labels';
import type { TeardownResult } from '../contracts/lab';

/** Removes every container, network and volume labelled with the lab id. Safe to run twice. */
export async function teardownLab(docker: Docker, labId: string, log: (s: string) => void = () => undefined): Promise<TeardownResult> {
  const filters = labFilter(labId);
  const result: TeardownResult = { containers: [], networks: [], volumes: [] };
  const containers = await docker.listContainers({ all: true, filters });
  await Promise.all(
    containers.map(async (c) => {
      const name = c.Names[0]?.replace(/^\//, '') ?? c.Id;
      log(`removing container ${name}`);
      await docker.getContainer(c.Id).remove({ force: true, v: true }).catch(ignoreGone);
      result.containers.push(name);
    }),
  );
  for (const n of await docker.listNetworks({ filters })) {
    log(`removing network ${n.Name}`);
    await docker.getNetwork(n.Id).remove().catch(ignoreGone);
    result.networks.push(n.Name);
  }
  const { Volumes } = await docker.listVolumes({ filters });
  for (const v of Volumes ?? []) {
    await docker.getVolume(v.Name).remove().catch(ignoreGone);
    result.volumes.push(v.Name);
  }
  return result;
}

/** What Docker still holds of a lab: after a teardown, the proof that nothing was left behind. */
export async function labLeftovers(docker: Docker, labId: string): Promise<TeardownResult> {
  const filters = labFilter(labId);
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return {
    containers: containers.map((c) => c.Names[0]?.replace(/^\//, '') ?? c.Id),
    networks: networks.map((n) => n.Name),
    volumes: (Volumes ?? []).map((v) => v.Name),
  };
}

function ignoreGone(e: { statusCode?: number }) {
  // 404: already gone; 409: removal already in progress (a concurrent teardown)
  if (e.statusCode !== 404 && e.statusCode !== 409) throw e;
}
