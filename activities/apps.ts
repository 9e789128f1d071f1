import { startAppsNextToTarget, waitForApp } from '../src/apps/attach';
import { connectDocker } from '../src/docker/docker-client';
import { withHeartbeat } from '../src/activity/heartbeat';
import type { AppsInput, AppsOutput } from '../src/contracts/apps';

/**
 * The chapter's consumer-1 and consumer-2 as running services. A provisioned lab started them
 * with the lab; against existing clusters they start here, on the host network.
 */
export async function startApps(input: AppsInput): Promise<AppsOutput> {
  const { config: c, endpoints: e } = input;
  const apps = c.mode === 'attach' ? await startAppsNextToTarget(await connectDocker(), c, e) : (e.apps ?? []);
  return withHeartbeat(async (_progress, signal) => {
    const out: AppsOutput['apps'] = [];
    for (const app of apps) out.push({ ...app, detail: await waitForApp(app, signal) });
    return { apps: out };
  });
}
