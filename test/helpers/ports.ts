import { MATRIX_PORT_STEP } from '../../src/domain/kafka-matrix';
import { maxOffsetBelow } from '../../src/domain/ports';
import { isTopologyProblem, resolveTopology } from '../../src/domain/resolve-topology';
import { planLab } from '../../src/lab/plan';

/**
 * Every integration lab's port offset, in one table so no two files share one. All stay low
 * enough that every host port sits below the kernel's ephemeral range (32768 and up): there an
 * outgoing connection of any process can hold the very port a lab is about to publish, and the
 * provision fails with PortInUse on a healthy machine (it did, in CI, at offset 9000).
 */
export const PORT_OFFSETS = {
  lite: 1000,
  portInUse: 1100,
  unhealthy: 1200,
  imageMissing: 1800,
  crash: 1400,
  drill: 1500,
  operate: 1600,
  faults: 1700,
  placement: 3000, // and 3100: the upstream placement's lab, MATRIX_PORT_STEP apart
  failover: 2500,
  scram: 2000,
  kafkaVersions: 2100, // and 2200: one lab per version, MATRIX_PORT_STEP apart
  temporal: 2300,
  brokerKill: 2400,
  library: 2600,
  disaster: 2700,
  failback: 2800, // and 2900: the IdentityReplicationPolicy lab, MATRIX_PORT_STEP apart
} as const;

/**
 * Labs one file can have up at once (a test that fails leaves its lab to the file's afterAll).
 * Their host ports must not meet: a lab's ports spread over hundreds (Elasticsearch's base is 200
 * under the apps'), so offsets 200 apart collided (faults' consumer-1 and placement's Elasticsearch).
 */
const SIDE_BY_SIDE: number[][] = [
  [PORT_OFFSETS.faults, PORT_OFFSETS.placement, PORT_OFFSETS.placement + MATRIX_PORT_STEP, PORT_OFFSETS.brokerKill],
  [PORT_OFFSETS.portInUse, PORT_OFFSETS.unhealthy, PORT_OFFSETS.imageMissing],
  [PORT_OFFSETS.kafkaVersions, PORT_OFFSETS.kafkaVersions + MATRIX_PORT_STEP],
  [PORT_OFFSETS.failback, PORT_OFFSETS.failback + MATRIX_PORT_STEP],
];

/** The host ports of the largest lab the tests run (chapter with the link proxy) at `portOffset`. */
function hostPorts(portOffset: number): number[] {
  const t = resolveTopology({ topology: 'chapter', linkShaper: 'proxy', portOffset });
  if (isTopologyProblem(t)) throw new Error(`test/helpers/ports.ts: ${t.problem}`);
  return planLab(t).nodes.flatMap((n) => n.ports.map((p) => p.host));
}

const offsets: number[] = Object.values(PORT_OFFSETS);
if (new Set(offsets).size !== offsets.length || Math.max(...offsets) + MATRIX_PORT_STEP > maxOffsetBelow(32768)) {
  throw new Error('test/helpers/ports.ts: port offsets must be distinct and keep host ports below 32768');
}
for (const group of SIDE_BY_SIDE) {
  const owner = new Map<number, number>();
  for (const offset of group)
    for (const port of hostPorts(offset)) {
      const other = owner.get(port);
      if (other !== undefined && other !== offset)
        throw new Error(`test/helpers/ports.ts: host port ${port} of the lab at offset ${offset} is also the lab's at ${other}`);
      owner.set(port, offset);
    }
}
