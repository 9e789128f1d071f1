import { isKafkaVersion, SUPPORTED_KAFKA_VERSIONS } from '../../infra/images';
import { OPTIONAL_COMPONENTS, TOPOLOGIES, TOPOLOGY_NAMES, type LabTopology, type OptionalComponent, type TopologyName } from './topology';

/** What a user may give: a preset name plus overrides; every field optional. */
export interface TopologyInput {
  topology?: string;
  labId?: string;
  brokers?: { upstream?: number; downstream?: number };
  replicationFactor?: number;
  connectWorkers?: number;
  connectPlacement?: string;
  components?: string[];
  appTopic?: string;
  kafkaSecurity?: string;
  images?: string;
  kafkaVersion?: string;
  bindAddress?: string;
  portOffset?: number;
}

/** A topology problem, kept free of the error classes so workflow code can use this module. */
export interface TopologyProblem {
  problem: string;
  fix: string;
}

export const MAX_BROKERS = 9;
const MAX_WORKERS = 9;

/** Merges the input over its preset and checks it once; returns the topology or the first problem. */
export function resolveTopology(input: TopologyInput = {}): LabTopology | TopologyProblem {
  const presetName = input.topology ?? 'lite';
  if (!(TOPOLOGY_NAMES as readonly string[]).includes(presetName)) {
    return { problem: `unknown topology "${presetName}"`, fix: `use one of ${TOPOLOGY_NAMES.join(', ')}` };
  }
  const preset = TOPOLOGIES[presetName as TopologyName];
  const t: LabTopology = {
    ...preset,
    labId: input.labId ?? preset.labId,
    brokersPerCluster: {
      upstream: input.brokers?.upstream ?? preset.brokersPerCluster.upstream,
      downstream: input.brokers?.downstream ?? preset.brokersPerCluster.downstream,
    },
    replicationFactor: input.replicationFactor ?? preset.replicationFactor,
    connect: {
      workers: input.connectWorkers ?? preset.connect.workers,
      placement: (input.connectPlacement ?? preset.connect.placement) as LabTopology['connect']['placement'],
    },
    components: (input.components ?? preset.components) as OptionalComponent[],
    appTopic: input.appTopic ?? preset.appTopic,
    kafkaSecurity: (input.kafkaSecurity ?? preset.kafkaSecurity) as LabTopology['kafkaSecurity'],
    images: (input.images ?? preset.images) as LabTopology['images'],
    kafkaVersion: (input.kafkaVersion ?? preset.kafkaVersion) as LabTopology['kafkaVersion'],
    bindAddress: input.bindAddress ?? preset.bindAddress,
    portOffset: input.portOffset ?? preset.portOffset,
  };
  return validateTopology(t) ?? t;
}

export function isTopologyProblem(v: LabTopology | TopologyProblem): v is TopologyProblem {
  return 'problem' in v;
}

export function validateTopology(t: LabTopology): TopologyProblem | undefined {
  if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(t.labId)) {
    return { problem: `lab id "${t.labId}" is not a short lowercase name`, fix: 'use letters, digits and dashes, 31 at most' };
  }
  for (const dc of ['upstream', 'downstream'] as const) {
    const n = t.brokersPerCluster[dc];
    if (!Number.isInteger(n) || n < 1 || n > MAX_BROKERS) {
      return { problem: `${dc} broker count ${n} is out of range`, fix: `give 1 to ${MAX_BROKERS} brokers` };
    }
  }
  const smallest = Math.min(t.brokersPerCluster.upstream, t.brokersPerCluster.downstream);
  if (!Number.isInteger(t.replicationFactor) || t.replicationFactor < 1 || t.replicationFactor > smallest) {
    return {
      problem: `replication factor ${t.replicationFactor} is above the broker count (${smallest} in the smaller cluster)`,
      fix: `use a replication factor from 1 to ${smallest}, or add brokers`,
    };
  }
  if (!Number.isInteger(t.connect.workers) || t.connect.workers < 1 || t.connect.workers > MAX_WORKERS) {
    return { problem: `Connect worker count ${t.connect.workers} is out of range`, fix: `give 1 to ${MAX_WORKERS} workers` };
  }
  if (t.connect.placement !== 'downstream' && t.connect.placement !== 'upstream') {
    return { problem: `unknown Connect placement "${t.connect.placement}"`, fix: 'use downstream or upstream' };
  }
  const unknown = t.components.filter((c) => !OPTIONAL_COMPONENTS.includes(c));
  if (unknown.length > 0) {
    return {
      problem: `unknown component ${unknown.map((c) => `"${c}"`).join(', ')}`,
      fix: `components are ${OPTIONAL_COMPONENTS.join(', ')}`,
    };
  }
  const needs: [OptionalComponent, OptionalComponent][] = [
    ['apps', 'schema-registry'],
    ['apps', 'elasticsearch'],
  ];
  for (const [c, dep] of needs) {
    if (t.components.includes(c) && !t.components.includes(dep))
      return { problem: `component ${c} needs ${dep}`, fix: `add ${dep} to the components, or drop ${c}` };
  }
  if (t.kafkaSecurity !== 'plaintext' && t.kafkaSecurity !== 'scram') {
    return { problem: `unknown Kafka security "${t.kafkaSecurity}"`, fix: 'use plaintext or scram' };
  }
  if (t.images !== 'built' && t.images !== 'official') {
    return { problem: `unknown image source "${t.images}"`, fix: 'use built or official' };
  }
  if (!isKafkaVersion(t.kafkaVersion)) {
    return {
      problem: `unknown Kafka version "${t.kafkaVersion}"`,
      fix: `use one of ${SUPPORTED_KAFKA_VERSIONS.join(', ')}, the versions infra/images.ts pins`,
    };
  }
  if (!Number.isInteger(t.portOffset) || t.portOffset < 0 || t.portOffset > 20000) {
    return { problem: `port offset ${t.portOffset} is out of range`, fix: 'use 0 to 20000' };
  }
  if (!/^[0-9.]+$|^localhost$/.test(t.bindAddress)) {
    return { problem: `bind address "${t.bindAddress}" is not an IPv4 address`, fix: 'use 127.0.0.1 (default) or 0.0.0.0' };
  }
  return undefined;
}
