import type { HttpAccess } from '../domain/access';
import type { DrillMetricsSubject } from '../monitoring/drill-checks';

export interface MetricsInput extends DrillMetricsSubject {
  prometheusUrl: string;
  timeoutSeconds?: number;
  access?: HttpAccess;
}
