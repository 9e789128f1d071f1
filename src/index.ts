/**
 * kafka-lab as a library: the two-data-center lab for a platform team's own tests, and the
 * chapter's drill started and followed from code. The CLI (`npx lab`) runs on the same functions.
 *
 * ```ts
 * import { startLab, startDrill } from 'kafka-lab';
 *
 * await using lab = await startLab({ topology: 'lite', labId: 'my-tests', portOffset: 3000 });
 * lab.endpoints.clusters.upstream.bootstrap;   // ['127.0.0.1:22092']
 * lab.endpoints.schemaRegistry?.url;           // 'http://127.0.0.1:21081/apis/ccompat/v7'
 *
 * await using drill = await startDrill({ labId: 'my-tests', portOffset: 3000, keepLab: true });
 * const { report } = await drill.result();     // report.verdict: 'passed' | 'failed'
 * ```
 */
export { startLab, type Lab, type StartLabOptions } from './lab/lab-handle';
export { startDrill, type Drill, type DrillProgressWithSteps, type StartDrillOptions } from './temporal/drill-session';
export type { DrillRun } from './temporal/drill-runner';

export type { ClusterEndpoints, ComponentStatus, HttpEndpoint, LabEndpoints } from './domain/endpoints';
export type { LabTopology } from './domain/topology';
export type { TopologyInput } from './domain/resolve-topology';
export type { LabStatus } from './lab/status';
export type { TeardownResult } from './contracts/lab';
export type { DrillConfig, DrillInput } from './domain/drill-input';
export type { DrillReport, StepName, StepResult, Verdict } from './domain/report';
export { isLabError, LabError } from './errors';
