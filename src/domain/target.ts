import { z } from 'zod';
import { TargetAccessSchema } from './access';

/** Attach mode's input: clusters the drill did not create, given by their endpoints. Workflow-safe. */
const hostPort = z.string().regex(/^[A-Za-z0-9._\-[\]:]+:\d{1,5}$/, { error: 'is not host:port' });
const url = z.string().regex(/^https?:\/\/[^\s/]+/, { error: 'is not an http(s) URL' });

const containerList = z.array(z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, { error: 'is not a container name' }));

/**
 * A target's opt-in to kill faults: the Docker containers (on the worker's Docker host) that run its
 * brokers and Connect workers. Without `allow: true` no fault touches a target.
 */
export const TargetFaultsSchema = z
  .strictObject({
    allow: z.boolean().describe('true lets drills SIGKILL and restart the containers listed here'),
    upstreamBrokers: containerList.default([]).describe("containers of the upstream cluster's brokers, broker 1 first"),
    downstreamBrokers: containerList.default([]).describe("containers of the downstream cluster's brokers, broker 1 first"),
    connectWorkers: containerList.default([]).describe('containers of the Connect workers running MirrorMaker 2, worker 1 first'),
  })
  .describe('broker-kill and connect-kill against a target: its containers on the Docker host the worker uses');
export type TargetFaults = z.infer<typeof TargetFaultsSchema>;

/** Endpoints of clusters the drill did not create (attach mode). Credentials only by reference. */
export const TargetInputSchema = z
  .strictObject({
    name: z.string().optional(),
    upstreamBootstrap: z.array(hostPort).min(1),
    downstreamBootstrap: z.array(hostPort).min(1),
    connectUrl: url,
    schemaRegistryUrl: url,
    elasticsearchUrl: url,
    prometheusUrl: url,
    access: TargetAccessSchema.optional().describe(
      'credentials by reference ({ env: NAME } or { file: PATH }), resolved where the worker runs',
    ),
    mirrorConnectors: z.array(z.string()).optional().describe('MirrorMaker 2 connectors to check (default: the three mm2-*-src)'),
    registerMirror: z
      .boolean()
      .optional()
      .describe("register the MirrorMaker 2 connectors on the target's Connect (default: only check them)"),
    faults: TargetFaultsSchema.optional(),
  })
  .describe('existing clusters to drill against instead of a lab (nothing is provisioned or torn down)');
export type TargetInput = z.infer<typeof TargetInputSchema>;
