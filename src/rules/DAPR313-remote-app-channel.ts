// DAPR313 remote-app-channel: daprd sends the app's traffic (and app token) to an address off the local host.
import net from 'node:net';
import type { AppInstance } from '../engine/model.js';
import { isTruthy } from '../knowledge/annotations.js';
import { daprAnnotations, deployment } from './examples.js';
import { describeApps, isTemplated, sets, settingPath, settingsByNode, type SharedSetting, showSetting } from './sidecar-setting-helpers.js';
import type { Rule } from './types.js';

/**
 * Addresses that stay on the sidecar's own host: the loopback ranges, and the
 * unspecified addresses, which Go's net.Dial treats as "the local system".
 */
const LOCAL = new net.BlockList();
LOCAL.addSubnet('127.0.0.0', 8, 'ipv4');
LOCAL.addAddress('0.0.0.0', 'ipv4');
LOCAL.addAddress('::1', 'ipv6');
LOCAL.addAddress('::', 'ipv6');
LOCAL.addSubnet('::ffff:127.0.0.0', 104, 'ipv6');

const HOSTNAME = /^[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*\.?$/i;

type Verdict = 'local' | 'remote' | 'unknown';

/** `localhost` counts as local: it resolves to loopback in every pod and container image Dapr supports. */
export function classifyAddress(value: string): Verdict {
  const raw = value.trim();
  const bare = raw.startsWith('[') && raw.endsWith(']') ? raw.slice(1, -1) : raw;
  const family = net.isIP(bare);
  if (family === 4) return LOCAL.check(bare, 'ipv4') ? 'local' : 'remote';
  if (family === 6) return LOCAL.check(bare, 'ipv6') ? 'local' : 'remote';
  if (bare.toLowerCase() === 'localhost' || bare.toLowerCase() === 'localhost.') return 'local';
  // Anything else that is not a host name (a port appended, a URL) is not something daprd can dial: not ours to judge.
  return HOSTNAME.test(bare) ? 'remote' : 'unknown';
}

function usesTls(app: AppInstance): boolean {
  const protocol = app.app.settings.get('app-protocol')?.value.trim().toLowerCase();
  return protocol === 'https' || protocol === 'grpcs' || isTruthy(app.app.settings.get('app-ssl')?.value);
}

function message(app: AppInstance, { setting, apps }: SharedSetting): string {
  const transport = usesTls(app)
    ? 'over TLS that Dapr does not verify (it skips certificate checks on the app channel), so whoever answers at that address receives them'
    : 'in plaintext across the network';
  return `${describeApps(apps)} ${sets(apps)} ${showSetting(setting)}, an address off the sidecar's own host: daprd sends this app's service invocations, pub/sub deliveries and binding events (and its app API token, if one is set) to another host ${transport}. Run the app beside its sidecar and leave the address at 127.0.0.1 (the default), or make sure only the app can be reached at that address.`;
}

export const rule: Rule = {
  meta: {
    id: 'DAPR313',
    name: 'remote-app-channel',
    shortDescription: 'The sidecar sends the app\'s traffic to an address off its own host.',
    fullDescription:
      'Reports `dapr.io/app-channel-address` (Multi-App Run `appChannelAddress`, daprd `--app-channel-address`) set to an address that is not local to the sidecar: anything but the loopback ranges (`127.0.0.0/8`, `::1`), the name `localhost`, and the unspecified addresses `0.0.0.0`/`::` (which Go dials as the local host). Invocations, pub/sub deliveries and binding events for the app, with the app API token, then cross the network to another host. Points at the value.',
    levels: { default: 'warning' },
    securitySeverity: 5.0,
    tags: ['security', 'network', 'sidecar'],
    precision: 'high',
    docs: {
      why: 'Between the sidecar and its app there is no mTLS: the app channel is plain HTTP or gRPC, or TLS without certificate verification. Pointing it at another host puts every request Dapr delivers to the app, and the `APP_API_TOKEN` that is supposed to prove the caller is Dapr, on the network for anyone who can reach, spoof or take over that address.',
      fix: 'Run the app in the same pod (or, in compose, share the network namespace with `network_mode: service:<app>`) and leave the address at its default, `127.0.0.1`.',
      incorrect: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/app-channel-address: task-api-backend.shop.svc.cluster.local'])),
          },
        },
        {
          title: 'compose',
          files: {
            'docker-compose.yml': [
              'services:',
              '  task-api:',
              '    image: ghcr.io/example/task-api:1.0.0',
              '  task-api-dapr:',
              '    image: daprio/daprd:1.16.0',
              '    command: ["./daprd", "--app-id", "task-api", "--app-channel-address", "task-api", "--dapr-listen-addresses", "127.0.0.1"]',
              '',
            ].join('\n'),
          },
        },
      ],
      correct: [
        {
          files: {
            'deploy/task-api.yaml': deployment('task-api', daprAnnotations('task-api', ['dapr.io/app-channel-address: 127.0.0.1'])),
          },
        },
      ],
      notes: [
        '`localhost` is treated as local: it resolves to loopback in every pod and in the usual container images. The unspecified addresses `0.0.0.0` and `::` are local too: Go\'s net.Dial connects to the local system for them.',
        'Values that are not an IP address or a host name (an address with a port, a URL) and values built at render time are not judged.',
        'daprd\'s default is `127.0.0.1`; the injector passes `--app-channel-address` only when the annotation is non-empty (dapr/dapr pkg/injector/patcher/sidecar_container.go).',
      ],
    },
  },
  check({ model, report }) {
    for (const shared of settingsByNode(model.apps, 'app-channel-address')) {
      const { setting } = shared;
      if (setting.value.trim() === '' || isTemplated(setting.value) || classifyAddress(setting.value) !== 'remote') continue;
      for (const app of shared.apps) report({ message: message(app, shared), at: setting, on: app, path: settingPath(app.app, 'app-channel-address') });
    }
  },
};
