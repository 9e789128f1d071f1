import { inputProblemOf, isInputProblem, type InputProblem } from './input-problem';
import {
  DEFAULT_LAB_ID,
  LabSettingsSchema,
  mbitOf,
  msOf,
  type LabSettings,
  type LabSettingsInput,
  type OptionalComponent,
} from './lab-settings';
import { TOPOLOGIES, type LabTopology, type WanProfile } from './topology';

/** What a user may give: a preset name plus overrides; every field optional (LabSettingsSchema). */
export type TopologyInput = LabSettingsInput;

/** A topology problem, kept free of the error classes so workflow code can use this module. */
export type TopologyProblem = InputProblem;
export const isTopologyProblem: (v: LabTopology | TopologyProblem) => v is TopologyProblem = isInputProblem;

/**
 * Checks the settings against their schema, merges them over their preset and checks what spans
 * fields; returns the topology or the first problem.
 */
export function resolveTopology(input: unknown = {}): LabTopology | TopologyProblem {
  const parsed = LabSettingsSchema.safeParse(input);
  if (!parsed.success) return inputProblemOf(parsed.error.issues[0], input, LabSettingsSchema);
  const s = parsed.data;
  const preset = TOPOLOGIES[s.topology];
  const brokers = typeof s.brokers === 'number' ? { upstream: s.brokers, downstream: s.brokers } : s.brokers;
  const t: LabTopology = {
    ...preset,
    labId: s.labId ?? DEFAULT_LAB_ID,
    brokersPerCluster: {
      upstream: brokers?.upstream ?? preset.brokersPerCluster.upstream,
      downstream: brokers?.downstream ?? preset.brokersPerCluster.downstream,
    },
    replicationFactor: s.replicationFactor ?? preset.replicationFactor,
    connect: { workers: s.connectWorkers ?? preset.connect.workers, placement: s.connectPlacement },
    components: s.components ?? preset.components,
    appTopic: s.appTopic,
    kafkaSecurity: s.kafkaSecurity,
    replicationPolicy: s.replicationPolicy,
    images: s.images,
    kafkaVersion: s.kafkaVersion,
    bindAddress: s.bindAddress,
    portOffset: s.portOffset,
    wan: wanOf(s),
  };
  return validateTopology(t) ?? t;
}

/** The link: a standing profile when any WAN setting is given; the proxy in it when asked, or when auto and a profile needs shaping. */
function wanOf(s: LabSettings): LabTopology['wan'] {
  const given = s.wanLatency !== undefined || s.wanJitter !== undefined || s.wanBandwidth !== undefined;
  const profile: WanProfile | undefined = given
    ? {
        delayMs: s.wanLatency ? msOf(s.wanLatency) : 0,
        jitterMs: s.wanJitter ? msOf(s.wanJitter) : 0,
        ...(s.wanBandwidth ? { rateMbit: mbitOf(s.wanBandwidth) } : {}),
      }
    : undefined;
  return { proxy: s.linkShaper === 'proxy' || (s.linkShaper === 'auto' && given), ...(profile ? { profile } : {}) };
}

/** What no single setting shows: the replication factor against the brokers, components' needs. */
export function validateTopology(t: LabTopology): TopologyProblem | undefined {
  const smallest = Math.min(t.brokersPerCluster.upstream, t.brokersPerCluster.downstream);
  if (t.replicationFactor > smallest) {
    return {
      problem: `replication factor ${t.replicationFactor} is above the broker count (${smallest} in the smaller cluster)`,
      fix: `use a replication factor from 1 to ${smallest}, or add brokers`,
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
  return undefined;
}
