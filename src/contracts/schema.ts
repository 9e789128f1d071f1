import type { HttpAccess } from '../domain/access';
import type { RegistryVerdict } from '../verify/judge';

export interface EvolveInput {
  schemaRegistryUrl: string;
  subject: string;
  schemaV2: string;
  access?: HttpAccess;
}

export interface EvolveOutput {
  subject: string;
  compatibilityLevel: string;
  /** The registry's own answer to the compatibility check. */
  registryVerdict: RegistryVerdict;
  v2Id: number;
  versions: number[];
  /** What GET /schemas (the book's check) lists for the subject, when the registry serves it. */
  schemasListed?: number;
  crossRead: { v1ReadsV2: Record<string, unknown>; v2ReadsV1: Record<string, unknown> };
}
