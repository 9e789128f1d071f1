import { describe, expect, it } from 'vitest';
import { DRILL_FLAGS } from '../../src/cli/drill-flags';
import { flagSpecs } from '../../src/cli/flags';
import { topologyFromFlags } from '../../src/cli/lab-flags';
import { DRILL_LAB_FIELDS } from '../../src/domain/drill-input';
import { drillTopology } from '../../src/domain/drill-lab';
import { isInputProblem } from '../../src/domain/input-problem';
import { LabSettingsSchema } from '../../src/domain/lab-settings';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { isTopologyProblem, resolveTopology } from '../../src/domain/resolve-topology';

const labFlags = flagSpecs(LabSettingsSchema);

describe('the lab is declared once', () => {
  it("gives the drill's lab fields the flags, env fallbacks and values of `lab up`", () => {
    for (const field of DRILL_LAB_FIELDS) {
      const lab = labFlags.find((f) => f.path[0] === field);
      const drill = DRILL_FLAGS.find((f) => f.path[0] === field);
      expect({ field, ...drill, description: undefined }).toEqual({ field, ...lab, description: undefined });
    }
  });

  it('refuses a bad lab setting in the same words from `lab up` and from the drill input', () => {
    for (const [flag, field, value] of [
      ['images', 'images', 'dockerhub'],
      ['connect-placement', 'connectPlacement', 'sideways'],
      ['kafka-version', 'kafkaVersion', '2.8.0'],
      ['lab-id', 'labId', 'Not Valid!'],
    ]) {
      const drill = resolveDrillInput({ [field]: value });
      if (!isInputProblem(drill)) throw new Error(`the drill took ${field} ${value}`);
      expect(() => topologyFromFlags({ [flag]: value })).toThrow(`invalid topology: ${drill.problem}`);
    }
  });
});

describe('`lab up` flags', () => {
  it('read a comma-separated component list and one broker count for both clusters', () => {
    const t = topologyFromFlags({ brokers: '2', components: 'schema-registry, prometheus', 'kafka-security': 'scram' });
    expect(t.brokersPerCluster).toEqual({ upstream: 2, downstream: 2 });
    expect(t.components).toEqual(['schema-registry', 'prometheus']);
    expect(t.kafkaSecurity).toBe('scram');
  });

  it('read a standing WAN profile, which puts the link proxy in the link unless netem is asked for', () => {
    const t = topologyFromFlags({ 'wan-latency': '50ms', 'wan-jitter': '5ms', 'wan-bandwidth': '1gbit' });
    expect(t.wan).toEqual({ proxy: true, profile: { delayMs: 50, jitterMs: 5, rateMbit: 1000 } });
    expect(topologyFromFlags({ 'wan-latency': '20ms', 'link-shaper': 'netem' }).wan).toEqual({
      proxy: false,
      profile: { delayMs: 20, jitterMs: 0 },
    });
    expect(topologyFromFlags({}).wan).toEqual({ proxy: false });
    expect(topologyFromFlags({ 'link-shaper': 'proxy' }).wan).toEqual({ proxy: true });
    const r = resolveTopology({ wanLatency: '50' });
    expect(isTopologyProblem(r) && `${r.problem} (fix: ${r.fix})`).toBe(
      'WAN latency "50" is not a duration in ms (e.g. 50ms) (fix: give milliseconds, e.g. --wan-latency 50ms)',
    );
  });

  it('a drill that degrades the link gets the proxy (auto), not with --link-shaper netem', () => {
    const drill = (input: object) => {
      const c = resolveDrillInput({ faults: { inject: [{ kind: 'link-degrade' }] }, ...input });
      if (isInputProblem(c)) throw new Error(c.problem);
      const t = drillTopology(c);
      if (isTopologyProblem(t)) throw new Error(t.problem);
      return t.wan;
    };
    expect(drill({})).toEqual({ proxy: true });
    expect(drill({ linkShaper: 'netem' })).toEqual({ proxy: false });
  });

  it('name the bad entry of a list and the bad count of one cluster', () => {
    expect(() => topologyFromFlags({ components: 'apps,zookeeper' })).toThrow(/unknown component "zookeeper"/);
    const r = resolveTopology({ brokers: { upstream: 12 } });
    expect(isTopologyProblem(r) && r.problem).toBe('upstream broker count 12 is out of range');
  });
});
