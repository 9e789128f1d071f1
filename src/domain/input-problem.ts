import type { z } from 'zod';
import { fieldCli } from './field-meta';

/** What is wrong with an input, and how to fix it: kept free of the error classes so workflows can use it. */
export interface InputProblem {
  problem: string;
  fix: string;
}

export function isInputProblem<T extends object>(v: T | InputProblem): v is InputProblem {
  return 'problem' in v;
}

/** A schema issue in the project's "problem (fix: ...)" words. */
export function inputProblemOf(issue: z.core.$ZodIssue, input: unknown, schema: z.ZodObject): InputProblem {
  const path = issue.path.map(String);
  const value = path.reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], input);
  const meta = fieldCli(schema, path);
  const name = meta?.label ?? path.join('.');
  const shown = typeof value === 'string' ? `"${value}"` : JSON.stringify(value);
  switch (issue.code) {
    case 'invalid_value':
      return { problem: `unknown ${name} ${shown}`, fix: meta?.fix ?? `use one of ${issue.values.map(String).join(', ')}` };
    case 'too_small':
    case 'too_big':
      return { problem: `${name} ${shown} is out of range`, fix: meta?.fix ?? issue.message };
    case 'unrecognized_keys':
      return {
        problem: `unknown field ${issue.keys.map((k) => `"${[...path, k].join('.')}"`).join(', ')}`,
        fix: 'see the drill input fields in the README (docs/drill-input.schema.json)',
      };
    case 'invalid_type':
      return {
        problem: `${name} ${value === undefined ? 'is missing' : `${shown} is not a ${issue.expected}`}`,
        fix: meta?.fix ?? `give ${name} as a ${issue.expected}`,
      };
    default:
      return {
        problem: `${name} ${shown} ${issue.message.startsWith('is ') ? issue.message : `is not valid (${issue.message})`}`,
        fix: meta?.fix ?? `correct ${name}`,
      };
  }
}
