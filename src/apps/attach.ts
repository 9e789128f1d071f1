import type Docker from 'dockerode';
import { basicAuth, httpAuthHeaders, kafkaAccessOptions } from '../config/credentials';
import { ensureNodeContainer } from '../docker/containers';
import { labLabels } from '../docker/labels';
import type { HttpAccess, KafkaAccess } from '../domain/access';
import type { DrillConfig } from '../domain/drill-input';
import type { LabEndpoints } from '../domain/endpoints';
import { ComponentUnhealthyError } from '../errors';
import { planApps } from '../lab/apps-plan';
import { safeProbe } from '../lab/health/probe';
import { appProbe } from '../lab/health/probes';
import { pollUntil } from '../util/poll';
import type { AppCredentials } from './app-env';
import { bundleApps } from './bundle';

const CREDENTIALS_FILE = '/run/kafka-lab/credentials.json';
/** Apps next to a target listen on loopback only; published lab ports are never used for them. */
const LOOPBACK = '127.0.0.1';

export interface RunningApp {
  name: string;
  metricsUrl: string;
}

/** The apps' credentials, resolved from the target's references, for a file in their container. */
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

/**
 * Against existing clusters, the drill's own consumer-1 and consumer-2 run on the host network,
 * labelled with the drill's lab id (teardown removes them), with the target's credentials in a
 * file readable in their container alone (mode 0400), not in environment `docker inspect` shows.
 */
export async function startAppsNextToTarget(docker: Docker, c: DrillConfig, e: LabEndpoints): Promise<RunningApp[]> {
  await bundleApps();
  const nodes = planApps({
    labId: c.labId,
    images: c.images,
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
    await ensureNodeContainer(docker, withCredentials, { labels: labLabels(c.labId), bindAddress: LOOPBACK, imageSource: c.images });
  }
  return nodes.map((n) => ({ name: n.node, metricsUrl: `http://${LOOPBACK}:${n.env.LAB_METRICS_PORT}` }));
}

/** Waits until an app serves its /metrics; the detail says how many records it handled. */
export function waitForApp(app: RunningApp, signal?: AbortSignal, timeoutMs = 60_000): Promise<string> {
  return pollUntil(
    async () => {
      const r = await safeProbe(appProbe(app.metricsUrl));
      return r.ok ? { done: true, value: r.detail } : { done: false, detail: r.detail };
    },
    { timeoutMs, intervalMs: 1000, signal, onTimeout: (last) => new ComponentUnhealthyError(app.name, timeoutMs, last) },
  );
}
