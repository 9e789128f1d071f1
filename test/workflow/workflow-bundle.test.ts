import { existsSync, readFileSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { DefaultLogger } from '@temporalio/worker';
import { describe, expect, it } from 'vitest';
import { bundleKey, drillWorkflowBundle } from '../../src/temporal/workflow-bundle';

const workflowsPath = resolve(__dirname, '../../workflows/index.ts');
const cached = () => resolve(__dirname, '../../.lab/cache', `workflow-bundle-${bundleKey()}.js`);

describe('the workflow bundle cache', () => {
  it('bundles once per state of the sources and serves the same code from .lab/cache after that', async () => {
    const first = await drillWorkflowBundle(workflowsPath, new DefaultLogger('WARN'));
    expect(first.code).toContain('chapterDrillWorkflow');
    expect(existsSync(cached())).toBe(true);
    const writtenAt = statSync(cached()).mtimeMs;
    const again = await drillWorkflowBundle(workflowsPath, new DefaultLogger('WARN'));
    expect(again.code).toBe(first.code);
    expect(readFileSync(cached(), 'utf8')).toBe(first.code);
    // served, not bundled again
    expect(statSync(cached()).mtimeMs).toBe(writtenAt);
  }, 60_000);
});
