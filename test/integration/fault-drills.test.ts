import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClient } from '../../src/clients/kafka';
import { execIn } from '../../src/docker/exec';
import { kafkaHostPort } from '../../src/domain/ports';
import { localKernelHasNetem } from '../../src/lab/faults';
import { networkName } from '../../src/lab/names';
import { teardownLab } from '../../src/lab/teardown';
import { pollUntil } from '../../src/util/poll';
import { scanRunRecords } from '../../src/kafka/run-records';
import { createTopic } from '../../activities/topics';
import { PRODUCER_ENGINES } from '../../src/domain/producer-engine';
import { SeqBits } from '../../src/domain/seq-bits';
import { STUDENT_SCHEMA_V1 } from '../../src/domain/student-schema';
import { runLane } from '../../src/kafka/produce-lanes';
import { provisionLab } from '../../src/lab/provision';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker, testLog, testTopology } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';

// Faults for real, during a steady load on a lite lab: the link between the data centers cut (its
// interfaces down on both ends) and the Connect worker running MirrorMaker 2 SIGKILLed, each for
// 8 s and undone; then every message must be accounted for downstream and in Elasticsearch.
const LAB_ID = 'it-faults';
const LAB = ['--lab-id', LAB_ID, '--port-offset', String(PORT_OFFSETS.faults)];
const BROKER_KILL_LAB = 'it-broker-kill';

/** Waits until `check` gives a value (undefined: not yet), for at most a minute. */
const waitFor = <T>(what: string, check: () => Promise<T | undefined>) =>
  pollUntil<T>(
    async () => {
      const v = await check();
      return v === undefined ? { done: false, detail: what } : { done: true, value: v };
    },
    { timeoutMs: 60_000, intervalMs: 250, onTimeout: () => new Error(`timed out waiting until ${what}`) },
  );

let docker: Docker;
beforeAll(async () => {
  docker = await connectDocker();
});
afterAll(async () => {
  await teardownLab(docker, LAB_ID);
  await teardownLab(docker, BROKER_KILL_LAB);
});

describe('fault drills', () => {
  it('cuts the link, kills and pauses the Connect worker during the load, undoes each, proves each, and accounts for every message', async () => {
    const r = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--fault', 'link-cut:8', '--fault', 'connect-kill:8', '--fault', 'connect-pause:8'],
      {},
      900_000,
    );
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(r.code).toBe(0);
    // 500 messages a second for 5 + 8 + 5 + 8 + 5 + 8 + 10 s, per generation
    expect(report.accounting).toMatchObject({ produced: 49_000, mirrored: 49_000, indexed: 49_000, lost: 0, reordered: 0, altered: 0 });
    const steps = Object.fromEntries(report.steps.map((s: { name: string; verdict: string }) => [s.name, s.verdict]));
    expect(steps).toMatchObject({ 'link-cut': 'passed', 'connect-kill': 'passed', 'connect-pause': 'passed' });
    expect(report.faults.map((f: { kind: string }) => f.kind)).toEqual(['link-cut', 'connect-kill', 'connect-pause']);
    for (const f of report.faults) expect(f.to - f.from).toBeGreaterThanOrEqual(8000);
    // each fault's proof, read back from its target: both ends of the link down then up, the JVM
    // SIGKILLed (137) then running as a new process, stopped (state T) then continued
    const [cut, kill, pause] = report.faults.map((f: { evidence: string[] }) => f.evidence.join('\n'));
    expect(cut).toMatch(/:eth\d+ down, qdisc .*\n.*:eth\d+ down,/);
    expect(cut).toMatch(/:eth\d+ up, qdisc /);
    expect(kill).toMatch(/connect-1: pid \d+ \(started .*\) SIGKILLed, exited 137\n.*connect-1: running again as pid \d+/);
    expect(pause).toMatch(
      /connect-1: pid \d+ stopped \(SIGSTOP; \/proc state T\)\n.*connect-1: pid \d+ continued \(SIGCONT; \/proc state [RS]\)/,
    );
    // the load ran through every fault (or the verdict would have said the fault was not tested)
    expect(report.steps.find((s: { name: string }) => s.name === 'verify-v1').verdict).toBe('passed');
    // the link cut really held records back: records produced during the faults waited, later ones less
    expect(report.latency.maxMs).toBeGreaterThan(5000);
    expect(report.latencyByPhase.during.maxMs).toBeGreaterThan(5000);
    expect(report.latencyByPhase.during.count + report.latencyByPhase.after.count).toBeGreaterThan(0);
    // the mirror drained what the faults held back, after the last undo
    expect(report.catchUp.backlog).toBeGreaterThan(0);
    expect(report.catchUp.seconds).toBeGreaterThan(0);

    // undone for real: the Connect worker runs again and every wan interface is up
    const connect = await docker.getContainer(`kafka-lab-${LAB_ID}-connect-1`).inspect();
    expect(connect.State.Running).toBe(true);
    const wan = await docker.getNetwork(networkName(LAB_ID, 'wan')).inspect();
    for (const c of Object.values(wan.Containers ?? {}) as { Name: string }[]) {
      const links = await execIn(docker, c.Name, ['ip', '-o', 'link', 'show']);
      expect(links.output, c.Name).not.toMatch(/state DOWN/);
    }
    // done with: the labs of the tests below then have the machine's two cores to themselves
    await teardownLab(docker, LAB_ID);
  }, 900_000);

  it('runs the placement experiment: the same fault with Connect downstream and upstream, one row each', async () => {
    // its labs sit at their own port offset, clear of this file's kept lab
    const r = await runLab(
      ['experiment', 'placement', '--trials', '1', '--port-offset', String(PORT_OFFSETS.placement), '--fault', 'link-cut:5', '--json'],
      {},
      1_200_000,
    );
    expect(r.code, r.stderr.slice(-2000)).toBe(0);
    const series = jsonOf(r);
    expect(series.kind).toBe('placement');
    // one child workflow per trial, each placement on its own lab and ports
    expect(series.runs.map((t: { label: string; workflowId: string }) => [t.label, t.workflowId])).toEqual([
      ['downstream-1', `${series.workflowId}-downstream-1`],
      ['upstream-1', `${series.workflowId}-upstream-1`],
    ]);
    expect(series.runs.map((t: { input: { portOffset: number } }) => t.input.portOffset)).toEqual([
      PORT_OFFSETS.placement,
      PORT_OFFSETS.placement + 100,
    ]);
    for (const t of series.runs) {
      // 500 messages a second for 5 + 5 + 10 s, two generations; a 5 s cut is well inside the producers' timeouts
      expect(t.report.accounting, JSON.stringify(t)).toMatchObject({ produced: 20_000, lost: 0, reordered: 0 });
      expect(t.report.latencyByPhase.during.count).toBeGreaterThan(0);
    }
  }, 1_200_000);

  it('fills the disk of, kills, then pauses past its session timeout, an upstream broker of chapter (3 brokers, replication factor 3) during the load and loses nothing', async () => {
    const lab = ['--lab-id', BROKER_KILL_LAB, '--port-offset', String(PORT_OFFSETS.brokerKill), '--topology', 'chapter'];
    // killed before the test's own timeout, so a drill that overran still shows how far it got
    const r = await runLab(
      ['drill', ...lab, '--keep', '--json', '--fault', 'disk-full:15', '--fault', 'broker-kill:8', '--fault', 'broker-pause:12'],
      {},
      1_080_000,
    );
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(report.steps.find((s: { name: string }) => s.name === 'broker-kill').verdict).toBe('passed');
    expect(report.steps.find((s: { name: string }) => s.name === 'broker-pause').verdict).toBe('passed');
    const { produced } = report.accounting;
    expect(produced).toBeGreaterThan(0);
    expect(report.accounting).toMatchObject({ mirrored: produced, indexed: produced, lost: 0, altered: 0, missingInIndex: 0 });
    const [full, fault, pause] = report.faults;
    // first (a broker serving its replicas), its disk filled to the last byte: Kafka took the log
    // directory offline and halted the broker
    expect(report.steps.find((s: { name: string }) => s.name === 'disk-full').verdict).toBe('passed');
    const disk = full.evidence.join('\n');
    expect(disk).toMatch(/up-kafka-1: log directory full \(\d+ KB, \d+ used, 0 free \(100%\)\)/);
    expect(disk).toMatch(/up-kafka-1: disk freed/);
    expect(disk).toMatch(/up-kafka-1 (had halted \(exited \d+\)|kept running with its log directory offline)/);
    expect(disk).toMatch(/up-kafka-1: running again as pid \d+/);
    expect(fault).toMatchObject({ kind: 'broker-kill' });
    // stopped for longer than KRaft's broker session (9 s): fenced, then back with its old state
    expect(pause).toMatchObject({ kind: 'broker-pause' });
    expect(pause.evidence.join('\n')).toMatch(/up-kafka-1: pid \d+ stopped \(SIGSTOP; \/proc state T\)/);
    expect(pause.to - pause.from).toBeGreaterThanOrEqual(12_000);
    expect(fault.to - fault.from).toBeGreaterThanOrEqual(8000);
    // killed and started again for real: the broker's container started after the kill, and its
    // cluster has every replica of the drill's topic back in sync
    const broker = await docker.getContainer(`kafka-lab-${BROKER_KILL_LAB}-up-kafka-1`).inspect();
    expect(broker.State.Running).toBe(true);
    expect(Date.parse(broker.State.StartedAt)).toBeGreaterThan(fault.from);
    const admin = kafkaClient([`127.0.0.1:${kafkaHostPort('upstream', 1, PORT_OFFSETS.brokerKill)}`], 'it-broker-kill').admin();
    await admin.connect();
    try {
      const { topics } = await admin.fetchTopicMetadata({ topics: [report.config.topic] });
      for (const p of topics[0].partitions) expect(p.isr.length, `partition ${p.partitionId}`).toBe(3);
    } finally {
      await admin.disconnect();
    }
  }, 1_200_000);

  it.each(PRODUCER_ENGINES)(
    "the drill's producer (%s) writes every acknowledged message when a partition's leader moves mid-send (kafkajs#1798)",
    async (engine) => {
      // The chapter lab of the broker-kill test (reused when kept, provisioned otherwise). One lane
      // sends to two partitions led by different brokers; partition b's leadership is then moved to
      // a's leader. kafkajs 2.2.4 resolves the send that meets NOT_LEADER without writing b's batch;
      // sendAcknowledged must notice and send it again, so the topic holds each message once.
      // librdkafka retries the batch itself: the topic must hold each message once as well.
      const t = testTopology({ topology: 'chapter', labId: BROKER_KILL_LAB, portOffset: PORT_OFFSETS.brokerKill });
      const { endpoints } = await provisionLab(docker, t, { log: testLog });
      const bootstrap = endpoints.clusters.upstream.bootstrap;
      const topic = `it-leader-move-${engine}-${Date.now()}`;
      const admin = kafkaClient(bootstrap, 'it-leader-move').admin();
      await admin.connect();
      try {
        // the drill's own activity: it waits until every partition's leader serves it
        await createTopic({ bootstrap, topic, partitions: 3, replicationFactor: 3 });
        // the broker this admin asks may learn of the topic a moment after its leaders serve it
        const partitions = await waitFor("the topic's partitions are listed", () =>
          admin.fetchTopicMetadata({ topics: [topic] }).then(
            (m) => m.topics[0].partitions,
            () => undefined,
          ),
        );
        const leaders = new Map(partitions.map((p) => [p.partitionId, p.leader]));
        const [a, b] = [0, 1, 2].flatMap((x) => [0, 1, 2].map((y) => [x, y])).find(([x, y]) => leaders.get(x) !== leaders.get(y))!;
        const [y, x] = [leaders.get(a)!, leaders.get(b)!];
        const z = [1, 2, 3].find((n) => n !== x && n !== y)!;

        const count = 12_000; // seqs 0..11999 over 3 partitions: 4,000 each for a and b
        const runId = `leader-move-${Date.now()}`;
        let acked = 0;
        let resent = 0;
        const lane = runLane(
          {
            bootstrap,
            topic,
            runId,
            generation: 1,
            schema: JSON.stringify(STUDENT_SCHEMA_V1),
            schemaId: 1,
            firstSeq: 0,
            count,
            partitions: 3,
            partitionsOfLane: [a, b],
            done: SeqBits.shared(0, count).buffer as SharedArrayBuffer,
            rate: 400,
            producer: engine,
          },
          (p) => {
            acked += p.acked ?? 0;
            resent += p.resent ?? 0;
          },
        );
        await waitFor('the load has begun', async () => (acked >= 1000 ? true : undefined));
        await admin.alterPartitionReassignments({ topics: [{ topic, partitionAssignment: [{ partition: b, replicas: [y, z] }] }] });
        await waitFor(`partition ${b} is led by broker ${y}`, async () => {
          const { topics } = await admin.fetchTopicMetadata({ topics: [topic] });
          return topics[0].partitions.find((p) => p.partitionId === b)?.leader === y ? true : undefined;
        });
        await lane;
        expect(acked).toBe(8000);

        const seen = new Map<number, number>();
        await scanRunRecords(kafkaClient(bootstrap, 'it-leader-move'), topic, { 0: '0', 1: '0', 2: '0' }, runId, (r) =>
          seen.set(r.seq, (seen.get(r.seq) ?? 0) + 1),
        );
        const missing = [...Array(count).keys()].filter((q) => [a, b].includes(q % 3) && !seen.has(q));
        expect(missing.length, `missing e.g. ${missing.slice(0, 5).join(', ')} (resent ${resent})`).toBe(0);
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        // The move really met a send in flight: kafkajs left a batch unwritten, and it was sent again.
        if (engine === 'kafkajs') expect(resent).toBeGreaterThan(0);
      } finally {
        await admin.disconnect();
      }
    },
    600_000,
  );

  it('refuses, before anything runs, a broker kill that would take a one-broker cluster down, and an unknown fault', async () => {
    const kill = await runLab(['drill', ...LAB, '--fault', 'broker-kill']);
    expect(kill.code).toBe(2);
    expect(kill.stderr.trim()).toBe(
      "error: broker-kill would take the upstream cluster's only copy of the topic down (1 broker(s), replication factor 1) (fix: use --topology chapter (3 brokers per cluster, replication factor 3))",
    );
    const unknown = await runLab(['drill', ...LAB, '--fault', 'disk-crash:10']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim()).toBe(
      'error: --fault disk-crash is not a fault this drill knows (fix: use one of broker-kill, connect-kill, broker-pause, connect-pause, link-cut, link-degrade, disk-full)',
    );
  });

  it('degrades the link through the link proxy on any Docker host: the records produced during the fault wait at least its delay longer', async () => {
    const r = await runLab(['drill', ...LAB, '--keep', '--json', '--fault', 'link-degrade:20'], {}, 900_000);
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(report.accounting.lost).toBe(0);
    // a drill that degrades the link puts Toxiproxy in it (--link-shaper auto)
    expect(report.steps[0].summary).toMatch(/link through Toxiproxy: no WAN profile, Kafka round trip \d+ ms/);
    const [fault] = report.faults;
    const proof = fault.evidence.join('\n');
    // each proxy across the link (one per remote broker, and the probe) holds the delay and the cap, both ways
    for (const proxy of ['up-kafka-1', 'probe']) {
      const line = proof.split('\n').find((l: string) => l.startsWith(`link-proxy ${proxy} (up-kafka-1:9095): upstream delay`));
      expect(line, proof).toMatch(
        /upstream delay 50±10 ms; upstream bandwidth rate 1250; downstream delay 50±10 ms; downstream bandwidth rate 1250$/,
      );
    }
    // crossing the degraded link twice costs at least twice the delay less the jitter
    const roundTrip = Number(/a Kafka round trip across the link: (\d+) ms/.exec(proof)![1]);
    expect(roundTrip).toBeGreaterThanOrEqual(80);
    expect(proof).toMatch(/loss 1% not applied/);
    // undone: the proxies hold no toxic of ours again
    expect(proof).toMatch(/link-proxy up-kafka-1 \(up-kafka-1:9095\): no toxics/);
    const { during, after } = report.latencyByPhase;
    expect(during.count).toBeGreaterThan(0);
    expect(during.p50Ms, JSON.stringify(report.latencyByPhase)).toBeGreaterThanOrEqual(after.p50Ms + 50);
  }, 900_000);

  it('cuts the link one way, then the other (asymmetric partitions through the link proxy): records wait, none is lost', async () => {
    const r = await runLab(
      [
        'drill',
        ...LAB,
        '--keep',
        '--json',
        '--fault',
        'link-cut@upstream-to-downstream:10',
        '--fault',
        'link-cut@downstream-to-upstream:10',
      ],
      {},
      900_000,
    );
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    expect(report.accounting).toMatchObject({ lost: 0, reordered: 0, altered: 0 });
    const [answers, requests] = report.faults.map((f: { evidence: string[] }) => f.evidence.join('\n'));
    // Connect is downstream: its fetches go up as the proxy's upstream stream, the records come back down
    expect(answers).toMatch(/^upstream-to-downstream only\n/);
    expect(answers).toMatch(/link-proxy up-kafka-1 \(up-kafka-1:9095\): downstream held \(nothing passes\)/);
    expect(requests).toMatch(/link-proxy up-kafka-1 \(up-kafka-1:9095\): upstream held \(nothing passes\)/);
    for (const proof of [answers, requests]) {
      expect(proof).toMatch(/a Kafka request across the link: no answer in 3000 ms/);
      // undone: a plain link again, and requests answered
      expect(proof).toMatch(/link-proxy up-kafka-1 \(up-kafka-1:9095\): no toxics/);
      expect(proof).toMatch(/a Kafka round trip across the link: \d+ ms/);
    }
    // each direction alone stopped the mirror: records produced during the cuts waited for them
    expect(report.latencyByPhase.during.maxMs).toBeGreaterThan(5000);
  }, 900_000);

  it('runs a drill over a standing WAN of 50 ms each way: every record crosses it, so replication takes at least 50 ms', async () => {
    const r = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--wan-latency', '50ms', '--wan-jitter', '5ms', '--wan-bandwidth', '100mbit'],
      {},
      900_000,
    );
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('passed');
    const summary = report.steps[0].summary;
    expect(summary).toMatch(/link through Toxiproxy: 50±5 ms each way, 100 Mbit\/s per connection, Kafka round trip \d+ ms/);
    expect(Number(/Kafka round trip (\d+) ms/.exec(summary)![1])).toBeGreaterThanOrEqual(90);
    expect(report.latency.p50Ms).toBeGreaterThanOrEqual(50);
  }, 900_000);

  it('fails the latency gate when the link is too thin for the load: the mirror cannot keep up, exit 1', async () => {
    // 0.4 Mbit/s per connection moves about 2,000 of these records a second, half the load; a
    // megabyte fetch still crosses it inside MirrorMaker 2's 30 s request timeout
    const r = await runLab(
      ['drill', ...LAB, '--keep', '--json', '--wan-bandwidth', '0.4mbit', '--rate', '4000', '--fault', 'link-cut:5'],
      {},
      900_000,
    );
    const report = jsonOf(r);
    expect(report.verdict, r.stderr.slice(-2000)).toBe('failed');
    expect(r.code).toBe(1);
    expect(report.failedStep).toBe('verify-v1');
    const verify = report.steps.find((s: { name: string }) => s.name === 'verify-v1');
    expect(verify.error.message).toMatch(
      /^verify-v1: the mirror drained the faults' backlog of \d+ records at \d+ msg\/s, below the load's 4000 msg\/s: it cannot keep up$/,
    );
    // nothing was lost: the mirror is slow, not broken
    expect(report.accounting.lost).toBe(0);
    expect(report.catchUp.drainPerSecond).toBeLessThan(4000);
  }, 900_000);

  it.skipIf(localKernelHasNetem() !== false)(
    'refuses link-degrade with --link-shaper netem where the kernel has no netem, before anything runs (skipped where it has netem)',
    async () => {
      const r = await runLab(['drill', ...LAB, '--link-shaper', 'netem', '--fault', 'link-degrade:8']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /link-degrade with --link-shaper netem needs the netem qdisc \(CONFIG_NET_SCH_NETEM\), which this Docker host's kernel lacks \(fix: use --link-shaper proxy/,
      );
    },
  );
});
