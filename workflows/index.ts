// The worker's workflowsPath: only workflow definitions are exported from here.
export { chapterDrillWorkflow } from './chapter-drill';
export { kafkaMatrixWorkflow } from './kafka-matrix';
export { placementExperimentWorkflow } from './placement-experiment';
