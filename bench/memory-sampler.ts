import type Docker from 'dockerode';
import { labFilter } from '../src/docker/labels';

/** Samples the summed memory of a lab's containers every `intervalMs`; `stop()` returns the peak in MiB. */
export function sampleLabMemory(docker: Docker, labId: string, intervalMs = 2000) {
  let peak = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const containers = await docker.listContainers({ filters: labFilter(labId) }).catch(() => []);
      const usages = await Promise.all(
        containers.map((c) =>
          docker
            .getContainer(c.Id)
            .stats({ stream: false })
            .then((s) => (s.memory_stats.usage ?? 0) - ((s.memory_stats.stats as Record<string, number>)?.inactive_file ?? 0))
            .catch(() => 0),
        ),
      );
      peak = Math.max(
        peak,
        usages.reduce((a, b) => a + b, 0),
      );
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  })();
  return {
    async stop(): Promise<number> {
      running = false;
      await loop;
      return Math.round(peak / 1024 / 1024);
    },
  };
}
