// DAPR312 sidecar-image-override: a pod replaces the injector's daprd image with one that is not allowed.
import { compileGlob } from '../engine/glob.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApp, quoteList } from './helpers.js';
import { enabledApps, isTemplated, settingPath, showSetting } from './sidecar-setting-helpers.js';
import type { Rule } from './types.js';

export const rule: Rule = {
  meta: {
    id: 'DAPR312',
    name: 'sidecar-image-override',
    shortDescription: 'A pod overrides the Dapr sidecar image with one that is not allowed.',
    fullDescription:
      'Reports `dapr.io/sidecar-image` set to an image that matches none of the globs in config `allowedSidecarImages` (picomatch syntax, where `*` does not cross `/`: `ghcr.io/dapr/daprd:1.16.*`). With the default empty list, every override is reported. Points at the value.',
    levels: { default: 'warning' },
    securitySeverity: 6.0,
    tags: ['security', 'supply-chain', 'sidecar'],
    precision: 'very-high',
    docs: {
      why: 'The sidecar holds the pod\'s Dapr identity: its mTLS certificate, the API token and the secrets of every component it loads. An image from an unreviewed registry or an unpinned tag (`:latest`, `:dev`, a debug build with Delve) replaces the control-plane\'s pinned daprd for that pod alone, outside the platform team\'s upgrade and scanning process.',
      fix: 'Remove the annotation so the injector uses the image the Dapr installation pins. If an override is needed (a FIPS or distroless build), list its repository and tag pattern in `allowedSidecarImages` in rules.config.json.',
      incorrect: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/sidecar-image: docker.io/someone/daprd:latest'])),
          },
          config: { allowedSidecarImages: ['ghcr.io/dapr/daprd:1.16.*'] },
        },
      ],
      correct: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/sidecar-image: ghcr.io/dapr/daprd:1.16.2-mariner'])),
          },
          config: { allowedSidecarImages: ['ghcr.io/dapr/daprd:1.16.*'] },
        },
      ],
      notes: [
        'An empty `dapr.io/sidecar-image: ""` is not an override: the injector then sets an empty image and the API server rejects the pod. Values built at render time (`{{ }}`, `${VAR}`) are not judged.',
        'Only Kubernetes pods have this switch; a compose daprd service chooses its image directly and a Multi-App Run app uses the local daprd binary.',
      ],
    },
  },
  check({ model, config, report }) {
    const allowed = config.allowedSidecarImages;
    const isAllowed = allowed.length > 0 ? compileGlob(allowed) : (): boolean => false;
    for (const app of enabledApps(model.apps)) {
      const setting = app.app.settings.get('sidecar-image');
      if (!setting || app.app.source !== 'kubernetes') continue;
      const image = setting.value.trim();
      if (image === '' || isTemplated(image) || isAllowed(image)) continue;
      const policy = allowed.length > 0 ? `matches none of allowedSidecarImages (${quoteList(allowed)})` : 'is not allowed: allowedSidecarImages in rules.config.json is empty';
      report({
        message: `${describeApp(app)} sets ${showSetting(setting)}, replacing the injector's daprd image with one that ${policy}. The sidecar holds the pod's mTLS identity, API token and component secrets. Remove the annotation, or add a glob for this image to allowedSidecarImages.`,
        at: setting,
        on: app,
        path: settingPath(app.app, 'sidecar-image'),
      });
    }
  },
};
