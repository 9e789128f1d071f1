import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** Every file under a build context, relative to it (dockerode packs exactly this list). */
export function contextFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p));
    }
  };
  walk(dir);
  return out;
}
