/**
 * Names the drill derives, each in one place. Workflow-safe.
 */

/** The chapter's practice topic (12.3.4). */
export const CHAPTER_TOPIC = 'peter-avro01-kafka1';
/** MirrorMaker 2's source cluster alias: topic `t` upstream appears as `src.t` downstream. */
export const SOURCE_ALIAS = 'src';
/** The DR (downstream) cluster's alias: a failback's reverse mirror writes topic `t` of the DR side as `dst.t` on the primary. */
export const TARGET_ALIAS = 'dst';
/** The chapter's applications and their consumer groups. */
export const APP_GROUPS = { 'consumer-1': 'consumer-1', 'consumer-2': 'consumer-2' } as const;

/** The failover drill's consumer group: consumer-1's role, its own per run, inside the checkpoint connector's `consumer-.*`. */
export const failoverGroupOf = (runId: string) => `consumer-1-failover-${runId}`;

/**
 * How MirrorMaker 2 names a mirrored topic: DefaultReplicationPolicy prefixes the source cluster's
 * alias (`src.t`), IdentityReplicationPolicy keeps the name (`t` on both sides).
 */
export const REPLICATION_POLICIES = ['default', 'identity'] as const;
export type ReplicationPolicy = (typeof REPLICATION_POLICIES)[number];

/** The topic MirrorMaker 2 writes downstream. */
export const mirroredTopicOf = (topic: string, policy: ReplicationPolicy = 'default') =>
  policy === 'identity' ? topic : `${SOURCE_ALIAS}.${topic}`;
/** The topic a failback's reverse mirror writes on the primary. */
export const reverseTopicOf = (topic: string, policy: ReplicationPolicy = 'default') =>
  policy === 'identity' ? topic : `${TARGET_ALIAS}.${topic}`;
/** The Elasticsearch index consumer-2 writes the mirrored topic into (index names are lowercase). */
export const indexOf = (topic: string) => mirroredTopicOf(topic).toLowerCase();

/** Each site's Schema Registry node: the primary's, and the DR site's (a disaster drill's lab has both). */
export const PRIMARY_REGISTRY = 'schema-registry';
export const DR_REGISTRY = 'schema-registry-dr';
