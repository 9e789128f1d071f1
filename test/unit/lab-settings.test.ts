import { describe, expect, it } from 'vitest';
import { DRILL_FLAGS } from '../../src/cli/drill-flags';
import { flagSpecs } from '../../src/cli/flags';
import { topologyFromFlags } from '../../src/cli/lab-flags';
import { DRILL_LAB_FIELDS } from '../../src/domain/drill-input';
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

  it('name the bad entry of a list and the bad count of one cluster', () => {
    expect(() => topologyFromFlags({ components: 'apps,zookeeper' })).toThrow(/unknown component "zookeeper"/);
    const r = resolveTopology({ brokers: { upstream: 12 } });
    expect(isTopologyProblem(r) && r.problem).toBe('upstream broker count 12 is out of range');
  });
});
