import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Runtime, DefaultLogger } from '@temporalio/worker';
import { searchAttributeFlags, temporalBinary } from '../../src/temporal/dev-server';
import { drillWorkflowBundle } from '../../src/temporal/workflow-bundle';

let bundle: Promise<{ code: string }> | undefined;

/** The workflows, bundled once per state of their sources (the cache the CLI's worker uses too). */
export function workflowBundle(): Promise<{ code: string }> {
  bundle ??= drillWorkflowBundle(resolve(__dirname, '../../workflows/index.ts'), new DefaultLogger('WARN'));
  return bundle;
}

/**
 * A real Temporal server for tests: the Temporal CLI's dev server, started on a free port by the
 * SDK's test environment (the binary installed by `npm run setup`, nothing downloaded).
 */
export async function localTemporal(): Promise<TestWorkflowEnvironment> {
  const path = temporalBinary();
  if (!path) throw new Error('the Temporal CLI is not installed: run `npm run setup`');
  try {
    Runtime.install({ logger: new DefaultLogger('WARN') });
  } catch {
    // already installed in this process
  }
  return TestWorkflowEnvironment.createLocal({
    server: { executable: { type: 'existing-path', path }, extraArgs: searchAttributeFlags() },
  });
}
