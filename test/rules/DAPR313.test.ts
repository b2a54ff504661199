// DAPR313 remote-app-channel: an app channel address off the sidecar's host.
// Loopback, localhost and the unspecified addresses are local; values that are
// not an IP or host name, or are built at deploy time, are not judged.
import { describe, expect, it } from 'vitest';
import { classifyAddress } from '../../src/rules/DAPR313-remote-app-channel.js';
import { hits, of, scanFixture } from '../helpers.js';

const ID = 'DAPR313';

describe('DAPR313 remote-app-channel', () => {
  const result = scanFixture('rules/DAPR313/fires');
  const found = of(result, ID);

  it('points at remote addresses only, for every source', () => {
    expect(result.executionSuccessful).toBe(true);
    expect(hits(found)).toEqual([
      { rule: ID, file: 'deploy/apps.yaml', line: 15, column: 38 },
      { rule: ID, file: 'deploy/apps.yaml', line: 35, column: 38 },
      // Multi-App Run appChannelAddress (the "localhost" app is fine)
      { rule: ID, file: 'local/dapr.yaml', line: 5, column: 24 },
      // compose: the flag's value in a command list
      { rule: ID, file: 'local/docker-compose.yml', line: 6, column: 71 },
    ]);
    expect(found.map((r) => r.level)).toEqual(['warning', 'warning', 'warning', 'warning']);
  });

  it('says what leaves the host and how it travels', () => {
    expect(found[0].message).toBe(
      'Deployment "orders" sets dapr.io/app-channel-address: "10.0.0.12", an address off the sidecar\'s own host: daprd sends this app\'s service invocations, pub/sub deliveries and binding events (and its app API token, if one is set) to another host in plaintext across the network. Run the app beside its sidecar and leave the address at 127.0.0.1 (the default), or make sure only the app can be reached at that address.',
    );
    // app-protocol https: encrypted, but Dapr does not verify the app's certificate
    expect(found[1].message).toContain('over TLS that Dapr does not verify');
    expect(found[2].message).toContain('Multi-App Run app "checkout" sets appChannelAddress: 192.168.1.20');
    expect(found[3].message).toContain('compose service "cart-dapr" sets --app-channel-address=cart');
  });

  it('classifies addresses', () => {
    for (const local of ['127.0.0.1', '127.9.9.9', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', 'localhost', 'LOCALHOST', '0.0.0.0', '::', ' 127.0.0.1 ']) {
      expect(classifyAddress(local), local).toBe('local');
    }
    for (const remote of ['10.0.0.12', '192.168.1.20', '::ffff:10.0.0.1', 'fd00::1', 'cart', 'billing.shop.svc.cluster.local', '128.0.0.1']) {
      expect(classifyAddress(remote), remote).toBe('remote');
    }
    for (const unknown of ['10.0.0.1:3000', 'http://cart', 'a b']) {
      expect(classifyAddress(unknown), unknown).toBe('unknown');
    }
  });
});
