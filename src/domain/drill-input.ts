import { z } from 'zod';
import { FAULT_FLAG_FORM, FAULT_KINDS, FaultSchema } from './faults';
import { cli } from './field-meta';
import { DisasterSchema } from './disaster';
import { LabSettingsSchema } from './lab-settings';
import { PRODUCER_ENGINES } from './producer-engine';
import { TargetInputSchema } from './target';

/** Per generation; the verifier keeps a few bits per message, so the broker's disk is the real limit. */
export const MAX_MESSAGES = 10_000_000;

/** The lab settings a drill takes (the rest of a drilled lab is its preset's). */
const LAB_FIELDS = {
  topology: true,
  labId: true,
  portOffset: true,
  images: true,
  kafkaVersion: true,
  connectPlacement: true,
  replicationPolicy: true,
  linkShaper: true,
  wanLatency: true,
  wanJitter: true,
  wanBandwidth: true,
} as const;
export const DRILL_LAB_FIELDS = Object.keys(LAB_FIELDS) as (keyof typeof LAB_FIELDS)[];

/**
 * The drill workflow's one input, declared once: its TypeScript types, defaults, validation, the
 * CLI flags and their help, and the JSON Schema in docs/ all come from here. The lab's fields are
 * the lab's own (lab-settings.ts). Every field is optional: `{}` runs the chapter's drill on a
 * `lite` lab it provisions and tears down.
 */
export const DrillInputSchema = LabSettingsSchema.pick(LAB_FIELDS).extend({
  labId: LabSettingsSchema.shape.labId.describe('the lab to provision or reuse (default: default; against a target: target-<name>)'),
  mirrorTuning: z
    .enum(['chapter', 'throughput'])
    .default('chapter')
    .describe(
      "MirrorMaker 2 settings: the chapter's defaults, or larger batches, fetches and a task per partition for millions of messages",
    )
    .meta(cli({ flag: 'mirror-tuning', label: 'mirror tuning' })),
  target: TargetInputSchema.optional().meta(cli({ flag: 'target', kind: 'target-file' })),
  topic: LabSettingsSchema.shape.appTopic
    .describe('the upstream topic (mirrored downstream as src.<topic>, or <topic> with --replication-policy identity)')
    .meta(cli({ flag: 'topic', label: 'topic name', fix: 'use letters, digits, ".", "_" and "-"' })),
  partitions: z
    .number()
    .int()
    .min(1)
    .max(100)
    .default(3)
    .describe('partitions of the topic')
    .meta(cli({ flag: 'partitions', fix: 'use 1 to 100 partitions' })),
  replicationFactor: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('replication factor of the topic (default: 3 on chapter, else 1)')
    .meta(cli({ flag: 'replication-factor', label: 'replication factor', fix: 'use 1 or more' })),
  messages: z
    .number()
    .int()
    .min(1)
    .max(MAX_MESSAGES)
    .optional()
    .describe('messages per schema generation (default 100; with faults, enough for the load to outlast them; with --failover, 6,000)')
    .meta(cli({ flag: 'messages', fix: `send 1 to ${MAX_MESSAGES} messages` })),
  rate: z
    .number()
    .min(0)
    .default(0)
    .describe('producer rate in messages per second (0: as fast as acknowledged; with faults, 0 means 500)')
    .meta(cli({ flag: 'rate', fix: 'give messages per second, or 0 for as fast as possible' })),
  producer: z
    .enum(PRODUCER_ENGINES)
    .default('platformatic')
    .describe(
      "the client the drill's load runs on: kafkajs (the project's client), librdkafka (Confluent's native client; infra/setup.sh builds it) or platformatic (@platformatic/kafka, in TypeScript)",
    )
    .meta(cli({ flag: 'producer', label: 'producer', fix: `use one of ${PRODUCER_ENGINES.join(', ')}` })),
  schemaV2: z
    .string()
    .optional()
    .describe("the v2 Avro schema as JSON text (default: the chapter's, phone and age with defaults)")
    .meta(cli({ flag: 'schema-v2', kind: 'avro-file' })),
  keepLab: z
    .boolean()
    .default(false)
    .describe('keep the lab after the drill')
    .meta(cli({ flag: 'keep' })),
  latencyThresholdMs: z
    .number()
    .positive()
    .optional()
    .describe('MirrorMaker 2 replication latency threshold, in ms (default 30,000; with faults, plus 1.5 times their durations)')
    .meta(cli({ flag: 'latency-threshold', fix: 'give a threshold in milliseconds' })),
  verifyTimeoutSeconds: z
    .number()
    .positive()
    .optional()
    .describe('how long verification waits for every message (default: 180 s, plus 1 s per 1,000 messages)')
    .meta(cli({ flag: 'verify-timeout', fix: 'give a deadline in seconds' })),
  failOnDuplicates: z
    .boolean()
    .default(false)
    .describe('fail the drill on duplicated messages (they are always counted)')
    .meta(cli({ flag: 'fail-on-duplicates' })),
  faults: z
    .strictObject({
      deleteMirroredRecords: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('delete the first N mirrored records of this run (the drill must report N lost)')
        .meta(cli({ flag: 'delete-mirrored' })),
      inject: z
        .array(FaultSchema)
        .max(10)
        .default([])
        .describe(`faults injected while a steady load flows, each undone after its duration: ${FAULT_FLAG_FORM}, repeatable`)
        .meta(cli({ flag: 'fault', kind: 'fault-list', fix: `use ${FAULT_KINDS.join(', ')}, as ${FAULT_FLAG_FORM}` })),
      skewTranslatedOffsets: z
        .number()
        .int()
        .min(0)
        .default(0)
        .describe('failover: resume N records past the translated offsets (the drill must report the skipped messages)')
        .meta(cli({ flag: 'skew-translated' })),
    })
    .default({ deleteMirroredRecords: 0, inject: [], skewTranslatedOffsets: 0 })
    .describe('real faults, for fault drills and to prove the verifiers'),
  failover: z
    .boolean()
    .default(false)
    .describe(
      "after verify-v1, upstream goes down mid-way through a consumer group's work and the group resumes downstream from MirrorMaker 2's translated offsets: none may be skipped, the ones processed twice are counted and bounded",
    )
    .meta(cli({ flag: 'failover' })),
  disaster: DisasterSchema.optional(),
  observeOnly: z
    .boolean()
    .default(false)
    .describe('verify an existing flow without writing to it: mirror lag, index freshness, metrics')
    .meta(cli({ flag: 'no-produce' })),
  maxMirrorLagSeconds: z
    .number()
    .positive()
    .default(300)
    .describe('observe mode: how far the mirror may trail upstream')
    .meta(cli({ flag: 'max-mirror-lag' })),
  maxIndexAgeSeconds: z
    .number()
    .positive()
    .default(3600)
    .describe("observe mode: how old the index's newest document may be")
    .meta(cli({ flag: 'max-index-age' })),
  freshnessField: z
    .string()
    .default('lab.indexedAt')
    .describe('observe mode: the index field that says when a document arrived')
    .meta(cli({ flag: 'freshness-field' })),
  index: z
    .string()
    .optional()
    .describe('observe mode: the index to check (default: src.<topic>, lowercase)')
    .meta(cli({ flag: 'index' })),
});

/** What a user (the UI, a schedule, the CLI) gives: every field optional. */
export type DrillInput = z.input<typeof DrillInputSchema>;

/** The input with every default filled in: what the workflow actually runs. */
export type DrillConfig = Omit<
  z.output<typeof DrillInputSchema>,
  'labId' | 'replicationFactor' | 'schemaV2' | 'index' | 'verifyTimeoutSeconds' | 'messages' | 'latencyThresholdMs'
> & {
  latencyThresholdMs: number;
  messages: number;
  verifyTimeoutSeconds: number;
  mode: 'provision' | 'attach';
  labId: string;
  replicationFactor: number;
  schemaV2: string;
  index: string;
  mirroredTopic: string;
};
