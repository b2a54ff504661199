// DAPR203–DAPR206 against real Dapr repositories (../shared/corpus). Every hit
// was looked at by hand; this pins the real findings and the false positives
// that were fixed. Skipped when the corpus is absent.
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ScanResult } from '../../src/engine/run.js';
import { CORPUS, hasCorpus, hits, of, scanDir } from '../helpers.js';

const RULES = ['DAPR203', 'DAPR204', 'DAPR205', 'DAPR206'];

describe.skipIf(!hasCorpus)('secret rules on the shared corpus', () => {
  let result: ScanResult;
  beforeAll(() => {
    result = scanDir(CORPUS);
  });

  it('run without failing', () => {
    expect(result.notifications.filter((n) => n.id === 'rule-failed' && RULES.some((id) => n.message.includes(id)))).toEqual([]);
  });

  it('DAPR203: the committed Secrets of dapr/samples functions-and-keda, at their data key', () => {
    const found = of(result, 'DAPR203');
    const base = 'dapr__samples/functions-and-keda';
    expect(hits(found)).toEqual([
      { rule: 'DAPR203', file: `${base}/deploy/javascript-function-subscriber.yaml`, line: 1, column: 1 },
      { rule: 'DAPR203', file: `${base}/deploy/python-function-publisher.yaml`, line: 5, column: 1 },
      { rule: 'DAPR203', file: `${base}/utils/base-templates/javascript-function-subscriber-base.yaml`, line: 1, column: 1 },
      { rule: 'DAPR203', file: `${base}/utils/base-templates/python-function-publisher-base.yaml`, line: 5, column: 1 },
    ]);
    // AzureWebJobsStorage holds the token CONNECTION_STRING_B64 (not base64: a script replaces it) and is not counted
    for (const r of found) {
      expect(r.message).toContain('commits a value in data (base64 is an encoding, not encryption) for FUNCTIONS_WORKER_RUNTIME:');
      expect(r.message).not.toContain('AzureWebJobsStorage');
      expect(r.level).toBe('error');
    }
    // a Secret whose only value is that token, or `<your-base64-encoded-connection-string>`, is silent
    const files = new Set(found.map((r) => r.location.file));
    expect(files.has(`${base}/deploy/csharp-function-subscriber.yaml`)).toBe(false);
    expect(files.has('dapr__samples/batch-file-processing/deploy/batch-processor-keda.yaml')).toBe(false);
  });

  it('DAPR204: components-contrib certification components name `auth.secretstore` (lower case, read by self-hosted daprd) and are not judged', () => {
    expect(of(result, 'DAPR204')).toEqual([]);
    const contrib = result.model.ofType('component').filter((c) => c.resource.pdoc.file.path.startsWith('dapr__components-contrib/tests/certification/pubsub/azure/servicebus'));
    expect(contrib.length).toBeGreaterThan(0);
  });

  it('DAPR204: in the dapr/samples monorepo, one sample\'s Secret does not make the others\' references look broken', () => {
    const samples = scanDir(path.join(CORPUS, 'dapr__samples'));
    // Secrets "redis" and "twitter-*" come from `helm install` / `kubectl create secret` in the READMEs
    expect(samples.model.secretsIn('default').length).toBeGreaterThan(0);
    const refs = samples.model.ofType('component').filter((c) => c.resource.metadataItems.some((m) => m.secretKeyRef?.name?.value === 'redis'));
    expect(refs.length).toBeGreaterThan(0);
    expect(of(samples, 'DAPR204')).toEqual([]);
  });

  it('DAPR205: every auth.secretStore in the corpus names an existing store (reddog, eShopOnDapr, samples) or the built-in kubernetes', () => {
    expect(of(result, 'DAPR205')).toEqual([]);
    const named = result.model.ofType('component').filter((c) => c.resource.secretStore);
    expect(named.map((c) => c.resource.secretStore?.value)).toContain('reddog.secretstore');
    expect(named.length).toBeGreaterThanOrEqual(15);
  });

  it('DAPR206: no manifest in the corpus sets dapr.io/env', () => {
    expect(of(result, 'DAPR206')).toEqual([]);
  });
});
