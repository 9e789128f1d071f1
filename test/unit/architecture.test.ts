import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The import rules of the code base, read from the source with the TypeScript compiler: no cycle,
 * no activity importing another, and workflow-safe code (what a workflow bundle may reach) taking
 * nothing from infra/ or the activities. Type imports count too: the rules are about where a
 * declaration lives, and a type belongs in src/contracts/ or src/domain/.
 */

const ROOT = resolve(__dirname, '../..');
const SCANNED = ['src', 'activities', 'workflows', 'workers', 'infra'];
const WORKFLOW_SAFE = ['workflows/', 'src/domain/', 'src/drill/', 'src/schema/avro-record.ts'];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir)).flatMap((name) => {
    const path = join(dir, name);
    if (path === 'infra/built' || name === 'node_modules') return [];
    if (statSync(join(ROOT, path)).isDirectory()) return sourceFiles(path);
    return path.endsWith('.ts') && !path.endsWith('.d.ts') ? [path] : [];
  });
}

/** A relative specifier as the compiler resolves it: the file, or the folder's index. */
function resolveSpecifier(from: string, specifier: string): string | undefined {
  const base = join(dirname(from), specifier);
  const found = [`${base}.ts`, join(base, 'index.ts'), base].find((p) => existsSync(join(ROOT, p)) && statSync(join(ROOT, p)).isFile());
  return found && relative(ROOT, join(ROOT, found));
}

interface Graph {
  edges: Map<string, string[]>;
  unresolved: string[];
}

function importGraph(): Graph {
  const edges = new Map<string, string[]>();
  const unresolved: string[] = [];
  for (const file of SCANNED.flatMap(sourceFiles)) {
    // import, import type, export … from, require() and import(): every way a file names another
    const info = ts.preProcessFile(readFileSync(join(ROOT, file), 'utf8'), true, true);
    const targets = info.importedFiles
      .map((f) => f.fileName)
      .filter((s) => s.startsWith('.'))
      .flatMap((s) => {
        const target = resolveSpecifier(file, s);
        if (!target) unresolved.push(`${file}: ${s}`);
        return target ? [target] : [];
      });
    edges.set(file, [...new Set(targets)]);
  }
  return { edges, unresolved };
}

/** Every cycle, one per strongly connected component, as a path back to its start (Tarjan). */
export function cycles(edges: Map<string, string[]>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component = new Set<string>();
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.add(w);
    } while (w !== v);
    if (component.size > 1 || (edges.get(v) ?? []).includes(v)) found.push(pathBack(v, component, edges));
  };
  for (const v of [...edges.keys()].sort()) if (!index.has(v)) visit(v);
  return found;
}

/** The shortest path from `start` back to itself inside its component. */
function pathBack(start: string, component: Set<string>, edges: Map<string, string[]>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length) {
    const v = queue.shift()!;
    for (const w of edges.get(v) ?? []) {
      if (!component.has(w)) continue;
      if (w === start) {
        const path = [v];
        while (path[0] !== start) path.unshift(previous.get(path[0])!);
        return [...path, start];
      }
      if (!previous.has(w) && w !== start) {
        previous.set(w, v);
        queue.push(w);
      }
    }
  }
  return [start, start];
}

const isActivity = (f: string) => /^activities\/[^/]+\.ts$/.test(f) && f !== 'activities/index.ts';
const isWorkflowSafe = (f: string) => WORKFLOW_SAFE.some((d) => f.startsWith(d));

describe('architecture', () => {
  const { edges, unresolved } = importGraph();
  const all = [...edges].flatMap(([from, to]) => to.map((t) => ({ from, to: t })));

  it('resolves every relative import (an unread edge would hide a broken rule)', () => {
    expect(unresolved).toEqual([]);
    expect(all).toContainEqual({ from: 'workflows/chapter-drill.ts', to: 'src/drill/step-inputs.ts' });
    expect(all).toContainEqual({ from: 'activities/index.ts', to: 'activities/verify.ts' });
  });

  it('has no import cycle', () => {
    expect(cycles(edges).map((c) => c.join(' -> '))).toEqual([]);
  });

  it('has no activity importing another (shared support lives in src/)', () => {
    expect(all.filter((e) => isActivity(e.from) && e.to.startsWith('activities/')).map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('keeps workflow-safe code away from infra/ and the activities (contracts are in src/contracts/)', () => {
    const offending = all
      .filter((e) => isWorkflowSafe(e.from) && (e.to.startsWith('infra/') || e.to.startsWith('activities/')))
      .map((e) => `${e.from} -> ${e.to}`);
    expect(offending).toEqual([]);
  });

  it('keeps the lab apart from the drill: src/lab/ reads nothing of src/drill/', () => {
    expect(all.filter((e) => e.from.startsWith('src/lab/') && e.to.startsWith('src/drill/')).map((e) => `${e.from} -> ${e.to}`)).toEqual(
      [],
    );
  });
});
