import { createServer, type Server } from 'node:net';
import type Docker from 'dockerode';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureNodeContainer } from '../../src/docker/containers';
import { ComponentUnhealthyError, ImageMissingError, PortInUseError } from '../../src/errors';
import { planLab } from '../../src/lab/plan';
import { provisionLab } from '../../src/lab/provision';
import { teardownLab } from '../../src/lab/teardown';
import { runLab, jsonOf } from '../helpers/cli';
import { connectDocker, leftovers, testLog, testTopology } from '../helpers/lab';
import { PORT_OFFSETS } from '../helpers/ports';
import { kafkaHostPort } from '../../src/domain/ports';

describe('lab faults: one clear line, nothing left behind', () => {
  let docker: Docker;
  beforeAll(async () => {
    docker = await connectDocker();
  });

  describe('a host port already in use', () => {
    const t = testTopology({ topology: 'lite', labId: 'it-port', portOffset: PORT_OFFSETS.portInUse });
    let blocker: Server;
    beforeAll(async () => {
      blocker = createServer();
      await new Promise<void>((r) => blocker.listen(kafkaHostPort('downstream', 0, PORT_OFFSETS.portInUse), '127.0.0.1', () => r()));
    });
    afterAll(async () => {
      blocker.close();
      await teardownLab(docker, t.labId);
    });

    it('fails with PortInUseError naming the port, and removes what it had created', async () => {
      const err = await provisionLab(docker, t, { log: testLog }).catch((e) => e);
      expect(err).toBeInstanceOf(PortInUseError);
      expect(err.oneLine()).toMatch(/127\.0\.0\.1:30192 for down-kafka-1 is already in use.*--port-offset/);
      expect(await leftovers(docker, t.labId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    });
  });

  describe('a component that never becomes healthy', () => {
    // A heap Java refuses to start with: the broker exits at once, for real.
    const t = {
      ...testTopology({ topology: 'lite', labId: 'it-unhealthy', portOffset: PORT_OFFSETS.unhealthy }),
      heap: { kafka: '-Xmx1k', connect: '-Xmx256m', elasticsearch: '-Xms256m -Xmx256m' },
    };
    afterAll(() => teardownLab(docker, t.labId));

    it('fails early with the container log and tears the half-built lab down', async () => {
      const err = await provisionLab(docker, t, { log: testLog }).catch((e) => e);
      expect(err).toBeInstanceOf(ComponentUnhealthyError);
      expect(err.message).toMatch(/kafka-lab-it-unhealthy-(up|down)-kafka-1 did not become healthy .*exited with code/);
      expect(err.message).toMatch(/heap/i);
      expect(await leftovers(docker, t.labId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    });

    it('keeps the containers for inspection when asked', async () => {
      await provisionLab(docker, t, { log: testLog, keepOnFailure: true }).catch(() => undefined);
      expect((await leftovers(docker, t.labId)).containers).toBeGreaterThan(0);
      await teardownLab(docker, t.labId);
      expect(await leftovers(docker, t.labId)).toEqual({ containers: 0, networks: 0, volumes: 0 });
    });
  });

  it('a missing image is named with the command that makes it', async () => {
    const t = testTopology({ topology: 'lite', labId: 'it-image', portOffset: PORT_OFFSETS.imageMissing });
    const node = { ...planLab(t).nodes[0], image: 'kafka-lab/not-built:0' };
    const err = await ensureNodeContainer(docker, node, { labels: {}, bindAddress: '127.0.0.1', imageSource: 'built' }).catch((e) => e);
    expect(err).toBeInstanceOf(ImageMissingError);
    expect(err.oneLine()).toBe('image kafka-lab/not-built:0 is missing (fix: run `npx lab images build`)');
  });

  describe('the CLI', () => {
    it('exits 3 with one line when Docker is not reachable', async () => {
      const r = await runLab(['status', '--json'], { DOCKER_HOST: 'tcp://127.0.0.1:1' });
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^error: Docker engine not reachable at tcp:\/\/127\.0\.0\.1:1 \(fix: .*\)$/),
      ]);
      expect(jsonOf(r).error.type).toBe('DockerUnreachable');
    });

    it('exits 3 with one line when the Temporal server given does not answer', async () => {
      const r = await runLab(['report', 'some-drill', '--json'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
      expect(r.code).toBe(3);
      expect(r.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(/^error: Temporal server not reachable at 127\.0\.0\.1:1: connection refused \(fix: .*\)$/),
      ]);
      expect(jsonOf(r).error.type).toBe('TemporalUnreachable');
    });

    it('exits 2 on usage errors: an unknown command, a missing schedule name, a target file that is not there', async () => {
      expect((await runLab(['frobnicate'])).code).toBe(2);
      const noName = await runLab(['schedule', 'trigger'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
      expect(noName.code).toBe(2);
      const target = await runLab(['drill', '--target', '/nonexistent/target.yaml']);
      expect(target.code).toBe(2);
      expect(target.stderr).toMatch(/cannot read target file \/nonexistent\/target\.yaml: ENOENT/);
    });

    it('lab drill exits 2 with one line on a bad lab or schema, before Temporal starts', async () => {
      // TEMPORAL_ADDRESS points nowhere: reaching Temporal would exit 3, so exit 2 proves the order
      const nowhere = { TEMPORAL_ADDRESS: '127.0.0.1:1' };
      const cases: [string[], RegExp][] = [
        [['--topology', 'huge'], /unknown topology "huge"/],
        [['--images', 'docker-hub'], /unknown image source "docker-hub"/],
        [['--connect-placement', 'sideways'], /unknown Connect placement "sideways"/],
        [['--lab-id', 'Bad Id'], /lab id "Bad Id" is not a short lowercase name/],
        [['--schema-v2', 'package.json'], /--schema-v2 package\.json is not an Avro record schema/],
      ];
      for (const [args, message] of cases) {
        const r = await runLab(['drill', ...args], nowhere);
        expect(r.code, args.join(' ')).toBe(2);
        expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(message)]);
      }
    });

    it('exits 2 on an invalid topology before touching Docker', async () => {
      const r = await runLab(['up', '--topology', 'lite', '--replication-factor', '3', '--lab-id', 'it-invalid']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/invalid topology: replication factor 3 is above the broker count \(1 in the smaller cluster\) \(fix: /);
      expect(await leftovers(docker, 'it-invalid')).toEqual({ containers: 0, networks: 0, volumes: 0 });
    });

    it('exits 2 on an unknown component', async () => {
      const r = await runLab(['up', '--components', 'schema-registry,cmak', '--lab-id', 'it-invalid']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/unknown component "cmak"/);
    });

    it('reports a lab that is down with exit code 1 and an empty component list', async () => {
      const r = await runLab(['status', '--lab-id', 'it-nothing-here', '--json']);
      expect(r.code).toBe(1);
      expect(jsonOf(r)).toMatchObject({ labId: 'it-nothing-here', state: 'down', components: [] });
    });
  });
});
