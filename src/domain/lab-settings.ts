import { z } from 'zod';
import { cli } from './field-meta';
import { CHAPTER_TOPIC, REPLICATION_POLICIES } from './names';
import { DEFAULT_KAFKA_VERSION, SUPPORTED_KAFKA_VERSIONS } from './versions';

/**
 * The settings a user gives a lab, declared once: their types, defaults and checks, the flags and
 * help of `lab up`, `lab down` and `lab status`, the lab fields of the drill input (which picks
 * them) and their part of docs/drill-input.schema.json all come from here. The lab itself
 * (LabTopology) is these settings resolved over a preset by resolveTopology. Workflow-safe.
 */
export const TOPOLOGY_NAMES = ['lite', 'chapter'] as const;
export const IMAGE_SOURCES = ['built', 'official'] as const;
/** `apps` are the chapter's consumer-1 (upstream) and consumer-2 (downstream, into Elasticsearch). */
export const OPTIONAL_COMPONENTS = ['schema-registry', 'elasticsearch', 'prometheus', 'apps'] as const;
export const DEFAULT_LAB_ID = 'default';
export const LINK_SHAPERS = ['auto', 'proxy', 'netem'] as const;
const DURATION_MS = /^\d+(\.\d+)?ms$/;
const BANDWIDTH = /^\d+(\.\d+)?(kbit|mbit|gbit)$/;

/** Milliseconds of "50ms". */
export const msOf = (text: string) => Number(text.replace(/ms$/, ''));
/** Mbit/s of "100mbit", "1gbit" or "512kbit". */
export function mbitOf(text: string): number {
  const [, n, unit] = /^([\d.]+)(kbit|mbit|gbit)$/.exec(text)!;
  return Number(n) * (unit === 'gbit' ? 1000 : unit === 'kbit' ? 0.001 : 1);
}
export const MAX_BROKERS = 9;
const MAX_WORKERS = 9;

const brokerCount = (label: string) =>
  z
    .number()
    .int()
    .min(1)
    .max(MAX_BROKERS)
    .meta(cli({ label, fix: `give 1 to ${MAX_BROKERS} brokers` }));

export const LabSettingsSchema = z.strictObject({
  topology: z
    .enum(TOPOLOGY_NAMES)
    .default('lite')
    .describe('lite: 1 broker per data center and 1 Connect worker; chapter: 3 and 3')
    .meta(cli({ flag: 'topology' })),
  labId: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,30}$/, { error: 'is not a short lowercase name' })
    .optional()
    .describe(`the lab: its containers, networks and volumes carry this id (default: ${DEFAULT_LAB_ID})`)
    .meta(cli({ flag: 'lab-id', env: 'LAB_ID', label: 'lab id', fix: 'use letters, digits and dashes, 31 at most' })),
  portOffset: z
    .number()
    .int()
    .min(0)
    .max(20_000)
    .default(0)
    .describe('added to every published port, to run labs side by side')
    .meta(cli({ flag: 'port-offset', env: 'LAB_PORT_OFFSET', label: 'port offset', fix: 'use 0 to 20000' })),
  bindAddress: z
    .string()
    .regex(/^[0-9.]+$|^localhost$/, { error: 'is not an IPv4 address' })
    .default('127.0.0.1')
    .describe('the host address ports are published on')
    .meta(cli({ flag: 'bind', label: 'bind address', fix: 'use 127.0.0.1 (default) or 0.0.0.0' })),
  images: z
    .enum(IMAGE_SOURCES)
    .default('built')
    .describe('built locally from the registries, or the public images')
    .meta(cli({ flag: 'images', env: 'LAB_IMAGES', label: 'image source' })),
  kafkaVersion: z
    .enum(SUPPORTED_KAFKA_VERSIONS)
    .default(DEFAULT_KAFKA_VERSION)
    .describe(`the Kafka version of the lab's brokers and Connect workers`)
    .meta(
      cli({
        flag: 'kafka-version',
        env: 'LAB_KAFKA_VERSION',
        label: 'Kafka version',
        fix: `use one of ${SUPPORTED_KAFKA_VERSIONS.join(', ')}, the versions infra/images.ts pins`,
      }),
    ),
  connectPlacement: z
    .enum(['downstream', 'upstream'])
    .default('downstream')
    .describe('the data center Kafka Connect (MirrorMaker 2) runs in')
    .meta(cli({ flag: 'connect-placement', label: 'Connect placement' })),
  replicationPolicy: z
    .enum(REPLICATION_POLICIES)
    .default('default')
    .describe(
      "MirrorMaker 2's naming of mirrored topics: default (DefaultReplicationPolicy: <topic> arrives as src.<topic>, as in the chapter) or identity (IdentityReplicationPolicy: the same name on both sides)",
    )
    .meta(cli({ flag: 'replication-policy', label: 'replication policy', fix: `use ${REPLICATION_POLICIES.join(' or ')}` })),
  connectWorkers: z
    .number()
    .int()
    .min(1)
    .max(MAX_WORKERS)
    .optional()
    .describe("Kafka Connect workers (default: the topology's)")
    .meta(cli({ flag: 'connect-workers', label: 'Connect worker count', fix: `give 1 to ${MAX_WORKERS} workers` })),
  brokers: z
    .union([
      brokerCount('broker count'),
      z.strictObject({
        upstream: brokerCount('upstream broker count').optional(),
        downstream: brokerCount('downstream broker count').optional(),
      }),
    ])
    .optional()
    .describe("brokers in each cluster (default: the topology's)")
    .meta(cli({ flag: 'brokers', label: 'broker count', fix: `give 1 to ${MAX_BROKERS} brokers` })),
  replicationFactor: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe("replication factor of the lab's internal topics (default: the topology's)")
    .meta(cli({ flag: 'replication-factor', label: 'replication factor', fix: 'use 1 or more' })),
  components: z
    .array(z.enum(OPTIONAL_COMPONENTS))
    .optional()
    .describe(`comma-separated: ${OPTIONAL_COMPONENTS.join(', ')} (default all)`)
    .meta(cli({ flag: 'components', kind: 'list', label: 'component', fix: `components are ${OPTIONAL_COMPONENTS.join(', ')}` })),
  kafkaSecurity: z
    .enum(['plaintext', 'scram'])
    .default('plaintext')
    .describe('scram: SASL/SCRAM on the published listeners')
    .meta(cli({ flag: 'kafka-security', label: 'Kafka security' })),
  linkShaper: z
    .enum(LINK_SHAPERS)
    .default('auto')
    .describe(
      'what shapes the link between the data centers: proxy (Toxiproxy in the path, on any Docker host), netem (tc on each end; kernels with sch_netem), auto (the proxy when a WAN profile or link-degrade needs shaping, else none)',
    )
    .meta(cli({ flag: 'link-shaper', label: 'link shaper' })),
  wanLatency: z
    .string()
    .regex(DURATION_MS, { error: 'is not a duration in ms (e.g. 50ms)' })
    .optional()
    .describe('a standing WAN: one-way delay on the link between the data centers, each direction (e.g. 50ms)')
    .meta(cli({ flag: 'wan-latency', label: 'WAN latency', fix: 'give milliseconds, e.g. --wan-latency 50ms' })),
  wanJitter: z
    .string()
    .regex(DURATION_MS, { error: 'is not a duration in ms (e.g. 5ms)' })
    .optional()
    .describe('a standing WAN: jitter around the delay (e.g. 5ms)')
    .meta(cli({ flag: 'wan-jitter', label: 'WAN jitter', fix: 'give milliseconds, e.g. --wan-jitter 5ms' })),
  wanBandwidth: z
    .string()
    .regex(BANDWIDTH, { error: 'is not a bandwidth (e.g. 100mbit)' })
    .optional()
    .describe('a standing WAN: bandwidth in each direction (e.g. 100mbit, 1gbit); through the proxy, per TCP connection')
    .meta(cli({ flag: 'wan-bandwidth', label: 'WAN bandwidth', fix: 'give kbit, mbit or gbit, e.g. --wan-bandwidth 100mbit' })),
  appTopic: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,200}$/)
    .default(CHAPTER_TOPIC)
    .describe('the upstream topic the apps consume (mirrored downstream as src.<topic>, or <topic> with --replication-policy identity)'),
});

/** What a user gives a lab: every field optional. */
export type LabSettingsInput = z.input<typeof LabSettingsSchema>;
/** The settings with their defaults filled in. */
export type LabSettings = z.output<typeof LabSettingsSchema>;

export type TopologyName = LabSettings['topology'];
export type ImageSource = LabSettings['images'];
export type ConnectPlacement = LabSettings['connectPlacement'];
export type KafkaSecurity = LabSettings['kafkaSecurity'];
export type LinkShaper = LabSettings['linkShaper'];
export type OptionalComponent = (typeof OPTIONAL_COMPONENTS)[number];
