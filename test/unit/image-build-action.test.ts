import { describe, expect, it } from 'vitest';
import { buildAction } from '../../src/images/build-images';
import { LABELS } from '../../src/lab/names';

describe('what an image build does with an existing image', () => {
  const plain = { force: false, trains: true, deferTraining: false };

  it('builds a missing or forced image', () => {
    expect(buildAction(undefined, plain)).toBe('build');
    expect(buildAction({ [LABELS.cds]: 'trained' }, { ...plain, force: true })).toBe('build');
  });

  it('trains an image whose training was deferred, once a build no longer defers', () => {
    expect(buildAction({ [LABELS.cds]: 'deferred' }, plain)).toBe('train');
    expect(buildAction({ [LABELS.cds]: 'deferred' }, { ...plain, deferTraining: true })).toBe('reuse');
  });

  it('reuses a trained image, one from before the label, and an image without a training run', () => {
    expect(buildAction({ [LABELS.cds]: 'trained' }, plain)).toBe('reuse');
    expect(buildAction({ [LABELS.managed]: 'true' }, plain)).toBe('reuse');
    expect(buildAction({ [LABELS.cds]: 'deferred' }, { ...plain, trains: false })).toBe('reuse');
  });
});
