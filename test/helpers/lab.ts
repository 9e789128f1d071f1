import type Docker from 'dockerode';
import { connectDocker } from '../../src/docker/docker-client';
import { labFilter } from '../../src/docker/labels';
import { isTopologyProblem, resolveTopology, type TopologyInput } from '../../src/domain/resolve-topology';
import type { LabTopology } from '../../src/domain/topology';

/** A topology for a test: its own lab id and ports, so it never touches a user's lab. */
export function testTopology(input: TopologyInput & { labId: string }): LabTopology {
  const t = resolveTopology(input);
  if (isTopologyProblem(t)) throw new Error(t.problem);
  return t;
}

export const testLog = (line: string) => {
  if (process.env.LAB_TEST_VERBOSE) process.stderr.write(`  ${line}\n`);
};

/** What Docker still holds for a lab: the proof that teardown left nothing behind. */
export async function leftovers(docker: Docker, labId: string) {
  const filters = labFilter(labId);
  const containers = await docker.listContainers({ all: true, filters });
  const networks = await docker.listNetworks({ filters });
  const { Volumes } = await docker.listVolumes({ filters });
  return { containers: containers.length, networks: networks.length, volumes: (Volumes ?? []).length };
}

export { connectDocker };
