import type { TargetAccess } from './access';
import type { LabEndpoints } from './endpoints';
import { CHAPTER_TOPIC, indexOf, mirroredTopicOf } from './names';
import { isTopologyProblem, resolveTopology } from './resolve-topology';
import { TOPOLOGY_NAMES, type ConnectPlacement, type ImageSource, type TopologyName } from './topology';
import { STUDENT_SCHEMA_V2 } from './student-schema';

export const MAX_MESSAGES = 50_000;

/** Endpoints of clusters the drill did not create (attach mode). Credentials never go here. */
export interface TargetInput {
  name?: string;
  upstreamBootstrap: string[];
  downstreamBootstrap: string[];
  connectUrl: string;
  schemaRegistryUrl: string;
  elasticsearchUrl: string;
  prometheusUrl: string;
  /** Credentials by reference (env var or file names), resolved by the activities. */
  access?: TargetAccess;
  /** MirrorMaker 2 connectors to check instead of registering (default: the three `mm2-*-src`). */
  mirrorConnectors?: string[];
  /** Register the MirrorMaker 2 connectors on the target's Connect (default: only check them). */
  registerMirror?: boolean;
}

/**
 * The drill workflow's one input. Every field is optional: `{}` runs the chapter's drill on a
 * `lite` lab it provisions and tears down.
 */
export interface DrillInput {
  topology?: string;
  labId?: string;
  portOffset?: number;
  images?: string;
  connectPlacement?: string;
  /** Attach to existing endpoints instead of provisioning (nothing is created or torn down). */
  target?: TargetInput;
  topic?: string;
  partitions?: number;
  replicationFactor?: number;
  messages?: number;
  /** Producer rate in messages per second for each generation (default 0: as fast as acknowledged). */
  rate?: number;
  /** Avro schema (JSON text) for generation 2; default: the chapter's (phone and age, defaulted). */
  schemaV2?: string;
  keepLab?: boolean;
  latencyThresholdMs?: number;
  verifyTimeoutSeconds?: number;
  failOnDuplicates?: boolean;
  /** Real faults for fault drills and for proving the verifiers. */
  faults?: { deleteMirroredRecords?: number };
  /** Verify an existing flow without writing to it: mirror lag, index freshness, metrics. */
  observeOnly?: boolean;
  maxMirrorLagSeconds?: number;
  maxIndexAgeSeconds?: number;
  /** The index field that says when a document arrived (default: consumer-2's lab.indexedAt). */
  freshnessField?: string;
  index?: string;
}

/** The input with every default filled in: what the workflow actually runs. */
export interface DrillConfig {
  mode: 'provision' | 'attach';
  topology: TopologyName;
  labId: string;
  portOffset: number;
  images: ImageSource;
  connectPlacement: ConnectPlacement;
  target?: TargetInput;
  topic: string;
  mirroredTopic: string;
  partitions: number;
  replicationFactor: number;
  messages: number;
  rate: number;
  schemaV2: string;
  keepLab: boolean;
  latencyThresholdMs: number;
  verifyTimeoutSeconds: number;
  failOnDuplicates: boolean;
  faults: { deleteMirroredRecords: number };
  observeOnly: boolean;
  maxMirrorLagSeconds: number;
  maxIndexAgeSeconds: number;
  freshnessField: string;
  index: string;
}

export interface InputProblem {
  problem: string;
  fix: string;
}

/** Fills defaults and checks the drill input; pure, so the workflow and the CLI share it. */
export function resolveDrillInput(input: DrillInput = {}): DrillConfig | InputProblem {
  const topology = input.topology ?? 'lite';
  const rfDefault = topology === 'chapter' ? 3 : 1;
  // Checked with the other fields below; typed here so the config carries the unions, not strings.
  const c: DrillConfig = {
    mode: input.target ? 'attach' : 'provision',
    topology: topology as TopologyName,
    // Against a target, the drill's own apps get a lab id of their own (nothing else is created).
    labId:
      input.labId ??
      (input.target
        ? `target-${(input.target.name ?? 'x')
            .toLowerCase()
            .replace(/[^a-z0-9-]/g, '-')
            .slice(0, 20)}`
        : 'default'),
    portOffset: input.portOffset ?? 0,
    images: (input.images ?? 'built') as ImageSource,
    connectPlacement: (input.connectPlacement ?? 'downstream') as ConnectPlacement,
    target: input.target,
    topic: input.topic ?? CHAPTER_TOPIC,
    mirroredTopic: mirroredTopicOf(input.topic ?? CHAPTER_TOPIC),
    partitions: input.partitions ?? 3,
    replicationFactor: input.replicationFactor ?? rfDefault,
    messages: input.messages ?? 100,
    rate: input.rate ?? 0,
    schemaV2: input.schemaV2 ?? JSON.stringify(STUDENT_SCHEMA_V2),
    keepLab: input.keepLab ?? false,
    latencyThresholdMs: input.latencyThresholdMs ?? 30_000,
    verifyTimeoutSeconds: input.verifyTimeoutSeconds ?? 180,
    failOnDuplicates: input.failOnDuplicates ?? false,
    faults: { deleteMirroredRecords: input.faults?.deleteMirroredRecords ?? 0 },
    observeOnly: input.observeOnly ?? false,
    maxMirrorLagSeconds: input.maxMirrorLagSeconds ?? 300,
    maxIndexAgeSeconds: input.maxIndexAgeSeconds ?? 3600,
    freshnessField: input.freshnessField ?? 'lab.indexedAt',
    index: input.index ?? indexOf(input.topic ?? CHAPTER_TOPIC),
  };
  if (!/^[a-zA-Z0-9._-]{1,200}$/.test(c.topic))
    return { problem: `topic name "${c.topic}" is not valid`, fix: 'use letters, digits, ".", "_" and "-"' };
  if (!Number.isInteger(c.messages) || c.messages < 1 || c.messages > MAX_MESSAGES) {
    return { problem: `messages ${c.messages} is out of range`, fix: `send 1 to ${MAX_MESSAGES} messages` };
  }
  if (!(c.rate >= 0) || !Number.isFinite(c.rate))
    return { problem: `rate ${c.rate} is not valid`, fix: 'give messages per second, or 0 for as fast as possible' };
  if (!Number.isInteger(c.partitions) || c.partitions < 1 || c.partitions > 100)
    return { problem: `partitions ${c.partitions} is out of range`, fix: 'use 1 to 100 partitions' };
  if (!Number.isInteger(c.replicationFactor) || c.replicationFactor < 1)
    return { problem: `replication factor ${c.replicationFactor} is not valid`, fix: 'use 1 or more' };
  if (!(c.latencyThresholdMs > 0)) return { problem: 'latencyThresholdMs must be positive', fix: 'give a threshold in milliseconds' };
  if (!(c.verifyTimeoutSeconds > 0)) return { problem: 'verifyTimeoutSeconds must be positive', fix: 'give a deadline in seconds' };
  if (c.faults.deleteMirroredRecords < 0 || c.faults.deleteMirroredRecords >= c.messages) {
    return { problem: 'faults.deleteMirroredRecords must be below the message count', fix: `give 0 to ${c.messages - 1}` };
  }
  if (!(TOPOLOGY_NAMES as readonly string[]).includes(c.topology))
    return { problem: `unknown topology "${c.topology}"`, fix: `use one of ${TOPOLOGY_NAMES.join(', ')}` };
  if (c.images !== 'built' && c.images !== 'official')
    return { problem: `unknown image source "${c.images}"`, fix: 'use built or official' };
  if (c.connectPlacement !== 'downstream' && c.connectPlacement !== 'upstream') {
    return { problem: `unknown Connect placement "${c.connectPlacement}"`, fix: 'use downstream or upstream' };
  }
  const schemaProblem = avroRecordProblem(c.schemaV2);
  if (schemaProblem)
    return { problem: `schemaV2 ${schemaProblem}`, fix: 'give an Avro record schema as JSON text, with a name and fields' };
  if (c.mode === 'provision') {
    // The lab is checked here, before anything runs, not when the provision activity meets it.
    const t = resolveTopology({
      topology: c.topology,
      labId: c.labId,
      portOffset: c.portOffset,
      images: c.images,
      connectPlacement: c.connectPlacement,
      appTopic: c.topic,
    });
    if (isTopologyProblem(t)) return t;
    const smallest = Math.min(t.brokersPerCluster.upstream, t.brokersPerCluster.downstream);
    if (c.replicationFactor > smallest) {
      return {
        problem: `topic replication factor ${c.replicationFactor} is above the broker count (${smallest})`,
        fix: 'lower replicationFactor or use the chapter topology',
      };
    }
  }
  if (c.target) {
    const t = c.target;
    const missing = (
      ['upstreamBootstrap', 'downstreamBootstrap', 'connectUrl', 'schemaRegistryUrl', 'elasticsearchUrl', 'prometheusUrl'] as const
    ).filter((k) => !t[k] || (Array.isArray(t[k]) && (t[k] as string[]).length === 0));
    if (missing.length) return { problem: `target is missing ${missing.join(', ')}`, fix: 'give every endpoint of the target' };
  }
  return c;
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
