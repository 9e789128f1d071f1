import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { DrillConfig } from './drill-input';

/** Custom search attributes that make drills easy to find in the Temporal UI. */
export const LAB_TOPOLOGY = defineSearchAttributeKey('LabTopology', SearchAttributeType.KEYWORD);
export const LAB_TARGET = defineSearchAttributeKey('LabTarget', SearchAttributeType.KEYWORD);
export const LAB_VERDICT = defineSearchAttributeKey('LabVerdict', SearchAttributeType.KEYWORD);
/** A disaster drill's figures, so the UI filters and sorts drills by them (LabRpoRecords > 0, ORDER BY LabRtoSeconds). */
export const LAB_RPO_RECORDS = defineSearchAttributeKey('LabRpoRecords', SearchAttributeType.INT);
export const LAB_RTO_SECONDS = defineSearchAttributeKey('LabRtoSeconds', SearchAttributeType.DOUBLE);
export const LAB_SEARCH_ATTRIBUTES = [LAB_TOPOLOGY, LAB_TARGET, LAB_VERDICT, LAB_RPO_RECORDS, LAB_RTO_SECONDS];

/** The LabTarget value: which lab or target a drill works on (one drill per lab at a time). */
export const labTargetValue = (c: DrillConfig) => (c.mode === 'attach' ? `target:${c.target?.name ?? 'target'}` : `lab:${c.labId}`);
