import { LABELS } from '../lab/names';

export function labLabels(labId: string, extra: Record<string, string> = {}): Record<string, string> {
  return { [LABELS.managed]: 'true', [LABELS.labId]: labId, ...extra };
}

/** A Docker API `filters` value selecting everything of one lab (or of every lab). */
export function labFilter(labId?: string): string {
  const label = labId ? [`${LABELS.managed}=true`, `${LABELS.labId}=${labId}`] : [`${LABELS.managed}=true`];
  return JSON.stringify({ label });
}
