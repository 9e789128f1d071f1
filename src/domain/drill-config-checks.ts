import { avroRecordProblem } from '../schema/avro-record';
import type { DrillConfig } from './drill-input';
import { drillTopology } from './drill-lab';
import { disasterLoadMessages, faultLoadMessages } from './drill-load';
import { faultsEnd, isBrokerFault, isLinkFault, isOneWayCut, scheduleFaults, type Fault } from './faults';
import type { InputProblem } from './input-problem';
import { isTopologyProblem } from './resolve-topology';

/**
 * What no single field of the drill input shows: checked on the resolved config, before anything
 * runs, so a drill that would fail later is refused in the project's words.
 */
export function drillConfigProblem(c: DrillConfig): InputProblem | undefined {
  // The fault deletes from partition 0 of the mirror, which holds every partitions-th message.
  const inPartition0 = Math.ceil(c.messages / c.partitions);
  if (c.faults.deleteMirroredRecords > inPartition0) {
    return {
      problem: `faults.deleteMirroredRecords ${c.faults.deleteMirroredRecords} is more than partition 0 receives (${inPartition0})`,
      fix: `give 0 to ${inPartition0}, or send more messages`,
    };
  }
  if (c.mode === 'attach' && !c.labId.startsWith('target-')) {
    // Teardown removes everything labelled with the lab id: never a provisioned lab's.
    return {
      problem: `against a target, the drill's own apps need a lab id of their own, not "${c.labId}"`,
      fix: 'leave --lab-id out (and unset LAB_ID), or give one starting with target-',
    };
  }
  const faultProblem = disasterProblem(c) ?? faultsProblem(c);
  if (faultProblem) return faultProblem;
  const schemaProblem = avroRecordProblem(c.schemaV2);
  if (schemaProblem)
    return { problem: `schemaV2 ${schemaProblem}`, fix: 'give an Avro record schema as JSON text, with a name and fields' };
  if (c.mode === 'provision') {
    // The lab is checked here, before anything runs, not when the provision activity meets it.
    const t = drillTopology(c);
    if (isTopologyProblem(t)) return t;
    const smallest = Math.min(t.brokersPerCluster.upstream, t.brokersPerCluster.downstream);
    if (c.replicationFactor > smallest) {
      return {
        problem: `topic replication factor ${c.replicationFactor} is above the broker count (${smallest})`,
        fix: 'lower replicationFactor or use the chapter topology',
      };
    }
  }
  return undefined;
}

/** Why a disaster drill cannot run as asked, checked before anything runs. */
function disasterProblem(c: DrillConfig): InputProblem | undefined {
  const d = c.disaster;
  if (!d) return undefined;
  if (c.mode === 'attach' || c.observeOnly)
    return {
      problem:
        'a disaster drill kills a whole data center and reads its disks afterwards: only a lab this tool provisioned, with a load of its own',
      fix: 'drop --disaster, or drill a lab (leave out --target and --no-produce)',
    };
  if (c.images === 'official')
    return {
      problem:
        "a disaster drill gives each data center a Schema Registry of its own, kept in step by Apicurio's export and import; the official Confluent registry keeps its schemas in the downstream cluster instead",
      fix: 'leave out --images official (the built images have the Apicurio registry)',
    };
  if (c.failover) return { problem: '--failover and --disaster are two drills of a primary going down', fix: 'give one of them' };
  if (c.faults.inject.length > 0 || c.faults.deleteMirroredRecords > 0 || c.faults.skewTranslatedOffsets > 0)
    return {
      problem: 'a disaster drill measures the disaster alone; other faults would blur its RPO and RTO',
      fix: 'run the faults in a drill of their own',
    };
  if (d.maxRtoSeconds !== undefined && d.maxRtoSeconds >= d.outageSeconds)
    return {
      problem: `--max-rto-seconds ${d.maxRtoSeconds} cannot be judged: the drill watches the DR side for the outage only (${d.outageSeconds} s)`,
      fix: `give --max-rto-seconds below --outage, or a longer --outage`,
    };
  if (d.pauseMirrorSeconds >= d.afterSeconds)
    return {
      problem: `--pause-mirror-before-disaster ${d.pauseMirrorSeconds} starts before the load does (the disaster comes ${d.afterSeconds} s into it)`,
      fix: `give fewer seconds than --disaster-after, or a later --disaster-after`,
    };
  const failback = failbackProblem(c, d);
  if (failback) return failback;
  const loadSeconds = c.messages / c.rate;
  if (loadSeconds < d.afterSeconds + 10)
    return {
      problem: `the load (${c.messages} messages at ${c.rate}/s, ${loadSeconds.toFixed(0)} s) ends before the disaster at ${d.afterSeconds} s: nothing would be in flight`,
      fix: `give --messages ${disasterLoadMessages(c.rate, d.afterSeconds)} or more, or leave --messages out`,
    };
  return undefined;
}

/** Why a failback cannot run as asked (or its settings were given without it). */
function failbackProblem(c: DrillConfig, d: NonNullable<DrillConfig['disaster']>): InputProblem | undefined {
  if (!d.failback) {
    const given = [
      d.stranded !== undefined && '--stranded',
      d.maxFailbackSeconds !== undefined && '--max-failback-seconds',
      d.failbackLoadSeconds !== undefined && '--failback-load',
    ].filter(Boolean);
    return given.length
      ? { problem: `${given.join(', ')} say how the drill fails back, and it does not`, fix: 'add --failback' }
      : undefined;
  }
  if (c.connectPlacement === 'upstream')
    return {
      problem:
        'a failback stops the forward mirror before the primary returns, so it cannot mirror the stranded records on its own; with Connect placed upstream it dies with the site and restarts mirroring as the site comes back',
      fix: 'leave out --connect-placement upstream for --failback (Connect next to the DR cluster, as in the chapter)',
    };
  return undefined;
}

/** Why the faults asked for cannot run on this drill, checked before anything runs. */
function faultsProblem(c: DrillConfig): InputProblem | undefined {
  if ((c.failover || c.faults.skewTranslatedOffsets > 0) && (c.mode === 'attach' || c.observeOnly)) {
    return {
      problem: 'a failover takes the upstream data center down: only a lab this tool provisioned, with a load of its own',
      fix: 'drop --failover, or drill a lab (leave out --target and --no-produce)',
    };
  }
  if (c.faults.skewTranslatedOffsets > 0 && !c.failover) {
    return { problem: '--skew-translated plants a fault in a failover, and this drill has none', fix: 'add --failover' };
  }
  const faults = scheduleFaults(c.faults.inject);
  if (faults.length === 0) return undefined;
  if (c.observeOnly) {
    return { problem: "faults run during the drill's steady load, and --no-produce writes none", fix: 'drop --fault, or --no-produce' };
  }
  const loadSeconds = c.messages / c.rate;
  const end = faultsEnd(faults);
  if (loadSeconds < end + 5) {
    return {
      problem: `the steady load (${c.messages} messages at ${c.rate}/s, ${loadSeconds.toFixed(0)} s) ends before the last fault is undone (${end} s)`,
      fix: `give --messages ${faultLoadMessages(c.rate, c.faults.inject)} or more, or leave --messages out`,
    };
  }
  const room = killRoom(c, faults);
  if (!room) return undefined; // the topology check reports it
  if ('problem' in room) return room;
  for (const f of faults) {
    if (isBrokerFault(f.kind)) {
      const brokers = room[f.dataCenter];
      if (room.target && brokers === 0)
        return {
          problem: `${f.kind} needs the ${f.dataCenter} brokers' containers, and the target file lists none`,
          fix: `list them under faults.${f.dataCenter}Brokers in the target file`,
        };
      if (f.index > brokers)
        return {
          problem: `${f.kind} index ${f.index} is out of range: ${room.target ? `the target file lists ${brokers} ${f.dataCenter}` : `the ${f.dataCenter} cluster has ${brokers}`} broker(s)`,
          fix: `give an index from 1 to ${brokers}`,
        };
      // With one broker (or one replica), the broker hit takes the only copy with it: the load stops, and a kill loses what the page cache held.
      if ((!room.target && brokers < 2) || c.replicationFactor < 2) {
        return {
          problem: `${f.kind} would take the ${f.dataCenter} cluster's only copy of the topic down (${room.target ? '' : `${brokers} broker(s), `}replication factor ${c.replicationFactor})`,
          fix: room.target ? 'give --replication-factor 2 or more' : 'use --topology chapter (3 brokers per cluster, replication factor 3)',
        };
      }
    }
    if ((f.kind === 'connect-kill' || f.kind === 'connect-pause') && f.index > room.connect) {
      return {
        problem: `${f.kind} index ${f.index} is out of range: ${room.target ? 'the target file lists' : 'the lab has'} ${room.connect} Connect worker(s)`,
        fix: room.target ? 'list the workers under faults.connectWorkers in the target file' : `give an index from 1 to ${room.connect}`,
      };
    }
  }
  return undefined;
}

/**
 * What kill faults can hit: the lab's brokers and Connect workers, or the containers a target file
 * lists when it allows faults. Undefined when the lab's topology is itself invalid.
 */
function killRoom(
  c: DrillConfig,
  faults: Fault[],
): { upstream: number; downstream: number; connect: number; target: boolean } | InputProblem | undefined {
  const linkFaults = faults.some((f) => isLinkFault(f.kind));
  if (c.mode === 'attach') {
    const allowed = c.target?.faults;
    if (!allowed?.allow) {
      return {
        problem: "faults touch a target only when its file allows them, and this one's does not",
        fix: 'add faults: { allow: true, ... } naming its containers to the target file (README, "Faults against a target"), or drop --fault',
      };
    }
    if (linkFaults) {
      return {
        problem: "link-cut and link-degrade shape the lab's own network between its data centers; a target's network is not the drill's",
        fix: 'use broker and Connect faults against a target, or drill a lab (leave out --target)',
      };
    }
    if (faults.some((f) => f.kind === 'disk-full')) {
      return {
        problem: "disk-full fills a lab broker's own small disk; a target's disks are not the drill's to fill",
        fix: 'use broker and Connect faults against a target, or drill a lab (leave out --target)',
      };
    }
    return {
      upstream: allowed.upstreamBrokers.length,
      downstream: allowed.downstreamBrokers.length,
      connect: allowed.connectWorkers.length,
      target: true,
    };
  }
  const t = drillTopology(c);
  if (isTopologyProblem(t)) return undefined;
  if (c.images === 'official' && linkFaults) {
    return {
      problem: "link faults shape traffic with tc (iproute2), which only the lab's built images carry",
      fix: 'use --images built for link-cut and link-degrade',
    };
  }
  if (faults.some(isOneWayCut) && !t.wan.proxy) {
    return {
      problem: 'a one-way link-cut holds one direction of the link proxy, and --link-shaper netem leaves the proxy out',
      fix: 'give --link-shaper auto or proxy, or cut the link both ways',
    };
  }
  return { ...t.brokersPerCluster, connect: t.connect.workers, target: false };
}
