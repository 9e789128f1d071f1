import type { MetricCheck } from '../domain/report';
import type { STEPS } from '../domain/steps';
import type { AppsInput, AppsOutput } from './apps';
import type {
  AccountFailoverInput,
  ConsumeDownstreamInput,
  ConsumedDownstream,
  ConsumedUpstream,
  ConsumeUpstreamInput,
  DataCenterChange,
  DataCenterInput,
  FailoverResult,
  PreparedGroup,
  PrepareGroupInput,
  TranslatedOffsets,
  TranslateInput,
} from './failover';
import type {
  AccountDisasterInput,
  ConsumeSiteInput,
  DisasterResult,
  LoseSiteInput,
  MirrorPaused,
  PauseMirrorInput,
  RegistriesSynced,
  SiteConsumed,
  SyncRegistriesInput,
  SiteLost,
} from './disaster';
import type {
  AccountFailbackInput,
  FailbackResult,
  MirrorResumed,
  MirrorStopped,
  ReconcileStrandedInput,
  ResumeMirrorInput,
  ReverseMirrored,
  ReverseMirrorInput,
  StopMirrorInput,
  StrandedReconciled,
  TranslateBackInput,
  TranslatedBack,
} from './failback';
import type { DeletedRecords, DeleteRecordsInput, FaultApplied, FaultStepInput } from './faults';
import type { LabInput, ProvisionOutput, TeardownResult } from './lab';
import type { MetricsInput } from './metrics';
import type { ConnectorState, MirrorInput } from './mirror';
import type { ObserveInput, ObserveOutput } from './observe';
import type { ProduceInput, ProduceOutput, ProduceStart, ProduceStartInput } from './produce';
import type { EvolveInput, EvolveOutput } from './schema';
import type { TopicInput, TopicOutput } from './topics';
import type { VerifyInput, VerifyOutput } from './verify';

/**
 * Every activity of the drill, as workflows call it and activities/index.ts implements it (the
 * compiler holds the two together). Workflows import this type, never the activities.
 * The names are recorded in workflow history: renaming one breaks running and replayed drills.
 */
export interface DrillActivities {
  provisionDrillLab(input: LabInput): Promise<ProvisionOutput>;
  attachTarget(input: LabInput): Promise<ProvisionOutput>;
  teardownDrillLab(input: { labId: string }): Promise<TeardownResult>;
  createTopic(input: TopicInput): Promise<TopicOutput>;
  registerMirror(input: MirrorInput): Promise<ConnectorState[]>;
  startApps(input: AppsInput): Promise<AppsOutput>;
  recordProduceStart(input: ProduceStartInput): Promise<ProduceStart>;
  produceStudents(input: ProduceInput): Promise<ProduceOutput>;
  deleteMirroredRecords(input: DeleteRecordsInput): Promise<DeletedRecords>;
  injectFault(input: FaultStepInput): Promise<FaultApplied>;
  undoFault(input: FaultStepInput): Promise<FaultApplied>;
  prepareFailoverGroup(input: PrepareGroupInput): Promise<PreparedGroup>;
  consumeUpstream(input: ConsumeUpstreamInput): Promise<ConsumedUpstream>;
  dataCenterDown(input: DataCenterInput): Promise<DataCenterChange>;
  translateGroupOffsets(input: TranslateInput): Promise<TranslatedOffsets>;
  consumeDownstream(input: ConsumeDownstreamInput): Promise<ConsumedDownstream>;
  dataCenterUp(input: DataCenterInput): Promise<DataCenterChange>;
  accountFailover(input: AccountFailoverInput): Promise<FailoverResult>;
  consumeSite(input: ConsumeSiteInput): Promise<SiteConsumed>;
  syncRegistries(input: SyncRegistriesInput): Promise<RegistriesSynced>;
  pauseMirror(input: PauseMirrorInput): Promise<MirrorPaused>;
  loseSite(input: LoseSiteInput): Promise<SiteLost>;
  accountDisaster(input: AccountDisasterInput): Promise<DisasterResult>;
  stopMirror(input: StopMirrorInput): Promise<MirrorStopped>;
  reconcileStranded(input: ReconcileStrandedInput): Promise<StrandedReconciled>;
  reverseMirror(input: ReverseMirrorInput): Promise<ReverseMirrored>;
  translateBack(input: TranslateBackInput): Promise<TranslatedBack>;
  resumeMirror(input: ResumeMirrorInput): Promise<MirrorResumed>;
  accountFailback(input: AccountFailbackInput): Promise<FailbackResult>;
  verifyDelivery(input: VerifyInput): Promise<VerifyOutput>;
  evolveSchema(input: EvolveInput): Promise<EvolveOutput>;
  checkMetrics(input: MetricsInput): Promise<MetricCheck[]>;
  observeFlow(input: ObserveInput): Promise<ObserveOutput>;
}

/** The activities each drill step runs (src/domain/steps.ts), checked here: a misspelt one fails the typecheck. */
export type StepActivities = ActivitiesOf<typeof STEPS>;
type ActivitiesOf<T extends Record<string, readonly (keyof DrillActivities)[]>> = T;
