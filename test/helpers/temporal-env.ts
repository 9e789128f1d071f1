import { resolve } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { bundleWorkflowCode, Runtime, DefaultLogger, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { searchAttributeFlags, temporalBinary } from '../../src/temporal/dev-server';

let bundle: Promise<WorkflowBundleWithSourceMap> | undefined;

/** The workflows bundled once per test process. */
export function workflowBundle(): Promise<WorkflowBundleWithSourceMap> {
  bundle ??= bundleWorkflowCode({ workflowsPath: resolve(__dirname, '../../workflows/index.ts'), logger: new DefaultLogger('WARN') });
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
