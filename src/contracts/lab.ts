import type { DrillConfig } from '../domain/drill-input';
import type { LabEndpoints } from '../domain/endpoints';

export interface LabInput {
  config: DrillConfig;
}

export interface ProvisionOutput {
  endpoints: LabEndpoints;
  created: number;
  reused: number;
  components: number;
}

export interface TeardownResult {
  containers: string[];
  networks: string[];
  volumes: string[];
}
