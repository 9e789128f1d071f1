import { describe, expect, it } from 'vitest';
import { isInputProblem } from '../../src/domain/input-problem';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { faultsEnd, parseFaultFlag, scheduleFaults } from '../../src/domain/faults';
import { plannedSteps } from '../../src/domain/steps';
import { netemArgs } from '../../src/lab/faults';
import { targetFaultContainer } from '../../src/domain/fault-targets';

/** The endpoints of a target; each test adds its own fault settings. */
const TARGET = {
  upstreamBootstrap: ['a:9092'],
  downstreamBootstrap: ['b:9092'],
  connectUrl: 'http://c:8083',
  schemaRegistryUrl: 'http://r:8081',
  elasticsearchUrl: 'http://e:9200',
  prometheusUrl: 'http://p:9090',
};

const problemOf = (input: unknown) => {
  const r = resolveDrillInput(input);
  return isInputProblem(r) ? `${r.problem} (fix: ${r.fix})` : undefined;
};

describe('fault flags', () => {
  it('reads KIND[@DATACENTER][:DURATION] in seconds or minutes', () => {
    expect(parseFaultFlag('link-cut')).toEqual({ kind: 'link-cut' });
    expect(parseFaultFlag('broker-kill@downstream:10')).toEqual({ kind: 'broker-kill', dataCenter: 'downstream', durationSeconds: 10 });
    expect(parseFaultFlag('broker-kill@upstream')).toEqual({ kind: 'broker-kill', dataCenter: 'upstream' });
    expect(parseFaultFlag('connect-kill:20')).toEqual({ kind: 'connect-kill', durationSeconds: 20 });
    expect(parseFaultFlag('link-degrade:2m')).toEqual({ kind: 'link-degrade', durationSeconds: 120 });
    expect(parseFaultFlag('broker-pause@downstream:20')).toEqual({ kind: 'broker-pause', dataCenter: 'downstream', durationSeconds: 20 });
    expect(parseFaultFlag('connect-pause:15')).toEqual({ kind: 'connect-pause', durationSeconds: 15 });
  });
  it('names the kinds it knows when given another', () => {
    expect(parseFaultFlag('disk-crash')).toEqual({
      problem: '--fault disk-crash is not a fault this drill knows',
      fix: 'use one of broker-kill, connect-kill, broker-pause, connect-pause, link-cut, link-degrade, disk-full',
    });
    expect(parseFaultFlag('link-cut:soon')).toMatchObject({
      problem: '--fault "link-cut:soon" is not KIND[@upstream|@downstream|@upstream-to-downstream|@downstream-to-upstream][:SECONDS]',
    });
  });
  it('takes a data center for broker faults only, and only one of the two', () => {
    expect(parseFaultFlag('connect-kill@downstream:5')).toEqual({
      problem:
        '--fault connect-kill@downstream:5: only broker-kill, broker-pause and disk-full take a data center (and link-cut a direction)',
      fix: 'drop @downstream',
    });
    expect(parseFaultFlag('connect-pause@upstream')).toMatchObject({ problem: expect.stringMatching(/only broker-kill, broker-pause/) });
    expect(parseFaultFlag('broker-kill@eu:5')).toEqual({
      problem: '--fault broker-kill@eu:5: eu is not a data center',
      fix: 'use @upstream or @downstream',
    });
    expect(parseFaultFlag('disk-full@downstream:20')).toEqual({ kind: 'disk-full', dataCenter: 'downstream', durationSeconds: 20 });
  });
  it('takes a direction for link-cut: one way only, an asymmetric partition', () => {
    expect(parseFaultFlag('link-cut@upstream-to-downstream:30')).toEqual({
      kind: 'link-cut',
      direction: 'upstream-to-downstream',
      durationSeconds: 30,
    });
    expect(parseFaultFlag('link-cut@downstream-to-upstream')).toEqual({ kind: 'link-cut', direction: 'downstream-to-upstream' });
    expect(parseFaultFlag('link-cut@upstream:30')).toEqual({
      problem: '--fault link-cut@upstream:30: upstream is not a direction of the link',
      fix: 'use @upstream-to-downstream or @downstream-to-upstream',
    });
    expect(parseFaultFlag('link-cut@both')).toMatchObject({ problem: expect.stringMatching(/not a direction/) });
  });
});

describe("a fault drill's MirrorMaker 2 latency threshold", () => {
  it('allows 30 s plus 1.5 times the faults: the fault itself, then draining its backlog at three times the load', () => {
    const c = resolveDrillInput({ faults: { inject: [{ kind: 'link-cut', durationSeconds: 150 }, { kind: 'connect-kill' }] } });
    if (isInputProblem(c)) throw new Error(c.problem);
    expect(c.latencyThresholdMs).toBe(30_000 + 1500 * (150 + 15));
    const given = resolveDrillInput({ latencyThresholdMs: 5000, faults: { inject: [{ kind: 'link-cut' }] } });
    expect(isInputProblem(given) ? given : given.latencyThresholdMs).toBe(5000);
  });
});

describe('the fault schedule', () => {
  it('places faults 5 s apart after the load starts, unless told when', () => {
    const f = (kind: 'link-cut', durationSeconds: number, afterSeconds?: number) => ({
      kind,
      durationSeconds,
      afterSeconds,
      dataCenter: 'upstream' as const,
      direction: 'both' as const,
      index: 1,
      link: { delayMs: 50, jitterMs: 10, lossPercent: 1, rateMbit: 10 },
    });
    const s = scheduleFaults([f('link-cut', 10), f('link-cut', 20), f('link-cut', 5, 100)]);
    expect(s.map((x) => x.atSeconds)).toEqual([5, 20, 100]);
    expect(faultsEnd(s)).toBe(105);
  });

  it('gives a fault drill a steady load that outlasts its faults, and plans a step per fault', () => {
    const c = resolveDrillInput({ faults: { inject: [{ kind: 'link-cut', durationSeconds: 10 }, { kind: 'connect-kill' }] } });
    if (isInputProblem(c)) throw new Error(c.problem);
    expect(c.rate).toBe(500);
    // link-cut 5..15 s, connect-kill 20..35 s, then 10 s of tail: 45 s at 500/s
    expect(c.messages).toBe(22_500);
    expect(plannedSteps(c)).toEqual(expect.arrayContaining(['produce-v1', 'link-cut', 'connect-kill', 'verify-v1']));
  });

  it("covers a broker's restart after disk-full and broker-kill in the load (a drill in flight before that keeps its count)", () => {
    const input = {
      topology: 'chapter',
      faults: {
        inject: [
          { kind: 'disk-full', durationSeconds: 15 },
          { kind: 'broker-kill', durationSeconds: 8 },
        ],
      },
    };
    const now = resolveDrillInput(input);
    const before = resolveDrillInput(input, { faultRecovery: false });
    if (isInputProblem(now) || isInputProblem(before)) throw new Error('refused');
    // disk-full 5..20 s, broker-kill 25..33 s, 10 s of tail: 43 s; then 20 s and 12 s for the restarts
    expect(before.messages).toBe(500 * 43);
    expect(now.messages).toBe(500 * (43 + 20 + 12));
  });

  it('turns a degraded link into netem arguments', () => {
    expect(netemArgs({ delayMs: 50, jitterMs: 10, lossPercent: 1, rateMbit: 10 })).toEqual([
      'delay',
      '50ms',
      '10ms',
      'distribution',
      'normal',
      'loss',
      '1%',
      'rate',
      '10mbit',
    ]);
  });
});

describe('faults that cannot run are refused before anything runs', () => {
  it('a broker kill on a one-broker cluster (no no-loss verdict is possible)', () => {
    expect(problemOf({ faults: { inject: [{ kind: 'broker-kill' }] } })).toBe(
      "broker-kill would take the upstream cluster's only copy of the topic down (1 broker(s), replication factor 1) (fix: use --topology chapter (3 brokers per cluster, replication factor 3))",
    );
    expect(
      problemOf({ topology: 'chapter', faults: { inject: [{ kind: 'broker-kill', dataCenter: 'downstream', index: 2 }] } }),
    ).toBeUndefined();
  });
  it('a broker pause on a one-broker cluster (the load would stop: nothing to observe), not on three', () => {
    expect(problemOf({ faults: { inject: [{ kind: 'broker-pause' }] } })).toMatch(
      /^broker-pause would take the upstream cluster's only copy of the topic down/,
    );
    expect(problemOf({ topology: 'chapter', faults: { inject: [{ kind: 'broker-pause', index: 3 }] } })).toBeUndefined();
    expect(problemOf({ faults: { inject: [{ kind: 'connect-pause', index: 2 }] } })).toMatch(/^connect-pause index 2 is out of range/);
  });
  it('an index out of range', () => {
    expect(problemOf({ topology: 'chapter', faults: { inject: [{ kind: 'broker-kill', index: 4 }] } })).toMatch(
      /^broker-kill index 4 is out of range: the upstream cluster has 3 broker\(s\) \(fix: give an index from 1 to 3\)$/,
    );
    expect(problemOf({ faults: { inject: [{ kind: 'connect-kill', index: 2 }] } })).toMatch(/connect-kill index 2 is out of range/);
  });
  it('a load too short for the faults', () => {
    expect(problemOf({ messages: 1000, rate: 100, faults: { inject: [{ kind: 'link-cut', durationSeconds: 30 }] } })).toBe(
      'the steady load (1000 messages at 100/s, 10 s) ends before the last fault is undone (35 s) (fix: give --messages 4500 or more, or leave --messages out)',
    );
  });
  it('a one-way cut without the link proxy, and a disk-full on a one-broker cluster or a target', () => {
    const oneWay = { kind: 'link-cut' as const, direction: 'upstream-to-downstream' as const };
    expect(problemOf({ linkShaper: 'netem', faults: { inject: [oneWay] } })).toBe(
      'a one-way link-cut holds one direction of the link proxy, and --link-shaper netem leaves the proxy out (fix: give --link-shaper auto or proxy, or cut the link both ways)',
    );
    expect(problemOf({ faults: { inject: [oneWay] } })).toBeUndefined();
    expect(problemOf({ faults: { inject: [{ kind: 'disk-full' }] } })).toMatch(/^disk-full would take the upstream cluster's only copy/);
    expect(problemOf({ topology: 'chapter', faults: { inject: [{ kind: 'disk-full', index: 2 }] } })).toBeUndefined();
    const allowed = { ...TARGET, faults: { allow: true, upstreamBrokers: ['b1', 'b2', 'b3'] } };
    expect(problemOf({ target: allowed, replicationFactor: 3, faults: { inject: [{ kind: 'disk-full' }] } })).toMatch(
      /^disk-full fills a lab broker's own small disk; a target's disks are not the drill's to fill/,
    );
  });
  it('an unknown kind, and a fault against a target', () => {
    expect(problemOf({ faults: { inject: [{ kind: 'disk-crash' }] } })).toMatch(/faults\.inject\.0\.kind/);
    expect(problemOf({ target: TARGET, faults: { inject: [{ kind: 'connect-kill' }] } })).toBe(
      'faults touch a target only when its file allows them, and this one\'s does not (fix: add faults: { allow: true, ... } naming its containers to the target file (README, "Faults against a target"), or drop --fault)',
    );
    const denied = { ...TARGET, faults: { allow: false, connectWorkers: ['c1'] } };
    expect(problemOf({ target: denied, faults: { inject: [{ kind: 'connect-kill' }] } })).toMatch(/only when its file allows them/);
  });
  describe('against a target whose file allows faults', () => {
    const target = { ...TARGET, faults: { allow: true, upstreamBrokers: ['k1', 'k2', 'k3'], connectWorkers: ['c1'] } };
    const drill = (faults: unknown[], more: object = {}) => ({ target, replicationFactor: 3, faults: { inject: faults }, ...more });
    it('kills what the file lists, by index, and hands the activity that container', () => {
      const c = resolveDrillInput(drill([{ kind: 'broker-kill', index: 2 }, { kind: 'connect-kill' }]));
      if (isInputProblem(c)) throw new Error(c.problem);
      expect(c.faults.inject.map((f) => targetFaultContainer(c, f))).toEqual(['k2', 'c1']);
    });
    it('refuses link faults, a kill past the list, a cluster with no list, one replica, and no load', () => {
      expect(problemOf(drill([{ kind: 'link-cut' }]))).toMatch(
        /a target's network is not the drill's \(fix: use broker and Connect faults against a target/,
      );
      expect(problemOf(drill([{ kind: 'broker-kill', index: 4 }]))).toBe(
        'broker-kill index 4 is out of range: the target file lists 3 upstream broker(s) (fix: give an index from 1 to 3)',
      );
      expect(problemOf(drill([{ kind: 'broker-kill', dataCenter: 'downstream' }]))).toBe(
        "broker-kill needs the downstream brokers' containers, and the target file lists none (fix: list them under faults.downstreamBrokers in the target file)",
      );
      expect(problemOf(drill([{ kind: 'connect-kill', index: 2 }]))).toMatch(/the target file lists 1 Connect worker\(s\)/);
      expect(problemOf(drill([{ kind: 'broker-kill' }], { replicationFactor: 1 }))).toBe(
        "broker-kill would take the upstream cluster's only copy of the topic down (replication factor 1) (fix: give --replication-factor 2 or more)",
      );
      expect(problemOf(drill([{ kind: 'connect-kill' }], { observeOnly: true }))).toMatch(/--no-produce writes none/);
    });
  });
  it('a link fault where the lab cannot shape traffic', () => {
    expect(problemOf({ images: 'official', faults: { inject: [{ kind: 'link-degrade' }] } })).toMatch(/use --images built/);
  });
});
