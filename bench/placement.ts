/**
 * Placement benchmark: `lab experiment placement` on lite (or `--topology chapter`), the same fault
 * schedule with Connect downstream and upstream, several trials each; prints the experiment's table
 * and the settings the result depends on. Not a test.
 *
 *   npm run bench:placement -- [--trials 3] [--fault link-cut:150 --fault connect-kill:30] [drill flags]
 */
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { mirrorConnectorConfigs } from '../src/mirror/connectors';

const args = process.argv.slice(2);
const r = spawnSync(process.execPath, [resolve(__dirname, '../bin/lab.js'), 'experiment', 'placement', '--port-offset', '3100', ...args], {
  stdio: ['ignore', 'inherit', 'inherit'],
});
const source = mirrorConnectorConfigs({ sourceBootstrap: [], targetBootstrap: [], topic: 't', partitions: 3, replicationFactor: 1 })[
  'mm2-source-src'
];
process.stdout.write(
  `\nsettings: MirrorMaker 2 source connector ${JSON.stringify(Object.fromEntries(Object.entries(source).filter(([k]) => !k.includes('bootstrap'))))};\n` +
    "Connect's producer: acks=all, delivery.timeout.ms 120000 (Kafka's defaults); the drill's producer: kafkajs, acks=all, idempotent.\n",
);
process.exitCode = r.status ?? 1;
