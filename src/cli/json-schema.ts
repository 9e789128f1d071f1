import { z } from 'zod';
import { DrillInputSchema } from '../domain/drill-input';

/**
 * The drill input as JSON Schema (what the Temporal UI's input box takes): generated from the one
 * declaration, without the CLI's own metadata. `npm run schema` writes docs/drill-input.schema.json.
 */
export function drillInputJsonSchema(): object {
  const schema = z.toJSONSchema(DrillInputSchema, {
    io: 'input',
    override: (ctx) => {
      delete (ctx.jsonSchema as Record<string, unknown>).cli;
    },
  });
  return {
    ...schema,
    title: 'chapterDrillWorkflow input',
    description: 'Every field is optional: {} runs the chapter drill on a lite lab.',
  };
}

if (require.main === module) process.stdout.write(`${JSON.stringify(drillInputJsonSchema(), null, 2)}\n`);
