import type Docker from 'dockerode';
import { connectDocker } from '../../src/docker/docker-client';
import { labLeftovers } from '../../src/lab/teardown';
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
  const left = await labLeftovers(docker, labId);
  return { containers: left.containers.length, networks: left.networks.length, volumes: left.volumes.length };
}

export { connectDocker };
