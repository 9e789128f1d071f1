import { MATRIX_PORT_STEP } from '../../src/domain/kafka-matrix';
import { maxOffsetBelow } from '../../src/domain/ports';

/**
 * Every integration lab's port offset, in one table so no two files share one. All stay low
 * enough that every host port sits below the kernel's ephemeral range (32768 and up): there an
 * outgoing connection of any process can hold the very port a lab is about to publish, and the
 * provision fails with PortInUse on a healthy machine (it did, in CI, at offset 9000).
 */
export const PORT_OFFSETS = {
  lite: 1000,
  portInUse: 1100,
  unhealthy: 1200,
  imageMissing: 1300,
  crash: 1400,
  drill: 1500,
  operate: 1600,
  faults: 1700,
  placement: 1800, // and 1900: the upstream placement's lab, MATRIX_PORT_STEP apart
  failover: 2500,
  scram: 2000,
  kafkaVersions: 2100, // and 2200: one lab per version, MATRIX_PORT_STEP apart
  temporal: 2300,
  brokerKill: 2400,
  library: 2600,
  disaster: 2700,
  failback: 2800, // and 2900: the IdentityReplicationPolicy lab, MATRIX_PORT_STEP apart
} as const;

const offsets: number[] = Object.values(PORT_OFFSETS);
if (new Set(offsets).size !== offsets.length || Math.max(...offsets) + MATRIX_PORT_STEP > maxOffsetBelow(32768)) {
  throw new Error('test/helpers/ports.ts: port offsets must be distinct and keep host ports below 32768');
}
