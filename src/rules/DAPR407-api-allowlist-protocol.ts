// DAPR407 api-allowlist-protocol: API allow/deny entries that daprd ignores
// for want of a usable `protocol`, and allowlists that fence in only one of
// the two APIs every sidecar serves (HTTP on 3500, gRPC on 50001).
import type { Pair, Scalar } from 'yaml';
import { asMap, child, pairOf, type ParsedDoc, scalarText, seqItems, type YNode } from '../engine/yaml.js';
import { configuration } from './examples.js';
import { describe } from './helpers.js';
import type { ConfigurationInstance } from './mtls-state.js';
import type { ReportInput, Rule } from './types.js';

type Report = (r: ReportInput) => void;
type Protocol = 'http' | 'grpc';
const LISTS = ['allowed', 'denied'] as const;

function allowlistConfiguration(entries: string[]): string {
  return configuration('orders-config', 'shop', ['  api:', '    allowed:', ...entries.map((e) => `      ${e}`)]);
}

/**
 * Which API honours an entry. The HTTP server lower-cases the value before
 * comparing (pkg/config/configuration.go `GetRulesByProtocol`); the gRPC
 * server wants exactly "grpc" (pkg/api/grpc/endpoints.go `apiAccessRuleToMap`).
 */
export function protocolOf(value: string): Protocol | undefined {
  if (value.toLowerCase() === 'http') return 'http';
  if (value === 'grpc') return 'grpc';
  return undefined;
}

function entryLabel(list: string, index: number, pdoc: ParsedDoc, entry: YNode): string {
  const name = scalarText(child(entry, 'name', pdoc), pdoc);
  const version = scalarText(child(entry, 'version', pdoc), pdoc);
  const what = name ? ` (${name}${version ? ` ${version}` : ''})` : '';
  return `spec.api.${list}[${index}]${what}`;
}

/** Reports an unusable protocol; returns the protocol the entry applies to. */
function checkEntry(inst: ConfigurationInstance, list: string, index: number, entry: YNode, report: Report): Protocol | undefined {
  const { pdoc } = inst.resource;
  const label = entryLabel(list, index, pdoc, entry);
  const node = child(entry, 'protocol', pdoc);
  const value = scalarText(node, pdoc);
  const path = `spec.api.${list}[${index}].protocol`;
  if (value === undefined || value.trim() === '') {
    const at = node === undefined || node === null ? { pdoc, node: entry } : { pdoc, node };
    const effect = list === 'allowed' ? 'an allowlist made only of such entries restricts nothing' : 'the API stays allowed';
    report({ message: `${label} of ${describe(inst)} has no protocol: both the HTTP and the gRPC API ignore the entry (${effect}). Add protocol: http or protocol: grpc, one entry per protocol.`, at, on: inst, path });
    return undefined;
  }
  const protocol = protocolOf(value);
  if (protocol) return protocol;
  const grpcCase = value.toLowerCase() === 'grpc';
  const why = grpcCase ? 'the gRPC API compares it with exactly "grpc"' : 'only http and grpc exist';
  report({ message: `${label} of ${describe(inst)} has protocol "${value}", which neither API honours (${why}): the entry is ignored. Write protocol: ${grpcCase ? 'grpc' : 'http or protocol: grpc'}.`, at: { pdoc, node }, on: inst, path });
  return undefined;
}

function checkCoverage(inst: ConfigurationInstance, pair: Pair<Scalar, YNode>, covered: Set<Protocol>, report: Report): void {
  if (covered.size !== 1) return;
  const [only] = [...covered];
  const open = only === 'http' ? 'gRPC API (port 50001)' : 'HTTP API (port 3500)';
  const add = only === 'http' ? 'grpc' : 'http';
  report({
    message: `The API allowlist of ${describe(inst)} lists only ${only === 'http' ? 'HTTP' : 'gRPC'} entries: the ${open} stays fully open, since an allowlist only restricts the protocol it names. Add the same APIs with protocol: ${add}.`,
    at: { pdoc: inst.resource.pdoc, node: pair.key },
    on: inst,
    path: 'spec.api.allowed',
  });
}

function checkConfiguration(inst: ConfigurationInstance, report: Report): void {
  const { pdoc, spec } = inst.resource;
  const api = asMap(child(spec, 'api', pdoc), pdoc);
  for (const list of LISTS) {
    const pair = pairOf(api, list);
    if (!pair) continue;
    const covered = new Set<Protocol>();
    seqItems(pair.value, pdoc).forEach((entry, i) => {
      if (!asMap(entry, pdoc)) return; // not an entry object: DAPR002's finding
      const protocol = checkEntry(inst, list, i, entry, report);
      if (protocol) covered.add(protocol);
    });
    if (list === 'allowed') checkCoverage(inst, pair, covered, report);
  }
}

export const rule: Rule = {
  meta: {
    id: 'DAPR407',
    name: 'api-allowlist-protocol',
    shortDescription: 'An API allow/deny entry has no usable protocol (it is ignored), or an allowlist covers only one of http/grpc (the other stays open).',
    fullDescription:
      'Reports an entry of a Configuration\'s `spec.api.allowed` or `spec.api.denied` without `protocol` (or with one neither API honours: anything but `http` in any case, or exactly `grpc`): daprd ignores it. Also reports an allowlist whose usable entries cover only `http` or only `grpc`: every sidecar serves both APIs, and the one the list does not name stays fully open. Points at the entry (or its `protocol` value), and at the `allowed` key for a one-protocol allowlist.',
    levels: { default: 'error' },
    securitySeverity: 6.0,
    tags: ['security', 'least-privilege', 'api-allowlist'],
    precision: 'very-high',
    docs: {
      why: 'The API allowlist is how an app limits which Dapr building blocks its sidecar exposes (for instance: state, but not secrets). daprd splits the lists by protocol and drops entries without one, so an allowlist written without `protocol`, or only for HTTP, leaves the gRPC API on port 50001 serving every building block, which any process that can reach the pod can call.',
      fix: 'Give every entry `protocol: http` or `protocol: grpc`, and list each allowed API once per protocol (HTTP versions look like `v1.0`, gRPC ones like `v1`).',
      incorrect: [{ files: { 'production/orders-config.yaml': allowlistConfiguration(['- name: state', '  version: v1.0', '  protocol: http', '- name: publish', '  version: v1.0']) } }],
      correct: [
        {
          files: {
            'production/orders-config.yaml': allowlistConfiguration(['- name: state', '  version: v1.0', '  protocol: http', '- name: state', '  version: v1', '  protocol: grpc']),
          },
        },
      ],
      notes: [
        'Protocol matching follows dapr/dapr: the HTTP server lower-cases the value (pkg/config/configuration.go `GetRulesByProtocol`), the gRPC server compares it with exactly "grpc" (pkg/api/grpc/endpoints.go `apiAccessRuleToMap`). So `HTTP` works and `GRPC` is ignored by both; the catalog only names a missing protocol, and an unusable one has the same effect.',
        'A denylist that names only one protocol is not reported (the catalog judges allowlists), though the other protocol keeps serving the APIs it denies: deny each API once per protocol.',
      ],
    },
  },
  check({ model, report }) {
    for (const inst of model.ofType('configuration')) checkConfiguration(inst, report);
  },
};
