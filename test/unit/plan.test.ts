import { describe, expect, it } from 'vitest';
import { ELASTICSEARCH_C2_FROM_MESSAGES, TOPOLOGIES } from '../../src/domain/topology';
import { planLab } from '../../src/lab/plan';
import { streamFrom } from '../../src/lab/link-proxy';
import { drillTopology } from '../../src/domain/drill-lab';
import { isInputProblem } from '../../src/domain/input-problem';
import { isTopologyProblem } from '../../src/domain/resolve-topology';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';

describe('planLab', () => {
  it('puts Connect and the remote brokers on the link network, and nothing else', () => {
    const plan = planLab(TOPOLOGIES.chapter);
    const onWan = plan.nodes.filter((n) => n.networks.includes('kafka-lab-default-wan')).map((n) => n.node);
    expect(onWan.sort()).toEqual(['connect-1', 'connect-2', 'connect-3', 'up-kafka-1', 'up-kafka-2', 'up-kafka-3']);
    expect(plan.nodes.filter((n) => n.role === 'broker')).toHaveLength(6);
  });

  it('moves the link to the downstream brokers when Connect sits upstream', () => {
    const plan = planLab({ ...TOPOLOGIES.lite, connect: { workers: 1, placement: 'upstream' } });
    const onWan = plan.nodes.filter((n) => n.networks.some((x) => x.endsWith('-wan'))).map((n) => n.node);
    expect(onWan.sort()).toEqual(['connect-1', 'down-kafka-1']);
  });

  it('with the link proxy, only the proxy and Connect are on the link: the remote brokers advertise the proxy for the other side', () => {
    const plan = planLab({ ...TOPOLOGIES.chapter, wan: { proxy: true, profile: { delayMs: 50, jitterMs: 5 } } });
    const onWan = plan.nodes.filter((n) => n.networks.includes('kafka-lab-default-wan')).map((n) => n.node);
    expect(onWan.sort()).toEqual(['connect-1', 'connect-2', 'connect-3', 'link-proxy']);
    const proxy = plan.nodes.find((n) => n.role === 'link-proxy')!;
    expect(proxy.networks).toEqual(['kafka-lab-default-upstream', 'kafka-lab-default-wan']);
    expect(JSON.parse(proxy.files[0].content!)).toEqual([
      { name: 'up-kafka-1', listen: '0.0.0.0:10092', upstream: 'up-kafka-1:9095', enabled: true },
      { name: 'up-kafka-2', listen: '0.0.0.0:10093', upstream: 'up-kafka-2:9095', enabled: true },
      { name: 'up-kafka-3', listen: '0.0.0.0:10094', upstream: 'up-kafka-3:9095', enabled: true },
      { name: 'probe', listen: '0.0.0.0:10091', upstream: 'up-kafka-1:9095', enabled: true },
    ]);
    const props = plan.nodes.find((n) => n.node === 'up-kafka-2')!.files.find((f) => f.path.endsWith('server.properties'))!.content!;
    expect(props).toMatch(/^listeners=.*,LINK:\/\/0\.0\.0\.0:9095$/m);
    expect(props).toMatch(/^advertised\.listeners=.*,LINK:\/\/link-proxy:10093$/m);
    // MirrorMaker 2 reads the upstream cluster through the proxy; downstream stays local
    expect(plan.endpoints.clusters.upstream.internalBootstrap).toEqual(['link-proxy:10092', 'link-proxy:10093', 'link-proxy:10094']);
    expect(plan.endpoints.clusters.downstream.internalBootstrap).toEqual(['down-kafka-1:9092', 'down-kafka-2:9092', 'down-kafka-3:9092']);
    expect(plan.endpoints.linkProxy).toEqual({ apiUrl: 'http://127.0.0.1:18474', probe: '127.0.0.1:18475' });
    // the local brokers have no link listener
    const local = plan.nodes.find((n) => n.node === 'down-kafka-1')!.files.find((f) => f.path.endsWith('server.properties'))!.content!;
    expect(local).not.toContain('LINK');
  });

  it("gives a disk-full drill's broker a small disk of its own, held by a container of its own, and its metadata log apart", () => {
    const c = resolveDrillInput({ topology: 'chapter', faults: { inject: [{ kind: 'disk-full', index: 2 }] } });
    if (isInputProblem(c)) throw new Error(c.problem);
    const t = drillTopology(c);
    if (isTopologyProblem(t)) throw new Error(t.problem);
    expect(t.cappedDisks).toEqual([{ dc: 'upstream', index: 1 }]);
    const plan = planLab(t);
    const broker = plan.nodes.find((n) => n.node === 'up-kafka-2')!;
    const disk = { volume: 'kafka-lab-default-up-kafka-2-data', sizeMb: 256 };
    expect(broker.mounts).toEqual([{ ...disk, target: '/var/lib/kafka/data' }]);
    const props = broker.files.find((f) => f.path.endsWith('server.properties'))!.content!;
    expect(props).toMatch(/^log\.dirs=\/var\/lib\/kafka\/data$/m);
    expect(props).toMatch(/^metadata\.log\.dir=\/var\/lib\/kafka\/meta$/m);
    const holder = plan.nodes.find((n) => n.node === 'up-kafka-2-disk')!;
    expect(holder).toMatchObject({ role: 'disk', mounts: [{ ...disk, target: '/disk' }], ports: [] });
    // the other brokers write into their containers, as before
    const other = plan.nodes.find((n) => n.node === 'up-kafka-1')!;
    expect(other.mounts).toBeUndefined();
    expect(other.files.find((f) => f.path.endsWith('server.properties'))!.content).not.toContain('metadata.log.dir');
  });

  it('puts the link proxy in a drill that cuts the link one way, and knows which stream carries each direction', () => {
    const oneWay = resolveDrillInput({ faults: { inject: [{ kind: 'link-cut', direction: 'downstream-to-upstream' }] } });
    const both = resolveDrillInput({ faults: { inject: [{ kind: 'link-cut' }] } });
    if (isInputProblem(oneWay) || isInputProblem(both)) throw new Error('input');
    expect(drillTopology(oneWay)).toMatchObject({ wan: { proxy: true } });
    expect(drillTopology(both)).toMatchObject({ wan: { proxy: false } });
    // Connect downstream: the proxy's clients are downstream, the brokers behind it upstream
    expect(streamFrom('upstream', 'upstream')).toBe('downstream');
    expect(streamFrom('downstream', 'upstream')).toBe('upstream');
    expect(streamFrom('upstream', 'downstream')).toBe('upstream');
  });

  it("compiles Elasticsearch's server for the drill's load: C1 for a short drill, C2 for millions", () => {
    const esOpts = (messages: number) => {
      const c = resolveDrillInput({ messages });
      if (isInputProblem(c)) throw new Error(c.problem);
      const t = drillTopology(c);
      if (isTopologyProblem(t)) throw new Error(t.problem);
      return planLab(t).nodes.find((n) => n.node === 'elasticsearch')!.env.ES_JAVA_OPTS;
    };
    expect(esOpts(100)).toContain('-XX:TieredStopAtLevel=1');
    expect(esOpts(ELASTICSEARCH_C2_FROM_MESSAGES - 1)).toContain('-XX:TieredStopAtLevel=1');
    expect(esOpts(ELASTICSEARCH_C2_FROM_MESSAGES)).not.toContain('TieredStopAtLevel');
    // both skip verifying the distribution's own bytecode, and keep the heap
    for (const m of [100, 1_000_000]) expect(esOpts(m)).toMatch(/^-Xms512m -Xmx512m .*-XX:-BytecodeVerificationRemote$/);
    // a lab brought up alone starts quickly, like a short drill's
    expect(planLab(TOPOLOGIES.lite).nodes.find((n) => n.node === 'elasticsearch')!.env.ES_JAVA_OPTS).toBe(esOpts(100));
  });

  it('publishes every port on 127.0.0.1 with the offset, and advertises it to clients', () => {
    const plan = planLab({ ...TOPOLOGIES.lite, portOffset: 100 });
    expect(plan.endpoints.clusters.upstream.bootstrap).toEqual(['127.0.0.1:19192']);
    expect(plan.endpoints.clusters.downstream.internalBootstrap).toEqual(['down-kafka-1:9092']);
    const broker = plan.nodes.find((n) => n.node === 'up-kafka-1')!;
    const props = broker.files.find((f) => f.path.endsWith('server.properties'))!.content!;
    expect(props).toContain('EXTERNAL://127.0.0.1:19192');
    expect(props).toContain('controller.quorum.voters=1@up-kafka-1:9093');
    expect(plan.endpoints.schemaRegistry?.url).toBe('http://127.0.0.1:18181/apis/ccompat/v7');
  });

  it('sizes internal topics to the replication factor', () => {
    const plan = planLab(TOPOLOGIES.chapter);
    const connect = plan.nodes.find((n) => n.role === 'connect')!;
    const props = connect.files.find((f) => f.path.endsWith('connect-distributed.properties'))!.content!;
    expect(props).toContain('config.storage.replication.factor=3');
    expect(props).toContain('bootstrap.servers=down-kafka-1:9092,down-kafka-2:9092,down-kafka-3:9092');
  });

  it('gives Prometheus every broker and worker as a target', () => {
    const plan = planLab(TOPOLOGIES.chapter);
    const prom = plan.nodes.find((n) => n.role === 'prometheus')!.files[0].content!;
    for (const n of ['up-kafka-3:7071', 'down-kafka-1:7071', 'connect-2:7071']) expect(prom).toContain(n);
  });
});

describe('planLab per Kafka version', () => {
  const kafkaNodes = (version: '3.9.1' | '4.3.0', images: 'built' | 'official' = 'built') =>
    planLab({ ...TOPOLOGIES.lite, kafkaVersion: version, images }).nodes.filter((n) => n.role === 'broker' || n.role === 'connect');

  it('runs brokers and Connect from the image of the version asked for', () => {
    expect(new Set(kafkaNodes('3.9.1').map((n) => n.image))).toEqual(new Set(['kafka-lab/kafka:3.9.1']));
    expect(new Set(kafkaNodes('4.3.0').map((n) => n.image))).toEqual(new Set(['kafka-lab/kafka:4.3.0']));
    expect(new Set(kafkaNodes('4.3.0', 'official').map((n) => n.image))).toEqual(new Set(['apache/kafka:4.3.0']));
  });

  it('gives 3.9 its log4j 1 config and 4.x its log4j2 config, and tells start.sh which', () => {
    for (const n of kafkaNodes('3.9.1')) {
      expect(n.env.LAB_LOG_OPTS).toBe('-Dlog4j.configuration=file:/etc/kafka-lab/log4j.properties');
      expect(n.files.map((f) => f.path)).toContain('/etc/kafka-lab/log4j.properties');
    }
    for (const n of kafkaNodes('4.3.0')) {
      expect(n.env.LAB_LOG_OPTS).toBe('-Dlog4j2.configurationFile=/etc/kafka-lab/log4j2.yaml');
      const files = n.files.map((f) => f.path);
      expect(files).toContain('/etc/kafka-lab/log4j2.yaml');
      expect(files).not.toContain('/etc/kafka-lab/log4j.properties');
    }
  });

  it('keeps the broker and Connect properties the same on both versions (KRaft, no removed settings)', () => {
    const props = (version: '3.9.1' | '4.3.0') =>
      kafkaNodes(version).map((n) => n.files.find((f) => f.path.endsWith('.properties') && !f.path.includes('log4j'))!.content);
    expect(props('4.3.0')).toEqual(props('3.9.1'));
  });
});

describe('planLab with official images', () => {
  const plan = planLab({ ...TOPOLOGIES.lite, images: 'official' });

  it('uses the public images with the same config files and ports', () => {
    const broker = plan.nodes.find((n) => n.node === 'up-kafka-1')!;
    expect(broker.image).toBe('apache/kafka:3.9.1');
    expect(broker.cmd).toEqual(['/etc/kafka-lab/start.sh', 'broker']);
    expect(broker.files.map((f) => f.path)).toContain('/opt/jmx/jmx_prometheus_javaagent.jar');
    expect(plan.endpoints.schemaRegistry?.url).toBe('http://127.0.0.1:18081');
  });

  it('wires the dashboards into Grafana, Elasticsearch into Kibana, and both clusters into the Kafka UI', () => {
    const grafana = plan.nodes.find((n) => n.node === 'grafana')!;
    expect(grafana.files.map((f) => f.path)).toEqual(
      expect.arrayContaining([
        '/etc/grafana/provisioning/datasources/kafka-lab.yml',
        '/var/lib/grafana/dashboards/kafka-lab/kafka-lab-brokers.json',
        '/var/lib/grafana/dashboards/kafka-lab/kafka-lab-mirrormaker.json',
      ]),
    );
    expect(plan.nodes.find((n) => n.node === 'kibana')!.env.ELASTICSEARCH_HOSTS).toBe('http://elasticsearch:9200');
    const ui = plan.nodes.find((n) => n.node === 'kafka-ui')!;
    expect(ui.env).toMatchObject({
      KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS: 'up-kafka-1:9092',
      KAFKA_CLUSTERS_1_KAFKACONNECT_0_ADDRESS: 'http://connect-1:8083',
    });
  });

  it('adds none of them to a built lab', () => {
    expect(planLab(TOPOLOGIES.lite).nodes.some((n) => n.role === 'viewer')).toBe(false);
  });
});
