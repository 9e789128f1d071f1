import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { bundleWorkflowCode, type Logger } from '@temporalio/worker';

const ROOT = resolve(__dirname, '../..');
const CACHE_DIR = resolve(ROOT, '.lab/cache');
const PREFIX = 'workflow-bundle-';

/** Every file the bundle can be made of: workflow code imports from src/, and webpack's inputs are the packages and configs. */
function bundleInputs(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory() ? walk(join(dir, e.name)) : /\.(ts|js|json)$/.test(e.name) ? [join(dir, e.name)] : [],
    );
  return [
    ...walk(resolve(ROOT, 'workflows')),
    ...walk(resolve(ROOT, 'src')),
    resolve(ROOT, 'package-lock.json'),
    resolve(ROOT, 'tsconfig.json'),
  ].sort();
}

/** A digest of the bundle's inputs: their paths and contents, so an edit, a moved file or a new package version makes a new bundle. */
export function bundleKey(): string {
  const hash = createHash('sha256');
  for (const file of bundleInputs()) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  return hash.digest('hex').slice(0, 20);
}

/**
 * The drill's workflow bundle, made with webpack once per state of its sources and reused from
 * .lab/cache after that: bundling takes 2 to 3 s of CPU at every worker's start (each CLI drill, each
 * test worker). Where the cache cannot be written (a read-only checkout), it bundles every time.
 */
export async function drillWorkflowBundle(workflowsPath: string, logger: Logger): Promise<{ code: string }> {
  const key = bundleKey();
  const file = resolve(CACHE_DIR, `${PREFIX}${key}.js`);
  try {
    return { code: readFileSync(file, 'utf8') };
  } catch {
    // not cached yet: bundled below
  }
  const bundle = await bundleWorkflowCode({ workflowsPath, logger });
  try {
    mkdirSync(CACHE_DIR, { recursive: true });
    // written whole, then renamed: a worker starting meanwhile never reads half a bundle
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, bundle.code);
    renameSync(partial, file);
    for (const old of readdirSync(CACHE_DIR))
      if (old.startsWith(PREFIX) && old !== `${PREFIX}${key}.js` && !old.endsWith('.tmp')) rmSync(resolve(CACHE_DIR, old), { force: true });
  } catch {
    // the cache is an optimisation: the bundle just made serves this worker
  }
  return { code: bundle.code };
}
