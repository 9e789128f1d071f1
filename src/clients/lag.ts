import type { Admin } from 'kafkajs';

/** A consumer group's lag per partition: end offset minus committed offset (or minus the log start). */
export async function partitionLags(admin: Admin, groupId: string, topic: string): Promise<Map<number, number>> {
  const ends = await admin.fetchTopicOffsets(topic);
  const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
  const lags = new Map<number, number>();
  for (const p of ends) {
    const c = committed?.partitions.find((x) => x.partition === p.partition);
    const done = c && Number(c.offset) >= 0 ? Number(c.offset) : Number(p.low);
    lags.set(p.partition, Math.max(0, Number(p.high) - done));
  }
  return lags;
}

export async function consumerGroupLag(admin: Admin, groupId: string, topic: string): Promise<number> {
  return [...(await partitionLags(admin, groupId, topic)).values()].reduce((a, b) => a + b, 0);
}
