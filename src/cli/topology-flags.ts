import { z } from 'zod';
import { cli, kafkaVersionField } from '../domain/drill';
import { isTopologyProblem, resolveTopology } from '../domain/resolve-topology';
import type { LabTopology } from '../domain/topology';
import { InvalidTopologyError } from '../errors';
import { flagHelp, flagSpecs, parseArgsOptions, parseFlags } from './flags';

/**
 * The options of every command that names a lab, declared once. Values are checked by
 * resolveTopology (its words name the fix); here they only get their types, flags and help.
 */
export const TopologyOptions = z.strictObject({
  topology: z
    .string()
    .optional()
    .describe('lite or chapter (default lite)')
    .meta(cli({ flag: 'topology' })),
  labId: z
    .string()
    .optional()
    .describe('the lab (default: default)')
    .meta(cli({ flag: 'lab-id', env: 'LAB_ID' })),
  portOffset: z
    .number()
    .int()
    .optional()
    .describe('added to every published port (default 0)')
    .meta(cli({ flag: 'port-offset', env: 'LAB_PORT_OFFSET' })),
  bindAddress: z
    .string()
    .optional()
    .describe('the host address ports are published on (default 127.0.0.1)')
    .meta(cli({ flag: 'bind' })),
  images: z
    .string()
    .optional()
    .describe('built or official (default built)')
    .meta(cli({ flag: 'images', env: 'LAB_IMAGES' })),
  kafkaVersion: kafkaVersionField(z.string().optional()),
  connectPlacement: z
    .string()
    .optional()
    .describe('downstream or upstream (default downstream)')
    .meta(cli({ flag: 'connect-placement' })),
  connectWorkers: z
    .number()
    .int()
    .optional()
    .describe("Kafka Connect workers (default: the topology's)")
    .meta(cli({ flag: 'connect-workers' })),
  brokers: z
    .number()
    .int()
    .optional()
    .describe("brokers in each cluster (default: the topology's)")
    .meta(cli({ flag: 'brokers' })),
  replicationFactor: z
    .number()
    .int()
    .optional()
    .describe("replication factor of the lab's internal topics")
    .meta(cli({ flag: 'replication-factor' })),
  components: z
    .string()
    .optional()
    .describe('comma-separated: schema-registry, elasticsearch, prometheus, apps (default all)')
    .meta(cli({ flag: 'components' })),
  kafkaSecurity: z
    .string()
    .optional()
    .describe('plaintext or scram (SASL/SCRAM on the published listeners)')
    .meta(cli({ flag: 'kafka-security' })),
});

const TOPOLOGY_FLAGS = flagSpecs(TopologyOptions);
export const TOPOLOGY_OPTIONS = parseArgsOptions(TOPOLOGY_FLAGS);
export const TOPOLOGY_FLAGS_HELP = flagHelp(TOPOLOGY_FLAGS);

/** Turns CLI flags into a validated topology, or throws one clear InvalidTopologyError. */
export function topologyFromFlags(v: Record<string, unknown>): LabTopology {
  const o = parseFlags(TopologyOptions, v);
  const r = resolveTopology({
    ...o,
    brokers: o.brokers === undefined ? undefined : { upstream: o.brokers, downstream: o.brokers },
    components: o.components
      ?.split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  });
  if (isTopologyProblem(r)) throw new InvalidTopologyError(r.problem, r.fix);
  return r;
}
