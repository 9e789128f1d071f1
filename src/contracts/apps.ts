import type { DrillConfig } from '../domain/drill-input';
import type { LabEndpoints } from '../domain/endpoints';

export interface AppsInput {
  config: DrillConfig;
  endpoints: LabEndpoints;
}

export interface AppsOutput {
  apps: { name: string; metricsUrl: string; detail: string }[];
}
