import type { DrillActivities } from '../src/contracts/activities';
import { startApps } from './apps';
import { boundary } from '../src/activity/failures';
import {
  accountFailover,
  consumeDownstream,
  consumeUpstream,
  dataCenterDown,
  dataCenterUp,
  prepareFailoverGroup,
  translateGroupOffsets,
} from './failover';
import { accountDisaster, consumeSite, loseSite, pauseMirror, syncRegistries } from './disaster';
import { accountFailback, reconcileStranded, resumeMirror, reverseMirror, stopMirror, translateBack } from './failback';
import { deleteMirroredRecords, injectFault, undoFault } from './faults';
import { attachTarget, provisionDrillLab, teardownDrillLab } from './lab';
import { checkMetrics } from './metrics';
import { observeFlow } from './observe';
import { registerMirror } from './mirror';
import { produceStudents, recordProduceStart } from './produce';
import { evolveSchema } from './schema';
import { createTopic } from './topics';
import { verifyDelivery } from './verify';

/**
 * Every activity of the drill, each behind the error boundary, as src/contracts/activities.ts
 * declares them (workflows import that type, never this file).
 */
export function createActivities(): DrillActivities {
  return {
    provisionDrillLab: boundary(provisionDrillLab),
    attachTarget: boundary(attachTarget),
    teardownDrillLab: boundary(teardownDrillLab),
    createTopic: boundary(createTopic),
    registerMirror: boundary(registerMirror),
    startApps: boundary(startApps),
    recordProduceStart: boundary(recordProduceStart),
    produceStudents: boundary(produceStudents),
    deleteMirroredRecords: boundary(deleteMirroredRecords),
    injectFault: boundary(injectFault),
    undoFault: boundary(undoFault),
    prepareFailoverGroup: boundary(prepareFailoverGroup),
    consumeUpstream: boundary(consumeUpstream),
    dataCenterDown: boundary(dataCenterDown),
    translateGroupOffsets: boundary(translateGroupOffsets),
    consumeDownstream: boundary(consumeDownstream),
    dataCenterUp: boundary(dataCenterUp),
    accountFailover: boundary(accountFailover),
    consumeSite: boundary(consumeSite),
    syncRegistries: boundary(syncRegistries),
    pauseMirror: boundary(pauseMirror),
    loseSite: boundary(loseSite),
    accountDisaster: boundary(accountDisaster),
    stopMirror: boundary(stopMirror),
    reconcileStranded: boundary(reconcileStranded),
    reverseMirror: boundary(reverseMirror),
    translateBack: boundary(translateBack),
    resumeMirror: boundary(resumeMirror),
    accountFailback: boundary(accountFailback),
    verifyDelivery: boundary(verifyDelivery),
    evolveSchema: boundary(evolveSchema),
    checkMetrics: boundary(checkMetrics),
    observeFlow: boundary(observeFlow),
  };
}
