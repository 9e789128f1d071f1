import { defineQuery, defineSignal } from '@temporalio/workflow';
import type { SeriesProgress } from '../src/domain/drill-series';
import type { DrillProgress, StepResult } from '../src/domain/report';
import { STEP_PROGRESS_SIGNAL, type StepProgress } from '../src/domain/step-progress';

/** The current step and what has completed, for the CLI and the Temporal UI's query tab. */
export const progressQuery = defineQuery<DrillProgress & { steps: StepResult[] }>('progress');

/** A drill series: the runs done and the one running now. */
export const seriesProgressQuery = defineQuery<SeriesProgress>('seriesProgress');

/** A long step's activity reporting how far it has got (src/activity/step-progress.ts). */
export const stepProgressSignal = defineSignal<[StepProgress]>(STEP_PROGRESS_SIGNAL);
