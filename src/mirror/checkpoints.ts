import { SOURCE_ALIAS } from '../domain/names';
import { InternalError } from '../errors';

/**
 * MirrorMaker 2's checkpoints, read the way RemoteClusterUtils.translateOffsets reads them: the
 * checkpoint connector writes `<source alias>.checkpoints.internal` on the target cluster, one
 * record per (group, mirrored topic, partition), the newest one winning.
 */
export const checkpointsTopic = (sourceAlias = SOURCE_ALIAS) => `${sourceAlias}.checkpoints.internal`;

export interface Checkpoint {
  group: string;
  /** The mirrored topic (`src.<topic>`), as the checkpoint connector renames it. */
  topic: string;
  partition: number;
  /** The group's committed offset upstream when the checkpoint was taken. */
  upstreamOffset: number;
  /** That offset translated to the mirrored topic: where the group resumes downstream. */
  downstreamOffset: number;
  metadata: string;
}

/** Kafka's protocol STRING at `at` (an int16 length, -1 for null, then UTF-8): the text and the offset after it. */
export function kafkaString(b: Buffer, at: number): [string, number] {
  const len = b.readInt16BE(at);
  if (len < 0) return ['', at + 2];
  return [b.toString('utf8', at + 2, at + 2 + len), at + 2 + len];
}

/**
 * Decodes one checkpoint record (Kafka's protocol types: STRING is an int16 length and UTF-8
 * bytes, INT32/INT64 big-endian). Key: group, topic, partition. Value: an int16 version (0), the
 * upstream offset, the downstream offset and the metadata.
 */
export function decodeCheckpoint(key: Buffer, value: Buffer): Checkpoint {
  const [group, k1] = kafkaString(key, 0);
  const [topic, k2] = kafkaString(key, k1);
  const partition = key.readInt32BE(k2);
  const version = value.readInt16BE(0);
  if (version !== 0) throw new InternalError(`a MirrorMaker 2 checkpoint has value version ${version}, which this does not read (0)`);
  const upstreamOffset = Number(value.readBigInt64BE(2));
  const downstreamOffset = Number(value.readBigInt64BE(10));
  const [metadata] = kafkaString(value, 18);
  return { group, topic, partition, upstreamOffset, downstreamOffset, metadata };
}
