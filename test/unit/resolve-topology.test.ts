import { describe, expect, it } from 'vitest';
import { isTopologyProblem, resolveTopology } from '../../src/domain/resolve-topology';

describe('resolveTopology', () => {
  it('gives the chapter layout: three brokers per cluster, three Connect workers downstream', () => {
    const t = resolveTopology({ topology: 'chapter' });
    if (isTopologyProblem(t)) throw new Error(t.problem);
    expect(t.brokersPerCluster).toEqual({ upstream: 3, downstream: 3 });
    expect(t.connect).toEqual({ workers: 3, placement: 'downstream' });
    expect(t.replicationFactor).toBe(3);
    expect(t.components).toEqual(['schema-registry', 'elasticsearch', 'prometheus', 'apps']);
    expect(t.bindAddress).toBe('127.0.0.1');
  });

  it('defaults to lite', () => {
    const t = resolveTopology({});
    expect(isTopologyProblem(t) ? t : t.name).toBe('lite');
  });

  it.each([
    [{ topology: 'huge' }, /unknown topology "huge"/],
    [{ topology: 'lite', replicationFactor: 3 }, /replication factor 3 is above the broker count \(1/],
    [{ topology: 'chapter', brokers: { downstream: 2 } }, /replication factor 3 is above the broker count \(2/],
    [{ components: ['schema-registry', 'zookeeper'] }, /unknown component "zookeeper"/],
    [{ connectPlacement: 'sideways' }, /unknown Connect placement/],
    [{ connectWorkers: 0 }, /Connect worker count 0/],
    [{ labId: 'Bad Name' }, /lab id/],
    [{ images: 'dockerhub' }, /unknown image source/],
    [{ components: ['apps', 'schema-registry'] }, /component apps needs elasticsearch/],
    [{ portOffset: -5 }, /port offset/],
    [{ kafkaVersion: '4.0' }, /^unknown Kafka version "4\.0"$/],
  ])('rejects %j with a problem and a fix', (input, problem) => {
    const r = resolveTopology(input);
    expect(isTopologyProblem(r)).toBe(true);
    if (isTopologyProblem(r)) {
      expect(r.problem).toMatch(problem);
      expect(r.fix.length).toBeGreaterThan(5);
    }
  });

  it('runs Kafka 3.9.1 unless asked for another supported version', () => {
    const d = resolveTopology({});
    expect(isTopologyProblem(d) ? d : d.kafkaVersion).toBe('3.9.1');
    const t = resolveTopology({ kafkaVersion: '4.3.0', topology: 'chapter' });
    expect(isTopologyProblem(t) ? t : t.kafkaVersion).toBe('4.3.0');
  });

  it('names every supported Kafka version in the fix, on one line', () => {
    const r = resolveTopology({ kafkaVersion: '3.8.0' });
    expect(isTopologyProblem(r) && `${r.problem} (fix: ${r.fix})`).toBe(
      'unknown Kafka version "3.8.0" (fix: use one of 3.9.1, 4.3.0, the versions infra/images.ts pins)',
    );
  });

  it('accepts Connect next to the upstream cluster', () => {
    const t = resolveTopology({ connectPlacement: 'upstream' });
    expect(isTopologyProblem(t) ? t : t.connect.placement).toBe('upstream');
  });
});
