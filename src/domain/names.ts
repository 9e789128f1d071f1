/**
 * Names the drill derives, each in one place. Workflow-safe.
 */

/** The chapter's practice topic (12.3.4). */
export const CHAPTER_TOPIC = 'peter-avro01-kafka1';
/** MirrorMaker 2's source cluster alias: topic `t` upstream appears as `src.t` downstream. */
export const SOURCE_ALIAS = 'src';
/** The chapter's applications and their consumer groups. */
export const APP_GROUPS = { 'consumer-1': 'consumer-1', 'consumer-2': 'consumer-2' } as const;

/** The failover drill's consumer group: consumer-1's role, its own per run, inside the checkpoint connector's `consumer-.*`. */
export const failoverGroupOf = (runId: string) => `consumer-1-failover-${runId}`;

/** The topic MirrorMaker 2 writes downstream (DefaultReplicationPolicy). */
export const mirroredTopicOf = (topic: string) => `${SOURCE_ALIAS}.${topic}`;
/** The Elasticsearch index consumer-2 writes the mirrored topic into (index names are lowercase). */
export const indexOf = (topic: string) => mirroredTopicOf(topic).toLowerCase();
