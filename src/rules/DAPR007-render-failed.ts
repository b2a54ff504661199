// DAPR007 render-failed: a Helm chart or kustomization that could not be
// rendered. The scan never skips it silently: it falls back to reading it
// statically (src/engine/render), and this rule says so, at the chart's
// Chart.yaml or the kustomization, with the reason (binary missing, exit
// code and the first lines of stderr, an input refused before running).
import type { RenderFailure } from '../engine/render/index.js';
import { component } from './examples.js';
import type { LevelTable, Rule } from './types.js';

/** Config `render: "required"`: a chart or kustomization that was not rendered is an error everywhere. */
const REQUIRED: LevelTable = { default: 'error' };

function advice(f: RenderFailure): string {
  const missing = /binary on PATH|does not exist|not an executable|not an absolute path|inside the scanned repository/.test(f.reason);
  if (f.tool === 'helm') {
    return missing
      ? 'Install helm where dapr-policy runs (or set helm.binary in rules.config.json), or set "render": "off" to read charts statically on purpose.'
      : 'Make `helm template` succeed offline (dependencies vendored in charts/, values files in the repository), or set "render": "off" to read charts statically on purpose.';
  }
  return missing
    ? 'Install kustomize or kubectl where dapr-policy runs (or set kustomize.binary in rules.config.json), or set "render": "off" to read kustomizations statically on purpose.'
    : 'Make `kustomize build` succeed offline (local bases only, no helmCharts or plugins), or set "render": "off" to read kustomizations statically on purpose.';
}

/** One message for every failing variant of a file: merged results of one file read alike. */
function message(group: RenderFailure[]): string {
  const f = group[0];
  const reasons = [...new Set(group.map((g) => g.reason))];
  const variants = (reason: string): string[] => [...new Set(group.filter((g) => g.reason === reason).map((g) => g.via))].sort();
  let why: string;
  if (f.tool === 'kustomize') why = `${f.subject} was not built: ${reasons.join('; ')}`;
  else if (reasons.length === 1) why = `${f.subject} was not rendered with ${variants(reasons[0]).join(', ')}: ${reasons[0]}`;
  else why = `${f.subject} was not rendered: ${reasons.map((r) => `with ${variants(r).join(', ')}, ${r}`).join('; ')}`;
  const fallback = [...new Set(group.map((g) => g.fallback))].join(' ');
  return `${why.replace(/[.\s]+$/, '')}. ${fallback} ${advice(f)}`;
}

export const rule: Rule = {
  meta: {
    id: 'DAPR007',
    name: 'render-failed',
    shortDescription: 'A Helm chart or kustomization could not be rendered, so it was only read statically.',
    fullDescription:
      'dapr-policy renders Helm charts (`helm template`, each values variant) and kustomization entry points (`kustomize build` or `kubectl kustomize`) and checks what they produce. This rule reports a chart variant or entry point that could not be rendered: no renderer binary, a failing render (exit code and the first lines of its error), a timeout, or an input refused before anything ran (a remote base, a path or link out of the repository, helmCharts). The scan then falls back to a static reading, and says so here. Points at the chart\'s `name` in Chart.yaml, or at the kustomization (at the remote base it refused, when that is the reason).',
    levels: { default: 'warning', nonProduction: 'note' },
    securitySeverity: 0,
    tags: ['correctness', 'coverage', 'helm', 'kustomize'],
    precision: 'very-high',
    docs: {
      why: 'What the cluster gets is the rendered output: values files decide annotations, patches change scopes, overlays move resources to other namespaces. A chart or overlay that cannot be rendered is checked from its source text only, where every `{{ }}` is unknown and no patch is applied, so real findings can be missed and others placed in the wrong namespace. A scanner that drops such a chart without a word gives false confidence; this rule makes the gap visible.',
      fix: 'Make the render work offline where dapr-policy runs: install helm and kustomize (or kubectl), or point `helm.binary` / `kustomize.binary` at them; vendor chart dependencies into `charts/` (dapr-policy never runs `helm dependency update`); keep kustomize bases local. If static reading is what you want, set `"render": "off"`. With `"render": "required"` this rule is an error in every environment.',
      incorrect: [
        {
          title: 'A kustomization with a remote base: it is never fetched',
          files: {
            'deploy/kustomization.yaml': 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nresources:\n  - https://github.com/example/platform//dapr?ref=v1.2.0\n  - statestore.yaml\n',
            'deploy/statestore.yaml': component('statestore', 'state.redis', { tail: ['scopes: [orders]'] }),
          },
        },
        {
          title: 'A chart, with no helm to render it',
          files: {
            'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
            'chart/values.yaml': 'appId: orders\n',
            'chart/templates/orders.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: {{ .Values.appId | quote }}\n',
          },
          config: { helm: { binary: '/nonexistent/helm' } },
        },
      ],
      correct: [
        {
          title: 'Rendering turned off on purpose: charts and kustomizations are read statically',
          files: {
            'chart/Chart.yaml': 'apiVersion: v2\nname: shop\nversion: 1.0.0\n',
            'chart/values.yaml': 'appId: orders\n',
            'chart/templates/orders.yaml': 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: orders\nspec:\n  template:\n    metadata:\n      annotations:\n        dapr.io/enabled: "true"\n        dapr.io/app-id: {{ .Values.appId | quote }}\n',
          },
          config: { render: 'off' },
        },
      ],
      notes: [
        'Levels: a warning by default and in production, a note for non-production charts and overlays (their findings are judged leniently anyway). Config `"render": "required"` makes it an error everywhere; `"render": "off"` turns rendering and this rule off.',
        'A Helm chart is rendered once per values variant: the `values-<env>.yaml` files beside its Chart.yaml (each mapped to its environment), or the releases listed in config `helm.charts`. One result per chart names every variant that failed.',
        'Fallbacks: a chart that no variant could render is read from its templates, with every `{{ }}` expression an unknown value (static annotations such as `dapr.io/sidecar-listen-addresses: "0.0.0.0"` are still found, in the template); a kustomization that could not be built keeps the static namespace inheritance. See docs/rendering.md.',
        'Subcharts vendored under `charts/` are rendered with their parent and library charts are never rendered, so neither is reported.',
      ],
    },
  },
  check({ model, config, report }) {
    const byFile = new Map<string, RenderFailure[]>();
    for (const f of model.renderFailures) {
      const list = byFile.get(f.file) ?? [];
      list.push(f);
      byFile.set(f.file, list);
    }
    for (const [file, group] of byFile) {
      const text = message(group);
      for (const f of group) {
        report({
          message: text,
          at: f.at,
          related: f.related.map((r) => ({ at: r.at, label: r.label })),
          environment: f.environment,
          namespace: f.namespace,
          resourceKey: `${f.tool}:${file}`,
          path: 'render',
          ...(config.render === 'required' ? { levels: REQUIRED } : {}),
        });
      }
    }
  },
};
