import type { Client } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { readIndex } from '../../src/verify/index-reader';

interface SearchArgs {
  size: number;
  slice: { id: string; max: number };
  search_after?: number[];
}

/**
 * A point in time over `docs` documents split between two slices by seq parity, paged by
 * search_after as Elasticsearch does; `failSlice` answers that slice's second page with an error.
 */
function fakeEs(docs: number, failSlice?: string) {
  const searches: { slice: string; after?: number }[] = [];
  const closed: string[] = [];
  const es = {
    openPointInTime: async () => ({ id: 'pit-0' }),
    closePointInTime: async ({ id }: { id: string }) => void closed.push(id),
    search: async (a: SearchArgs) => {
      searches.push({ slice: a.slice.id, after: a.search_after?.[0] });
      if (a.slice.id === failSlice && a.search_after) throw new Error('shard failure');
      await new Promise((r) => setTimeout(r, 1));
      const mine = Array.from({ length: docs }, (_, seq) => seq).filter((seq) => seq % a.slice.max === Number(a.slice.id));
      const from = a.search_after ? mine.indexOf(a.search_after[0]) + 1 : 0;
      const hits = mine.slice(from, from + a.size).map((seq) => ({ _source: { lab: { seq, generation: 1 } }, sort: [seq] }));
      return { pit_id: `pit-${searches.length}`, hits: { hits } };
    },
  };
  return { es: es as unknown as Client, searches, closed };
}

describe('readIndex', () => {
  it('reads every document once through two slices of one point in time, then closes it', async () => {
    const { es, searches, closed } = fakeEs(25_001);
    const seen = new Set<number>();
    let lastRead = 0;
    await readIndex(
      es,
      'idx',
      'run',
      new AbortController().signal,
      (seq) => seen.add(seq),
      (read) => (lastRead = read),
    );
    expect(seen.size).toBe(25_001);
    expect(lastRead).toBe(25_001);
    expect(new Set(searches.map((s) => s.slice))).toEqual(new Set(['0', '1']));
    expect(closed.length).toBeGreaterThan(0);
  });

  it('stops the other slice when one fails, throws its error and still closes the point in time', async () => {
    const { es, searches, closed } = fakeEs(100_000, '1');
    await expect(
      readIndex(
        es,
        'idx',
        'run',
        new AbortController().signal,
        () => undefined,
        () => undefined,
      ),
    ).rejects.toThrow('shard failure');
    // slice 0 has five pages of 10,000; it stops after the failure instead of reading them all
    expect(searches.filter((s) => s.slice === '0').length).toBeLessThan(5);
    expect(closed.length).toBeGreaterThan(0);
  });
});
