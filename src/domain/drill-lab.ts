import type { DrillConfig } from './drill-input';
import { DRILL_LAB_FIELDS } from './drill-input';
import type { LabSettingsInput } from './lab-settings';
import { isTopologyProblem, resolveTopology, type TopologyProblem } from './resolve-topology';
import type { LabTopology } from './topology';

/** The lab settings a drill gives: its lab fields as they are, and its topic as the apps' topic. */
export function drillLabSettings(c: DrillConfig): LabSettingsInput {
  return { ...Object.fromEntries(DRILL_LAB_FIELDS.map((k) => [k, c[k]])), appTopic: c.topic };
}

/**
 * The lab a provisioning drill runs on: its preset, with the drill's lab settings. A drill that
 * degrades the link puts the proxy in it unless told to use netem: the proxy shapes on any host.
 */
export function drillTopology(c: DrillConfig): LabTopology | TopologyProblem {
  const t = resolveTopology(drillLabSettings(c));
  if (isTopologyProblem(t) || t.wan.proxy || c.linkShaper !== 'auto') return t;
  return c.faults.inject.some((f) => f.kind === 'link-degrade') ? { ...t, wan: { ...t.wan, proxy: true } } : t;
}
