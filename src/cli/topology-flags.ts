import { InvalidTopologyError } from '../errors';
import { isTopologyProblem, resolveTopology, type TopologyInput } from '../domain/resolve-topology';
import type { LabTopology } from '../domain/topology';

/** Flags shared by every command that names a lab. */
export const TOPOLOGY_OPTIONS = {
  topology: { type: 'string' },
  'lab-id': { type: 'string' },
  'port-offset': { type: 'string' },
  bind: { type: 'string' },
  images: { type: 'string' },
  'connect-placement': { type: 'string' },
  'connect-workers': { type: 'string' },
  brokers: { type: 'string' },
  'replication-factor': { type: 'string' },
  components: { type: 'string' },
  'kafka-security': { type: 'string' },
} as const;

const int = (flag: string, v: string | undefined): number | undefined => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new InvalidTopologyError(`--${flag} "${v}" is not a whole number`, `give --${flag} a number`);
  return n;
};

/** Turns CLI flags into a validated topology, or throws one clear InvalidTopologyError. */
export function topologyFromFlags(v: Record<string, string | boolean | undefined>): LabTopology {
  const s = (k: string) => v[k] as string | undefined;
  const brokers = int('brokers', s('brokers'));
  const input: TopologyInput = {
    topology: s('topology'),
    labId: s('lab-id') ?? process.env.LAB_ID,
    portOffset: int('port-offset', s('port-offset') ?? process.env.LAB_PORT_OFFSET),
    bindAddress: s('bind'),
    images: s('images') ?? process.env.LAB_IMAGES,
    connectPlacement: s('connect-placement'),
    connectWorkers: int('connect-workers', s('connect-workers')),
    brokers: brokers === undefined ? undefined : { upstream: brokers, downstream: brokers },
    replicationFactor: int('replication-factor', s('replication-factor')),
    components: s('components')
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean),
    kafkaSecurity: s('kafka-security'),
  };
  const r = resolveTopology(input);
  if (isTopologyProblem(r)) throw new InvalidTopologyError(r.problem, r.fix);
  return r;
}
