import { resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(__dirname, '../..');
export const APPS = { 'consumer-1': 'consumer-upstream', 'consumer-2': 'consumer-indexer' } as const;
export type AppName = keyof typeof APPS;

export const bundlePath = (app: AppName) => resolve(ROOT, '.lab/apps', `${APPS[app]}.js`);

/**
 * Bundles each app with its dependencies into one file that the plain Node image runs, so the
 * apps need no npm install in the container. Fast (well under a second), done at every provision.
 */
export function bundleApps(): void {
  for (const app of Object.keys(APPS) as AppName[]) {
    buildSync({
      entryPoints: [resolve(__dirname, `${APPS[app]}.ts`)],
      outfile: bundlePath(app),
      bundle: true,
      platform: 'node',
      target: 'node18',
      logLevel: 'error',
      legalComments: 'none',
    });
  }
}
