import { z } from 'zod';
import { DEFAULT_KAFKA_VERSION, SUPPORTED_KAFKA_VERSIONS } from '../../infra/images';
import { FAULT_FLAG_FORM, FAULT_KINDS, FaultSchema, faultsEnd, scheduleFaults, type Fault } from './faults';
import { TargetAccessSchema } from './access';
import type { LabEndpoints } from './endpoints';
import { CHAPTER_TOPIC, indexOf, mirroredTopicOf } from './names';
import { isTopologyProblem, resolveTopology, type TopologyProblem } from './resolve-topology';
import { STUDENT_SCHEMA_V2 } from './student-schema';
import { TOPOLOGY_NAMES, type LabTopology } from './topology';

/** Per generation; the verifier keeps a few bits per message, so the broker's disk is the real limit. */
export const MAX_MESSAGES = 10_000_000;

/** CLI metadata of an input field: its flag (when it has one), an env fallback, how a value is read. */
export interface FieldCli {
  flag?: string;
  env?: string;
  /** avro-file and target-file flags take a path; the CLI reads the file into the field. fault-list repeats. */
  kind?: 'avro-file' | 'target-file' | 'fault-list';
  /** The words a problem uses for the field ("image source"), and the fix it offers. */
  label?: string;
  fix?: string;
}
/** Field metadata for `.meta()`: the CLI side of a field, next to its type and default. */
export const cli = (c: FieldCli) => ({ cli: c });

/**
 * The Kafka version of a lab's brokers and Connect workers: one field for `lab up` (TopologyOptions)
 * and the drill input. Checked by resolveTopology, so both refuse an unknown one in the same words.
 */
export const kafkaVersionField = <T extends z.ZodType>(field: T) =>
  field
    .describe(`the Kafka version of the lab's brokers and Connect workers: ${SUPPORTED_KAFKA_VERSIONS.join(' or ')}`)
    .meta(cli({ flag: 'kafka-version', env: 'LAB_KAFKA_VERSION' }));

const hostPort = z.string().regex(/^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/, { error: 'is not host:port' });
const url = z.string().regex(/^https?:\/\/[^\s/]+/, { error: 'is not an http(s) URL' });

const containerList = z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'is not a container name' }));

/**
 * A target's opt-in to kill faults: the Docker containers (on the worker's Docker host) that run its
 * brokers and Connect workers. Without `allow: true` no fault touches a target.
 */
export const TargetFaultsSchema = z
  .strictObject({
    allow: z.boolean().describe('true lets drills SIGKILL and restart the containers listed here'),
    upstreamBrokers: containerList.default([]).describe("containers of the upstream cluster's brokers, broker 1 first"),
    downstreamBrokers: containerList.default([]).describe("containers of the downstream cluster's brokers, broker 1 first"),
    connectWorkers: containerList.default([]).describe('containers of the Connect workers running MirrorMaker 2, worker 1 first'),
  })
  .describe('broker-kill and connect-kill against a target: its containers on the Docker host the worker uses');
export type TargetFaults = z.infer<typeof TargetFaultsSchema>;

/** Endpoints of clusters the drill did not create (attach mode). Credentials only by reference. */
export const TargetInputSchema = z
  .strictObject({
    name: z.string().optional(),
    upstreamBootstrap: z.array(hostPort).min(1),
    downstreamBootstrap: z.array(hostPort).min(1),
    connectUrl: url,
    schemaRegistryUrl: url,
    elasticsearchUrl: url,
    prometheusUrl: url,
    access: TargetAccessSchema.optional().describe(
      'credentials by reference ({ env: NAME } or { file: PATH }), resolved where the worker runs',
    ),
    mirrorConnectors: z.array(z.string()).optional().describe('MirrorMaker 2 connectors to check (default: the three mm2-*-src)'),
    registerMirror: z
      .boolean()
      .optional()
      .describe("register the MirrorMaker 2 connectors on the target's Connect (default: only check them)"),
    faults: TargetFaultsSchema.optional(),
  })
  .describe('existing clusters to drill against instead of a lab (nothing is provisioned or torn down)');
export type TargetInput = z.infer<typeof TargetInputSchema>;

/**
 * The drill workflow's one input, declared once: its TypeScript types, defaults, validation, the
 * CLI flags and their help, and the JSON Schema in docs/ all come from here. Every field is
 * optional: `{}` runs the chapter's drill on a `lite` lab it provisions and tears down.
 */
export const DrillInputSchema = z.strictObject({
  topology: z
    .enum(TOPOLOGY_NAMES)
    .default('lite')
    .describe('lite: 1 broker per data center and 1 Connect worker; chapter: 3 and 3')
    .meta(cli({ flag: 'topology' })),
  labId: z
    .string()
    .optional()
    .describe('the lab to provision or reuse (default: default; against a target: target-<name>)')
    .meta(cli({ flag: 'lab-id', env: 'LAB_ID', label: 'lab id' })),
  portOffset: z
    .number()
    .int()
    .min(0)
    .max(20_000)
    .default(0)
    .describe('added to every published port, to run labs side by side')
    .meta(cli({ flag: 'port-offset', env: 'LAB_PORT_OFFSET', fix: 'use 0 to 20000' })),
  images: z
    .enum(['built', 'official'])
    .default('built')
    .describe('built locally from the registries, or the public images')
    .meta(cli({ flag: 'images', env: 'LAB_IMAGES', label: 'image source' })),
  kafkaVersion: kafkaVersionField(z.string().default(DEFAULT_KAFKA_VERSION)),
  connectPlacement: z
    .enum(['downstream', 'upstream'])
    .default('downstream')
    .describe('the data center Kafka Connect (MirrorMaker 2) runs in')
    .meta(cli({ flag: 'connect-placement', label: 'Connect placement' })),
  mirrorTuning: z
    .enum(['chapter', 'throughput'])
    .default('chapter')
    .describe(
      "MirrorMaker 2 settings: the chapter's defaults, or larger batches, fetches and a task per partition for millions of messages",
    )
    .meta(cli({ flag: 'mirror-tuning', label: 'mirror tuning' })),
  target: TargetInputSchema.optional().meta(cli({ flag: 'target', kind: 'target-file' })),
  topic: z
    .string()
    .regex(/^[a-zA-Z0-9._-]{1,200}$/)
    .default(CHAPTER_TOPIC)
    .describe('the upstream topic (mirrored downstream as src.<topic>)')
    .meta(cli({ flag: 'topic', label: 'topic name', fix: 'use letters, digits, ".", "_" and "-"' })),
  partitions: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe('partitions of the topic')
    .meta(cli({ flag: 'partitions', fix: 'use 1 to 100 partitions' })),
  replicationFactor: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('replication factor of the topic (default: 3 on chapter, else 1)')
    .meta(cli({ flag: 'replication-factor', label: 'replication factor', fix: 'use 1 or more' })),
  messages: z
    .number()
    .int()
    .min(1)
    .max(MAX_MESSAGES)
    .optional()
    .describe('messages per schema generation (default 100; with faults, enough for the load to outlast them; with --failover, 6,000)')
    .meta(cli({ flag: 'messages', fix: `send 1 to ${MAX_MESSAGES} messages` })),
  rate: z
    .number()
    .min(0)
    .default(0)
    .describe('producer rate in messages per second (0: as fast as acknowledged; with faults, 0 means 500)')
    .meta(cli({ flag: 'rate', fix: 'give messages per second, or 0 for as fast as possible' })),
  schemaV2: z
    .string()
    .optional()
    .describe("the v2 Avro schema as JSON text (default: the chapter's, phone and age with defaults)")
    .meta(cli({ flag: 'schema-v2', kind: 'avro-file' })),
  keepLab: z
    .boolean()
    .default(false)
    .describe('keep the lab after the drill')
    .meta(cli({ flag: 'keep' })),
  latencyThresholdMs: z
    .number()
    .positive()
    .optional()
    .describe('MirrorMaker 2 replication latency threshold, in ms (default 30,000; with faults, plus 1.5 times their durations)')
    .meta(cli({ flag: 'latency-threshold', fix: 'give a threshold in milliseconds' })),
  verifyTimeoutSeconds: z
    .number()
    .positive()
    .optional()
    .describe('how long verification waits for every message (default: 180 s, plus 1 s per 1,000 messages)')
    .meta(cli({ flag: 'verify-timeout', fix: 'give a deadline in seconds' })),
  failOnDuplicates: z
    .boolean()
    .default(false)
    .describe('fail the drill on duplicated messages (they are always counted)')
    .meta(cli({ flag: 'fail-on-duplicates' })),
  faults: z
    .strictObject({
      deleteMirroredRecords: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('delete the first N mirrored records of this run (the drill must report N lost)')
        .meta(cli({ flag: 'delete-mirrored' })),
      inject: z
        .array(FaultSchema)
        .max(10)
        .default([])
        .describe(`faults injected while a steady load flows, each undone after its duration: ${FAULT_FLAG_FORM}, repeatable`)
        .meta(cli({ flag: 'fault', kind: 'fault-list', fix: `use ${FAULT_KINDS.join(', ')}, as ${FAULT_FLAG_FORM}` })),
      skewTranslatedOffsets: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('failover: resume N records past the translated offsets (the drill must report the skipped messages)')
        .meta(cli({ flag: 'skew-translated' })),
    })
    .default({ deleteMirroredRecords: 0, inject: [], skewTranslatedOffsets: 0 })
    .describe('real faults, for fault drills and to prove the verifiers'),
  failover: z
    .boolean()
    .default(false)
    .describe(
      "after verify-v1, upstream goes down mid-way through a consumer group's work and the group resumes downstream from MirrorMaker 2's translated offsets: none may be skipped, the ones processed twice are counted and bounded",
    )
    .meta(cli({ flag: 'failover' })),
  observeOnly: z
    .boolean()
    .default(false)
    .describe('verify an existing flow without writing to it: mirror lag, index freshness, metrics')
    .meta(cli({ flag: 'no-produce' })),
  maxMirrorLagSeconds: z
    .number()
    .positive()
    .default(300)
    .describe('observe mode: how far the mirror may trail upstream')
    .meta(cli({ flag: 'max-mirror-lag' })),
  maxIndexAgeSeconds: z
    .number()
    .positive()
    .default(3600)
    .describe("observe mode: how old the index's newest document may be")
    .meta(cli({ flag: 'max-index-age' })),
  freshnessField: z
    .string()
    .default('lab.indexedAt')
    .describe('observe mode: the index field that says when a document arrived')
    .meta(cli({ flag: 'freshness-field' })),
  index: z
    .string()
    .optional()
    .describe('observe mode: the index to check (default: src.<topic>, lowercase)')
    .meta(cli({ flag: 'index' })),
});

/** What a user (the UI, a schedule, the CLI) gives: every field optional. */
export type DrillInput = z.input<typeof DrillInputSchema>;

/** The input with every default filled in: what the workflow actually runs. */
export type DrillConfig = Omit<
  z.output<typeof DrillInputSchema>,
  'labId' | 'replicationFactor' | 'schemaV2' | 'index' | 'verifyTimeoutSeconds' | 'messages' | 'latencyThresholdMs'
> & {
  latencyThresholdMs: number;
  messages: number;
  verifyTimeoutSeconds: number;
  mode: 'provision' | 'attach';
  labId: string;
  replicationFactor: number;
  schemaV2: string;
  index: string;
  mirroredTopic: string;
};

export interface InputProblem {
  problem: string;
  fix: string;
}

/** A schema issue in the project's "problem (fix: ...)" words. */
export function inputProblemOf(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodObject = DrillInputSchema): InputProblem {
  const path = issue.path.map(String);
  const value = path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], input);
  const meta = fieldCli(schema, path);
  const name = meta?.label ?? path.join('.');
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  switch (issue.code) {
    case 'invalid_value':
      return { problem: `unknown ${name} ${shown}`, fix: meta?.fix ?? `use one of ${issue.values.map(String).join(', ')}` };
    case 'too_small':
    case 'too_big':
      return { problem: `${name} ${shown} is out of range`, fix: meta?.fix ?? issue.message };
    case 'unrecognized_keys':
      return {
        problem: `unknown field ${issue.keys.map((k) => `"${[...path, k].join('.')}"`).join(', ')}`,
        fix: 'see the drill input fields in the README (docs/drill-input.schema.json)',
      };
    case 'invalid_type':
      return {
        problem: `${name} ${value === undefined ? 'is missing' : `${shown} is not a ${issue.expected}`}`,
        fix: meta?.fix ?? `give ${name} as a ${issue.expected}`,
      };
    default:
      return {
        problem: `${name} ${shown} ${issue.message.startsWith('is ') ? issue.message : `is not valid (${issue.message})`}`,
        fix: meta?.fix ?? `correct ${name}`,
      };
  }
}

/** The CLI metadata of the field at `path` (one level of nesting). */
export function fieldCli(schema: z.ZodObject, path: string[]): FieldCli | undefined {
  let t: z.ZodType | undefined = schema;
  for (const key of path) {
    t = unwrap(t) as z.ZodType | undefined;
    t = t instanceof z.ZodObject ? (t.shape as Record<string, z.ZodType>)[key] : undefined;
    if (!t) return undefined;
  }
  return (t?.meta() as { cli?: FieldCli } | undefined)?.cli;
}

/** The type under optional/default wrappers. */
export function unwrap(t: z.ZodType | undefined): z.ZodType | undefined {
  let x = t;
  while (x && (x instanceof z.ZodOptional || x instanceof z.ZodDefault || x instanceof z.ZodNullable)) x = x.unwrap() as z.ZodType;
  return x;
}

/** Fills defaults and checks the drill input; pure, so the workflow and the CLI share it. */
export function resolveDrillInput(input: unknown = {}): DrillConfig | InputProblem {
  const parsed = DrillInputSchema.safeParse(input);
  if (!parsed.success) return inputProblemOf(parsed.error.issues[0], input);
  const i = parsed.data;
  // A fault needs a load that flows through it: a steady rate, and enough messages to outlast the faults.
  const faulted = i.faults.inject.length > 0;
  const rate = faulted && i.rate === 0 ? FAULT_LOAD_RATE : i.rate;
  const messages =
    i.messages ??
    (faulted ? Math.ceil(rate * (faultsEnd(scheduleFaults(i.faults.inject)) + FAULT_TAIL_SECONDS)) : i.failover ? FAILOVER_MESSAGES : 100);
  const c: DrillConfig = {
    ...i,
    rate,
    messages,
    // A fault holds records back for its duration: that much latency is the fault, not a failure.
    // A fault of D s holds D s of records back, and the mirror then drains them while new ones
    // arrive: at three times the load's rate that takes D/2 more. Past that, the mirror is too slow.
    latencyThresholdMs: i.latencyThresholdMs ?? 30_000 + 1500 * i.faults.inject.reduce((n, f) => n + (f.durationSeconds ?? 15), 0),
    mode: i.target ? 'attach' : 'provision',
    // Against a target, the drill's own apps get a lab id of their own (nothing else is created).
    labId:
      i.labId ??
      (i.target
        ? `target-${(i.target.name ?? 'x')
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '-')
            .slice(0, 20)}`
        : 'default'),
    mirroredTopic: mirroredTopicOf(i.topic),
    replicationFactor: i.replicationFactor ?? (i.topology === 'chapter' ? 3 : 1),
    schemaV2: i.schemaV2 ?? JSON.stringify(STUDENT_SCHEMA_V2),
    index: i.index ?? indexOf(i.topic),
    // Both generations are verified at the end: the default deadline grows with what must arrive.
    verifyTimeoutSeconds: i.verifyTimeoutSeconds ?? 180 + Math.ceil((2 * messages) / 1000),
  };
  // The fault deletes from partition 0 of the mirror, which holds every partitions-th message.
  const inPartition0 = Math.ceil(c.messages / c.partitions);
  if (c.faults.deleteMirroredRecords > inPartition0) {
    return {
      problem: `faults.deleteMirroredRecords ${c.faults.deleteMirroredRecords} is more than partition 0 receives (${inPartition0})`,
      fix: `give 0 to ${inPartition0}, or send more messages`,
    };
  }
  if (c.mode === 'attach' && !c.labId.startsWith('target-')) {
    // Teardown removes everything labelled with the lab id: never a provisioned lab's.
    return {
      problem: `against a target, the drill's own apps need a lab id of their own, not "${c.labId}"`,
      fix: 'leave --lab-id out (and unset LAB_ID), or give one starting with target-',
    };
  }
  const faultProblem = faultsProblem(c);
  if (faultProblem) return faultProblem;
  const schemaProblem = avroRecordProblem(c.schemaV2);
  if (schemaProblem)
    return { problem: `schemaV2 ${schemaProblem}`, fix: 'give an Avro record schema as JSON text, with a name and fields' };
  if (c.mode === 'provision') {
    // The lab is checked here, before anything runs, not when the provision activity meets it.
    const t = drillTopology(c);
    if (isTopologyProblem(t)) return t;
    const smallest = Math.min(t.brokersPerCluster.upstream, t.brokersPerCluster.downstream);
    if (c.replicationFactor > smallest) {
      return {
        problem: `topic replication factor ${c.replicationFactor} is above the broker count (${smallest})`,
        fix: 'lower replicationFactor or use the chapter topology',
      };
    }
  }
  return c;
}

/** The lab a provisioning drill runs on: its preset, with the drill's id, ports, images and topic. */
/** The default steady load of a fault drill, in messages per second. */
const FAULT_LOAD_RATE = 500;
/** The load goes on this long after the last fault is undone, so recovery is measured too. */
const FAULT_TAIL_SECONDS = 10;

/** A failover drill's run: enough that the group is mid-way through it, with checkpoints behind it, when upstream goes down. */
const FAILOVER_MESSAGES = 6000;

/** Why the faults asked for cannot run on this drill, checked before anything runs. */
function faultsProblem(c: DrillConfig): InputProblem | undefined {
  if ((c.failover || c.faults.skewTranslatedOffsets > 0) && (c.mode === 'attach' || c.observeOnly)) {
    return {
      problem: 'a failover takes the upstream data center down: only a lab this tool provisioned, with a load of its own',
      fix: 'drop --failover, or drill a lab (leave out --target and --no-produce)',
    };
  }
  if (c.faults.skewTranslatedOffsets > 0 && !c.failover) {
    return { problem: '--skew-translated plants a fault in a failover, and this drill has none', fix: 'add --failover' };
  }
  const faults = scheduleFaults(c.faults.inject);
  if (faults.length === 0) return undefined;
  if (c.observeOnly) {
    return { problem: "faults run during the drill's steady load, and --no-produce writes none", fix: 'drop --fault, or --no-produce' };
  }
  const loadSeconds = c.messages / c.rate;
  const end = faultsEnd(faults);
  if (loadSeconds < end + 5) {
    return {
      problem: `the steady load (${c.messages} messages at ${c.rate}/s, ${loadSeconds.toFixed(0)} s) ends before the last fault is undone (${end} s)`,
      fix: `give --messages ${Math.ceil(c.rate * (end + FAULT_TAIL_SECONDS))} or more, or leave --messages out`,
    };
  }
  const room = killRoom(c, faults);
  if (!room) return undefined; // the topology check reports it
  if ('problem' in room) return room;
  for (const f of faults) {
    if (f.kind === 'broker-kill') {
      const brokers = room[f.dataCenter];
      if (room.target && brokers === 0)
        return {
          problem: `broker-kill needs the ${f.dataCenter} brokers' containers, and the target file lists none`,
          fix: `list them under faults.${f.dataCenter}Brokers in the target file`,
        };
      if (f.index > brokers)
        return {
          problem: `broker-kill index ${f.index} is out of range: ${room.target ? `the target file lists ${brokers} ${f.dataCenter}` : `the ${f.dataCenter} cluster has ${brokers}`} broker(s)`,
          fix: `give an index from 1 to ${brokers}`,
        };
      // With one broker (or one replica), the killed broker takes the data with it: no no-loss verdict is possible.
      if ((!room.target && brokers < 2) || c.replicationFactor < 2) {
        return {
          problem: `broker-kill would take the ${f.dataCenter} cluster's only copy of the topic down (${room.target ? '' : `${brokers} broker(s), `}replication factor ${c.replicationFactor})`,
          fix: room.target ? 'give --replication-factor 2 or more' : 'use --topology chapter (3 brokers per cluster, replication factor 3)',
        };
      }
    }
    if (f.kind === 'connect-kill' && f.index > room.connect) {
      return {
        problem: `connect-kill index ${f.index} is out of range: ${room.target ? 'the target file lists' : 'the lab has'} ${room.connect} Connect worker(s)`,
        fix: room.target ? 'list the workers under faults.connectWorkers in the target file' : `give an index from 1 to ${room.connect}`,
      };
    }
  }
  return undefined;
}

/**
 * What kill faults can hit: the lab's brokers and Connect workers, or the containers a target file
 * lists when it allows faults. Undefined when the lab's topology is itself invalid.
 */
function killRoom(
  c: DrillConfig,
  faults: Fault[],
): { upstream: number; downstream: number; connect: number; target: boolean } | InputProblem | undefined {
  const linkFaults = faults.some((f) => f.kind === 'link-cut' || f.kind === 'link-degrade');
  if (c.mode === 'attach') {
    const allowed = c.target?.faults;
    if (!allowed?.allow) {
      return {
        problem: "faults touch a target only when its file allows them, and this one's does not",
        fix: 'add faults: { allow: true, ... } naming its containers to the target file (README, "Faults against a target"), or drop --fault',
      };
    }
    if (linkFaults) {
      return {
        problem: "link-cut and link-degrade shape the lab's own network between its data centers; a target's network is not the drill's",
        fix: 'use broker-kill or connect-kill against a target, or drill a lab (leave out --target)',
      };
    }
    return {
      upstream: allowed.upstreamBrokers.length,
      downstream: allowed.downstreamBrokers.length,
      connect: allowed.connectWorkers.length,
      target: true,
    };
  }
  const t = drillTopology(c);
  if (isTopologyProblem(t)) return undefined;
  if (c.images === 'official' && linkFaults) {
    return {
      problem: "link faults shape traffic with tc (iproute2), which only the lab's built images carry",
      fix: 'use --images built for link-cut and link-degrade',
    };
  }
  return { ...t.brokersPerCluster, connect: t.connect.workers, target: false };
}

export function drillTopology(c: DrillConfig): LabTopology | TopologyProblem {
  return resolveTopology({
    topology: c.topology,
    labId: c.labId,
    portOffset: c.portOffset,
    images: c.images,
    kafkaVersion: c.kafkaVersion,
    connectPlacement: c.connectPlacement,
    appTopic: c.topic,
  });
}

/** Why a text is not an Avro record schema (structure only: the workflow sandbox has no avsc). */
export function avroRecordProblem(text: string): string | undefined {
  let s: unknown;
  try {
    s = JSON.parse(text);
  } catch {
    return 'is not JSON';
  }
  const r = s as { type?: unknown; name?: unknown; fields?: unknown };
  if (typeof s !== 'object' || s === null || r.type !== 'record') return 'is not an Avro record schema ("type": "record")';
  if (typeof r.name !== 'string' || !r.name) return 'has no record name';
  if (!Array.isArray(r.fields) || r.fields.some((f) => typeof f?.name !== 'string' || f.type === undefined))
    return 'needs "fields", each with a name and a type';
  return undefined;
}

/** The LabTarget search attribute: which lab or target a drill works on (one drill per lab at a time). */
export const labTargetValue = (c: DrillConfig) => (c.mode === 'attach' ? `target:${c.target?.name ?? 'target'}` : `lab:${c.labId}`);

export function isInputProblem(v: DrillConfig | InputProblem): v is InputProblem {
  return 'problem' in v;
}

/** Attach mode: the given endpoints, seen the same from the host and from the apps (host network). */
export function targetEndpoints(t: TargetInput, labId: string): LabEndpoints {
  const same = (url: string) => ({ url, internalUrl: url });
  return {
    labId,
    clusters: {
      upstream: { bootstrap: t.upstreamBootstrap, internalBootstrap: t.upstreamBootstrap },
      downstream: { bootstrap: t.downstreamBootstrap, internalBootstrap: t.downstreamBootstrap },
    },
    connect: { urls: [t.connectUrl], internalUrls: [t.connectUrl] },
    schemaRegistry: same(t.schemaRegistryUrl),
    elasticsearch: same(t.elasticsearchUrl),
    prometheus: same(t.prometheusUrl),
  };
}
