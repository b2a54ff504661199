// discover and parse: what is read, what is skipped, and exact positions.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { discover } from '../../src/engine/discover.js';
import { FIXTURES, hits, scanFiles, writeTree } from '../helpers.js';

const COMP = 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: c\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\n';

describe('discover', () => {
  it('reads manifests, PEM files and chart templates; skips .git, node_modules and vendored folders', () => {
    const dir = writeTree({
      'a.yaml': '',
      'b.yml': '',
      'c.json': '{}',
      'certs/ca.crt': '',
      'certs/key.pem': '',
      'README.md': '',
      'chart/Chart.yaml': 'name: x\n',
      'chart/values.yaml': '',
      'chart/templates/deploy.yaml': '{{ .Values.x }}',
      'chart/templates/_helpers.tpl': '',
      'chart/templates/sub/more.yaml': '',
      'notachart/templates/x.yaml': '',
      'loose.tpl': '',
      '.git/config.yaml': '',
      'node_modules/pkg/a.yaml': '',
      'vendor/lib/a.yaml': '',
      'deep/node_modules/b.yaml': '',
      '.dapr/resources/c.yaml': '',
    });
    const files = discover({ root: dir }).files.map((f) => `${f.path} ${f.kind}`);
    expect(files).toEqual([
      '.dapr/resources/c.yaml yaml',
      'a.yaml yaml',
      'b.yml yaml',
      'c.json yaml',
      'certs/ca.crt pem',
      'certs/key.pem pem',
      'chart/Chart.yaml yaml',
      'chart/templates/_helpers.tpl helm-template',
      'chart/templates/deploy.yaml helm-template',
      'chart/templates/sub/more.yaml helm-template',
      'chart/values.yaml yaml',
      'notachart/templates/x.yaml yaml',
    ]);
  });

  it('applies include and exclude globs from the config, relative to the root', () => {
    const dir = writeTree({ 'deploy/a.yaml': '', 'deploy/skip/b.yaml': '', 'docs/c.yaml': '', 'vendor/d.yaml': '' });
    const files = discover({ root: dir, include: ['deploy/**/*.yaml', 'vendor/**'], exclude: ['**/skip/**'] }).files.map((f) => f.path);
    expect(files).toEqual(['deploy/a.yaml', 'vendor/d.yaml']);
  });

  it('walks only the given folders, keeping paths relative to the root', () => {
    const dir = writeTree({ 'deploy/a.yaml': '', 'other/b.yaml': '' });
    expect(discover({ root: dir, dirs: [`${dir}/deploy`] }).files.map((f) => f.path)).toEqual(['deploy/a.yaml']);
  });
});

describe('parse', () => {
  it('reads every document of a multi-document file with exact positions', () => {
    const result = scanFiles({ 'multi.yaml': `---\n${COMP}---\n\n# comment\n${COMP.replace('name: c', 'name: d')}` });
    expect(hits(result.results)).toEqual([
      { rule: 'DAPR101', file: 'multi.yaml', line: 5, column: 9 },
      { rule: 'DAPR101', file: 'multi.yaml', line: 16, column: 9 },
    ]);
  });

  it('reads JSON manifests, and ignores JSON files that are not manifests', () => {
    const json = JSON.stringify({ apiVersion: 'dapr.io/v1alpha1', kind: 'Component', metadata: { name: 'j' }, spec: { type: 'state.redis', version: 'v1', metadata: [] } }, null, 2);
    const result = scanFiles({ 'c.json': `${json}\n`, 'tsconfig.json': '{ // comments are not JSON\n "compilerOptions": {} }\n', 'package.json': '{"name": "x"}' });
    expect(hits(result.results)).toEqual([{ rule: 'DAPR101', file: 'c.json', line: 5, column: 13 }]);
  });

  it('keeps columns right on CRLF files and after a byte-order mark', () => {
    const crlf = scanFiles({ 'crlf.yaml': COMP.replace(/\n/g, '\r\n') });
    expect(hits(crlf.results)).toEqual([{ rule: 'DAPR101', file: 'crlf.yaml', line: 4, column: 9 }]);
    const bom = scanFiles({ 'bom.yaml': Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(COMP)]) });
    expect(hits(bom.results)).toEqual([{ rule: 'DAPR101', file: 'bom.yaml', line: 4, column: 9 }]);
  });

  it('breaks lines at a lone CR as YAML (and Kubernetes) do: no syntax error, the same places, suppressions and all', () => {
    const cr = (s: string): string => s.replace(/\n/g, '\r');
    const pem = fs.readFileSync(path.join(FIXTURES, 'rules/DAPR207/fires/certs/server.pem'), 'utf8');
    const named = (name: string): string => COMP.replace('  name: c\n', `  name: ${name}\n`);
    const suppressed = COMP.replace('  name: c\n', '  # dapr-policy-disable-next-line DAPR101 -- one app only\n  name: d\n');
    const result = scanFiles({ 'cr.yaml': cr(named('a')), 'mixed.yaml': `${cr(named('b'))}---\r\n${COMP}`, 'quiet.yaml': cr(suppressed), 'certs/cr.pem': cr(pem) });
    expect(hits(result.results)).toEqual([
      { rule: 'DAPR207', file: 'certs/cr.pem', line: pem.slice(0, pem.indexOf('-----BEGIN PRIVATE KEY')).split('\n').length, column: 1 },
      { rule: 'DAPR101', file: 'cr.yaml', line: 4, column: 9 },
      { rule: 'DAPR101', file: 'mixed.yaml', line: 4, column: 9 },
      { rule: 'DAPR101', file: 'mixed.yaml', line: 13, column: 9 },
      { rule: 'DAPR101', file: 'quiet.yaml', line: 5, column: 9 },
    ]);
    expect(result.results.find((r) => r.location.file === 'quiet.yaml')?.suppression?.justification).toBe('one app only');
  });

  it('reads YAML 1.1 booleans as Kubernetes does, and does not parse chart templates', () => {
    const result = scanFiles({
      'chart/Chart.yaml': 'apiVersion: v2\nname: x\nversion: 1.0.0\n',
      'chart/templates/deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n  annotations: {{- toYaml . | nindent 4 }}\n',
      'app.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: yes\n    spec:\n      containers: [{ name: a, image: a }]\n',
    });
    expect(hits(result.results, 'DAPR003')).toEqual([{ rule: 'DAPR003', file: 'app.yaml', line: 9, column: 26 }]);
    // No YAML finding in the templates; only DAPR007, when no helm is on PATH to render the chart.
    expect(result.results.filter((r) => r.location.file.startsWith('chart/') && r.ruleId !== 'DAPR007')).toEqual([]);
  });
});

describe('workload kinds', () => {
  const annotations = '      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: "APP"\n';
  it('finds the pod template of every workload kind in the catalog', () => {
    const docs = [
      `apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: deployment}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'deployment')}`,
      `apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: statefulset}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'statefulset')}`,
      `apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {name: daemonset}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'daemonset')}`,
      `apiVersion: apps/v1\nkind: ReplicaSet\nmetadata: {name: replicaset}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'replicaset')}`,
      `apiVersion: batch/v1\nkind: Job\nmetadata: {name: job}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'job')}`,
      `apiVersion: batch/v1\nkind: CronJob\nmetadata: {name: cronjob}\nspec:\n  jobTemplate:\n    spec:\n      template:\n        metadata:\n${annotations.replace('APP', 'cronjob').replace(/^/gm, '    ').trimEnd()}\n`,
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod\n${annotations.replace('APP', 'pod').replace(/^ {4}/gm, '')}`,
      `apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: rollout}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'rollout')}`,
      `apiVersion: serving.knative.dev/v1\nkind: Service\nmetadata: {name: knative}\nspec:\n  template:\n    metadata:\n${annotations.replace('APP', 'knative')}`,
      `apiVersion: v1\nkind: Service\nmetadata: {name: plain-service}\nspec:\n  selector: {app: x}\n`,
    ];
    const result = scanFiles({ 'all.yaml': docs.join('---\n') });
    expect(result.model.apps.map((a) => `${a.app.kind}:${a.app.appId?.value}`)).toEqual([
      'Deployment:deployment',
      'StatefulSet:statefulset',
      'DaemonSet:daemonset',
      'ReplicaSet:replicaset',
      'Job:job',
      'CronJob:cronjob',
      'Pod:pod',
      'Rollout:rollout',
      'Service:knative',
    ]);
    expect(result.model.ofType('service').map((s) => s.resource.name)).toEqual(['plain-service']);
  });
});

describe('merge keys', () => {
  it('reads keys that arrive through YAML merge keys, the map own keys winning', () => {
    const result = scanFiles({
      'compose.yaml': 'x-daprd: &daprd\n  image: daprio/daprd:1.16.0\n  network_mode: "service:web"\nservices:\n  web:\n    image: web\n    ports: ["3500:3500"]\n  web-dapr:\n    <<: *daprd\n    command: ["./daprd", "--app-id", "web"]\n',
      'deploy.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      annotations: &common\n        dapr.io/enabled: "true"\n---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: other\nspec:\n  template:\n    metadata:\n      annotations:\n        <<: { dapr.io/enabled: "true", dapr.io/app-id: "from-merge" }\n        dapr.io/app-id: "own"\n',
    });
    const ids = result.model.apps.map((a) => `${a.app.source}:${a.app.appId?.value}:${a.app.publishedPorts?.length ?? '-'}`);
    expect(ids).toEqual(['kubernetes:undefined:-', 'kubernetes:own:-', 'compose:web:1']);
  });
});

describe('substringOffsets', () => {
  it('maps a range inside a literal block scalar back to the file', async () => {
    const { substringOffsets, child } = await import('../../src/engine/yaml.js');
    const result = scanFiles({ 'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: dapr-env\ndata:\n  env: |\n    A=1\n\n    TOKEN=abc\n' });
    const pdoc = result.model.parsed[0].docs[0];
    const node = child(child(pdoc.doc.contents, 'data', pdoc), 'env', pdoc);
    const value = 'A=1\n\nTOKEN=abc\n';
    const at = substringOffsets(pdoc, node, value.indexOf('TOKEN'), 5);
    expect(at && pdoc.text.slice(at[0], at[1])).toBe('TOKEN');
    expect(at && pdoc.lineCounter.linePos(at[0])).toEqual({ line: 9, col: 5 });
    // The same with lone CRs for line breaks: same offsets, same place.
    const cr = scanFiles({ 'cm.yaml': 'apiVersion: v1\rkind: ConfigMap\rmetadata:\r  name: dapr-env\rdata:\r  env: |\r    A=1\r\r    TOKEN=abc\r' });
    const crDoc = cr.model.parsed[0].docs[0];
    const crAt = substringOffsets(crDoc, child(child(crDoc.doc.contents, 'data', crDoc), 'env', crDoc), value.indexOf('TOKEN'), 5);
    expect(crAt && crDoc.text.slice(crAt[0], crAt[1])).toBe('TOKEN');
    expect(crAt && crDoc.lineCounter.linePos(crAt[0])).toEqual({ line: 9, col: 5 });
  });
});
