// DAPR001 yaml-syntax: a scanned file that is not valid YAML.
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR001',
    name: 'yaml-syntax',
    shortDescription: 'A scanned file is not valid YAML.',
    fullDescription:
      'Reports a scanned YAML or JSON file that the parser rejects (bad indentation, duplicate keys, unclosed quotes), that is binary, or that is not valid UTF-8. The finding points at the position the parser reports; the other documents of the file that parse are still checked, and the rest of the repository is scanned. A document whose aliases expand beyond the limit (a "billion laughs") is reported here too, without being expanded. Helm chart templates are not YAML and are never reported here.',
    levels: { default: 'error' },
    securitySeverity: 0,
    tags: ['correctness', 'yaml'],
    precision: 'very-high',
    docs: {
      why: 'A manifest that does not parse is not applied by kubectl, Flux or Argo CD, and no rule can check what it would have configured: a broken file can hide a Component without scopes or a sidecar listening on every interface. Duplicate keys are an error too: when YAML tools disagree on which value wins, the reviewer and the cluster can see different settings.',
      fix: 'Fix the syntax at the reported position. Run the file through `kubectl apply --dry-run=client -f <file>` to confirm.',
      incorrect: [
        {
          title: 'A flow sequence that is never closed',
          files: { 'components/statestore.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nscopes: [task-api\n' },
        },
        {
          title: 'The same key twice: which scopes apply?',
          files: { 'components/statestore.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nscopes: [task-api]\nscopes: []\n' },
        },
      ],
      correct: [
        {
          files: { 'components/statestore.yaml': 'apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n  type: state.redis\n  version: v1\n  metadata: []\nscopes: [task-api]\n' },
        },
      ],
      notes: [
        'Files are read as YAML 1.1, as Kubernetes does: `yes` and `on` are booleans.',
        'A `.json` file is only parsed when it mentions `"apiVersion"`, `"services"` or `"apps"`; `package.json` and `tsconfig.json` are not manifests.',
        'A document that holds nothing any rule reads (no `dapr`, no PEM block, not a Service, Ingress, HTTPRoute or Secret; see README "What is read") is skipped before parsing, so its syntax is not judged either. Kustomizations, `Chart.yaml`, values and compose files are always parsed. Set `"precheck": false` to judge every document.',
      ],
    },
  },
  check({ model, report }) {
    for (const p of model.syntaxProblems) {
      report({
        message: `Not valid YAML: ${p.message}.`.replace(/\.\.$/, '.'),
        at: { file: p.file, region: p.region },
        environment: model.environmentOfFile(p.file),
        resourceKey: p.file,
        path: 'syntax',
      });
    }
  },
};
