import type { DrillConfig } from './drill-input';
import { isBrokerFault, type Fault } from './faults';

/** The container a broker or Connect fault hits on a target: the one its file lists (a lab's are found by name). */
export function targetFaultContainer(c: DrillConfig, f: Fault): string | undefined {
  const listed = c.target?.faults;
  if (c.mode !== 'attach' || !listed) return undefined;
  if (isBrokerFault(f.kind)) return (f.dataCenter === 'upstream' ? listed.upstreamBrokers : listed.downstreamBrokers)[f.index - 1];
  return f.kind === 'connect-kill' || f.kind === 'connect-pause' ? listed.connectWorkers[f.index - 1] : undefined;
}
