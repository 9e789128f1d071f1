import { describe, expect, it } from 'vitest';
import { KAFKA_VERSIONS, SUPPORTED_KAFKA_VERSIONS } from '../../infra/images';
import { resolveDrillInput } from '../../src/domain/resolve-drill-input';
import { matrixRuns } from '../../src/domain/kafka-matrix';
import { kafkaPomProperties } from '../../src/images/build-images';

describe('the Kafka version matrix', () => {
  it('drills every supported version by default, each on its own lab id and ports', () => {
    expect(matrixRuns({})).toEqual([
      { kafkaVersion: '3.9.1', labId: 'matrix-k391', portOffset: 0 },
      { kafkaVersion: '4.3.0', labId: 'matrix-k430', portOffset: 100 },
    ]);
    expect(matrixRuns({ labId: 'kv-m', portOffset: 13000, kafkaVersions: ['4.3.0', '3.9.1'] })).toEqual([
      { kafkaVersion: '4.3.0', labId: 'kv-m-k430', portOffset: 13000 },
      { kafkaVersion: '3.9.1', labId: 'kv-m-k391', portOffset: 13100 },
    ]);
  });

  it('refuses an unknown version in the drill input in the same words as `lab up`', () => {
    expect(resolveDrillInput({ kafkaVersion: '2.8.0' })).toEqual({
      problem: 'unknown Kafka version "2.8.0"',
      fix: 'use one of 3.9.1, 4.3.0, the versions infra/images.ts pins',
    });
    expect(resolveDrillInput({ kafkaVersion: '4.3.0' })).toMatchObject({ kafkaVersion: '4.3.0' });
  });
});

describe('the Kafka image build per version', () => {
  it('adds the logging backend each release ships: reload4j for 3.9, log4j2 for 4.x', () => {
    expect(kafkaPomProperties('3.9.1')).toMatchObject({
      'kafka.version': '3.9.1',
      'logging.lib1.artifact': 'reload4j',
      'logging.lib2.artifact': 'slf4j-reload4j',
    });
    expect(kafkaPomProperties('4.3.0')).toMatchObject({
      'kafka.version': '4.3.0',
      'logging.lib1.group': 'org.apache.logging.log4j',
      'logging.lib1.artifact': 'log4j-core',
      'logging.lib2.artifact': 'log4j-slf4j-impl',
    });
    for (const v of SUPPORTED_KAFKA_VERSIONS) expect(KAFKA_VERSIONS[v].loggingLibs).toHaveLength(2);
  });
});
