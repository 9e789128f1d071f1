import { startAppsNextToTarget, waitForApp } from '../src/apps/attach';
import { connectDocker } from '../src/docker/docker-client';
import type { DrillConfig } from '../src/domain/drill-input';
import type { LabEndpoints } from '../src/domain/endpoints';
import { withHeartbeat } from './heartbeat';

export interface AppsOutput {
  apps: { name: string; metricsUrl: string; detail: string }[];
}

/**
 * The chapter's consumer-1 and consumer-2 as running services. A provisioned lab started them
 * with the lab; against existing clusters they start here, on the host network.
 */
export async function startApps(input: { config: DrillConfig; endpoints: LabEndpoints }): Promise<AppsOutput> {
  const { config: c, endpoints: e } = input;
  const apps = c.mode === 'attach' ? await startAppsNextToTarget(await connectDocker(), c, e) : (e.apps ?? []);
  return withHeartbeat(async (_progress, signal) => {
    const out: AppsOutput['apps'] = [];
    for (const app of apps) out.push({ ...app, detail: await waitForApp(app, signal) });
    return { apps: out };
  });
}
