import { bundleApps } from '../src/apps/bundle';
import { basicAuth, httpAuthHeaders, kafkaAccessOptions } from '../src/config/credentials';
import type { HttpAccess, KafkaAccess } from '../src/domain/access';
import type { AppCredentials } from '../src/apps/app-env';
import { connectDocker } from '../src/docker/docker-client';
import { ensureNodeContainer } from '../src/docker/containers';
import { labLabels } from '../src/docker/labels';
import type { LabEndpoints } from '../src/domain/endpoints';
import type { DrillConfig } from '../src/domain/drill';
import { ComponentUnhealthyError } from '../src/errors';
import { appProbe } from '../src/lab/health/probes';
import { safeProbe } from '../src/lab/health/probe';
import { planApps } from '../src/lab/apps-plan';
import { sleep } from '../src/util/sleep';

/** The apps' credentials, resolved here from the target's references, for a file in their container. */
function appCredentials(
  kafka: KafkaAccess | undefined,
  side: string,
  es: HttpAccess | undefined,
  sr: HttpAccess | undefined,
): AppCredentials {
  const k = kafkaAccessOptions(kafka, side);
  return {
    kafkaSasl: k.sasl as AppCredentials['kafkaSasl'],
    kafkaTls: k.ssl,
    schemaRegistryAuth: basicAuth(sr),
    elasticsearchAuthorization: httpAuthHeaders(es, 'Elasticsearch').authorization,
  };
}

const CREDENTIALS_FILE = '/run/kafka-lab/credentials.json';

export interface AppsOutput {
  apps: { name: string; metricsUrl: string; detail: string }[];
}

/**
 * The chapter's consumer-1 and consumer-2 as running services. A provisioned lab started them
 * with the lab; against existing clusters they start here, on the host network.
 */
export async function startApps(input: { config: DrillConfig; endpoints: LabEndpoints }): Promise<AppsOutput> {
  const { config: c, endpoints: e } = input;
  let apps = e.apps ?? [];
  if (c.mode === 'attach') {
    bundleApps();
    const docker = await connectDocker();
    const nodes = planApps({
      labId: c.labId,
      images: c.images as 'built' | 'official',
      topic: c.topic,
      mirroredTopic: c.mirroredTopic,
      upstreamBootstrap: e.clusters.upstream.bootstrap,
      downstreamBootstrap: e.clusters.downstream.bootstrap,
      schemaRegistryUrl: e.schemaRegistry!.url,
      elasticsearchUrl: e.elasticsearch!.url,
      portOffset: c.portOffset,
    });
    const access = c.target?.access;
    for (const n of nodes) {
      const side = n.dc === 'upstream' ? 'upstream' : 'downstream';
      // A file readable by this container alone (mode 0400), not environment that `docker inspect` shows.
      const credentials = appCredentials(
        access?.[side],
        side,
        n.node === 'consumer-2' ? access?.elasticsearch : undefined,
        access?.schemaRegistry,
      );
      const withCredentials = {
        ...n,
        env: { ...n.env, LAB_CREDENTIALS_FILE: CREDENTIALS_FILE },
        files: [...n.files, { path: CREDENTIALS_FILE, content: JSON.stringify(credentials), mode: 0o400, secret: true }],
      };
      await ensureNodeContainer(docker, withCredentials, { labels: labLabels(c.labId), bindAddress: '127.0.0.1', imageSource: c.images });
    }
    apps = nodes.map((n) => ({ name: n.node, metricsUrl: `http://127.0.0.1:${n.env.LAB_METRICS_PORT}` }));
  }
  const out: AppsOutput['apps'] = [];
  for (const app of apps) {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const r = await safeProbe(appProbe(app.metricsUrl));
      if (r.ok) {
        out.push({ ...app, detail: r.detail });
        break;
      }
      if (Date.now() > deadline) throw new ComponentUnhealthyError(app.name, 60_000, r.detail);
      await sleep(1000);
    }
  }
  return { apps: out };
}
