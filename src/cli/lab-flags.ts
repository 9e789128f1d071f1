import { isTopologyProblem, resolveTopology } from '../domain/resolve-topology';
import { DEFAULT_LAB_ID, LabSettingsSchema } from '../domain/lab-settings';
import type { LabTopology } from '../domain/topology';
import { InvalidTopologyError } from '../errors';
import { JsonOption } from './run-options';
import { flagHelp, flagSpecs, inputFromFlags, parseArgsOptions, parseFlags } from './flags';

/** The flags of `lab up`: every lab setting (lab-settings.ts) that has one. */
const LAB_FLAGS = flagSpecs(LabSettingsSchema);
export const LAB_OPTIONS = parseArgsOptions(LAB_FLAGS);
export const LAB_FLAGS_HELP = flagHelp(LAB_FLAGS);

/** Turns CLI flags into a validated topology, or throws one clear InvalidTopologyError. */
export function topologyFromFlags(v: Record<string, unknown>): LabTopology {
  const r = resolveTopology(inputFromFlags(LAB_FLAGS, v));
  if (isTopologyProblem(r)) throw new InvalidTopologyError(r.problem, r.fix);
  return r;
}

/** The options of commands that only name a lab (`lab down`, `lab status`). */
const LabIdOptions = LabSettingsSchema.pick({ labId: true }).extend({ json: JsonOption });
const LAB_ID_FLAGS = flagSpecs(LabIdOptions);
export const LAB_ID_OPTIONS = parseArgsOptions(LAB_ID_FLAGS);
export const LAB_ID_FLAGS_HELP = flagHelp(LAB_ID_FLAGS);
export const labIdFromFlags = (v: Record<string, unknown>): string => parseFlags(LabIdOptions, v).labId ?? DEFAULT_LAB_ID;
