import type { DrillConfig } from './drill-input';
import { DRILL_LAB_FIELDS } from './drill-input';
import type { LabSettingsInput } from './lab-settings';
import { isTopologyProblem, resolveTopology, type TopologyProblem } from './resolve-topology';
import { elasticsearchJvmOpts, type LabTopology } from './topology';
import { needsLinkProxy } from './faults';

/** The lab settings a drill gives: its lab fields as they are, and its topic as the apps' topic. */
export function drillLabSettings(c: DrillConfig): LabSettingsInput {
  return { ...Object.fromEntries(DRILL_LAB_FIELDS.map((k) => [k, c[k]])), appTopic: c.topic };
}

/**
 * The lab a provisioning drill runs on: its preset, with the drill's lab settings. A drill that
 * degrades the link, or cuts it one way, puts the proxy in it unless told to use netem: the proxy
 * shapes on any host. A disk-full drill gives the broker it fills a small disk of its own. Its
 * Elasticsearch compiles for the drill's load.
 */
export function drillTopology(c: DrillConfig): LabTopology | TopologyProblem {
  const t = resolveTopology(drillLabSettings(c));
  if (isTopologyProblem(t)) return t;
  const full = c.faults.inject.filter((f) => f.kind === 'disk-full').map((f) => ({ dc: f.dataCenter, index: f.index - 1 }));
  const cappedDisks = full.filter((d, i) => full.findIndex((x) => x.dc === d.dc && x.index === d.index) === i);
  const withDisks = {
    ...t,
    jvmOpts: { ...t.jvmOpts, elasticsearch: elasticsearchJvmOpts(c.messages) },
    ...(cappedDisks.length > 0 ? { cappedDisks } : {}),
    ...(c.disaster ? { disasterRecovery: true } : {}),
  };
  if (t.wan.proxy || c.linkShaper !== 'auto') return withDisks;
  const shaped = c.faults.inject.some(needsLinkProxy);
  return shaped ? { ...withDisks, wan: { ...t.wan, proxy: true } } : withDisks;
}
