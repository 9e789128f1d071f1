import type { HttpAccess } from '../domain/access';
import type { RegistryVerdict } from '../verify/judge';

export interface EvolveInput {
  schemaRegistryUrl: string;
  subject: string;
  schemaV2: string;
  /**
   * The registry id of the v1 this run registered (produce-v1's answer): v2 is checked against it,
   * not against the subject's latest version, which on a kept lab is an earlier run's v2. Absent in
   * drills started before this was recorded: then the latest version, as they did.
   */
  v1SchemaId?: number;
  access?: HttpAccess;
}

export interface EvolveOutput {
  subject: string;
  compatibilityLevel: string;
  /** The registry's own answer to the compatibility check. */
  registryVerdict: RegistryVerdict;
  v2Id: number;
  versions: number[];
  /** The subject's versions of this run's v1 and of the v2 it registered: the evolution this run proved. */
  v1Version?: number;
  v2Version?: number;
  /** What GET /schemas (the book's check) lists for the subject, when the registry serves it. */
  schemasListed?: number;
  crossRead: { v1ReadsV2: Record<string, unknown>; v2ReadsV1: Record<string, unknown> };
}
