// extract: Kubernetes documents → typed resources (workloads, Services,
// Ingresses, Secrets, …). Dapr CRDs are in dapr.ts.
import { isMap } from 'yaml';
import { isTruthy } from '../../knowledge/annotations.js';
import type { Annotation, Container, DaprApp, Ingress, IngressBackend, PodTemplate, Resource, ResourceBase, Secret, SecretLike, Service, ServicePort, Setting, Str } from '../resources.js';
import { releasedResource } from '../release.js';
import { asMap, child, childPath, mapEntries, pairOf, type ParsedDoc, scalarText, seqItems, stringValue, type YNode } from '../yaml.js';

export function str(pdoc: ParsedDoc, node: YNode): Str | undefined {
  const value = stringValue(node, pdoc);
  return value === undefined ? undefined : { value, pdoc, node };
}

/** Like str, but also accepts unquoted numbers and booleans by their text. */
export function text(pdoc: ParsedDoc, node: YNode): Str | undefined {
  const value = scalarText(node, pdoc);
  return value === undefined ? undefined : { value, pdoc, node };
}

/** apiVersion, kind and metadata of a document, or undefined when it is not a Kubernetes object; a released document's are those extraction read. */
export function resourceBase(pdoc: ParsedDoc): ResourceBase | undefined {
  const known = releasedResource(pdoc);
  if (known) return known;
  const root = asMap(pdoc.doc.contents, pdoc);
  if (!root) return undefined;
  const apiVersion = stringValue(child(root, 'apiVersion', pdoc), pdoc);
  const kind = stringValue(child(root, 'kind', pdoc), pdoc);
  if (!apiVersion || !kind) return undefined;
  const slash = apiVersion.indexOf('/');
  const metadata = asMap(child(root, 'metadata', pdoc), pdoc);
  const nameNode = child(metadata, 'name', pdoc);
  const base: ResourceBase = {
    apiVersion,
    group: slash === -1 ? '' : apiVersion.slice(0, slash),
    kind,
    pdoc,
    root,
    metadata,
    name: scalarText(nameNode, pdoc),
    nameNode: nameNode ?? undefined,
  };
  const ns = str(pdoc, child(metadata, 'namespace', pdoc));
  if (ns && ns.value) base.declaredNamespace = ns;
  return base;
}

const APPS_KINDS = new Set(['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet']);

/** The pod template of a workload kind, or undefined when the document is not a workload. */
function podTemplateNode(base: ResourceBase): YNode {
  const { group, kind, root, pdoc } = base;
  if (group === 'apps' && APPS_KINDS.has(kind)) return childPath(root, ['spec', 'template'], pdoc);
  if (group === 'batch' && kind === 'Job') return childPath(root, ['spec', 'template'], pdoc);
  if (group === 'batch' && kind === 'CronJob') return childPath(root, ['spec', 'jobTemplate', 'spec', 'template'], pdoc);
  if (group === '' && kind === 'Pod') return root;
  if (group === 'argoproj.io' && kind === 'Rollout') return childPath(root, ['spec', 'template'], pdoc);
  if (group === 'serving.knative.dev' && kind === 'Service') return childPath(root, ['spec', 'template'], pdoc);
  return undefined;
}

export function isWorkloadKind(base: ResourceBase): boolean {
  const { group, kind } = base;
  return (
    (group === 'apps' && APPS_KINDS.has(kind)) ||
    (group === 'batch' && (kind === 'Job' || kind === 'CronJob')) ||
    (group === '' && kind === 'Pod') ||
    (group === 'argoproj.io' && kind === 'Rollout') ||
    (group === 'serving.knative.dev' && kind === 'Service')
  );
}

function containers(pdoc: ParsedDoc, spec: YNode, key: string): Container[] {
  const out: Container[] = [];
  for (const c of seqItems(child(spec, key, pdoc), pdoc)) {
    const node = asMap(c, pdoc);
    if (!node) continue;
    const ports = seqItems(child(node, 'ports', pdoc), pdoc).map((p) => {
      const cp = Number(scalarText(child(p, 'containerPort', pdoc), pdoc));
      return { containerPort: Number.isInteger(cp) ? cp : undefined, name: stringValue(child(p, 'name', pdoc), pdoc), node: p };
    });
    const nameNode = child(node, 'name', pdoc);
    out.push({ name: scalarText(nameNode, pdoc), anchor: nameNode ?? node, ports });
  }
  return out;
}

export function podTemplate(pdoc: ParsedDoc, templateNode: YNode): PodTemplate {
  const metadata = asMap(child(templateNode, 'metadata', pdoc), pdoc);
  const annotationsPair = pairOf(metadata, 'annotations', pdoc);
  const annotations = new Map<string, Annotation>();
  for (const { key, pair, value } of mapEntries(annotationsPair?.value, pdoc)) {
    annotations.set(key, { key, pair, valueNode: value, text: scalarText(value, pdoc) ?? '', isString: stringValue(value, pdoc) !== undefined, pdoc });
  }
  const labels = new Map<string, string>();
  for (const { key, value } of mapEntries(child(metadata, 'labels', pdoc), pdoc)) {
    const v = scalarText(value, pdoc);
    if (v !== undefined) labels.set(key, v);
  }
  const spec = asMap(child(templateNode, 'spec', pdoc), pdoc);
  const pod: PodTemplate = {
    annotationsPair,
    annotations,
    labels,
    containers: containers(pdoc, spec, 'containers'),
    initContainers: containers(pdoc, spec, 'initContainers'),
  };
  const hn = child(spec, 'hostNetwork', pdoc);
  const hnText = scalarText(hn, pdoc);
  if (hnText !== undefined) pod.hostNetwork = { value: hnText, enabled: hnText.toLowerCase() === 'true', pdoc, node: hn };
  return pod;
}

/** A Kubernetes workload's Dapr view: its pod annotations as settings. */
export function kubernetesApp(base: ResourceBase, pod: PodTemplate): DaprApp {
  const settings = new Map<string, Setting>();
  for (const a of pod.annotations.values()) {
    if (!a.key.startsWith('dapr.io/')) continue;
    const name = a.key.slice('dapr.io/'.length);
    settings.set(name, { name, value: a.text, source: a.key, pdoc: a.pdoc, node: a.valueNode, keyNode: a.pair.key });
  }
  const enabled = isTruthy(settings.get('enabled')?.value);
  const appIdSetting = settings.get('app-id');
  const app: DaprApp = {
    source: 'kubernetes',
    kind: base.kind,
    name: base.name ?? '(unnamed)',
    enabled,
    anchor: { pdoc: base.pdoc, node: base.nameNode ?? base.root },
    settings,
    resource: base,
    pod,
  };
  if (appIdSetting) app.appId = { value: appIdSetting.value, pdoc: appIdSetting.pdoc, node: appIdSetting.node };
  return app;
}

function servicePorts(pdoc: ParsedDoc, spec: YNode): ServicePort[] {
  return seqItems(child(spec, 'ports', pdoc), pdoc).map((p) => {
    const port = Number(scalarText(child(p, 'port', pdoc), pdoc));
    const tpNode = child(p, 'targetPort', pdoc);
    const tpText = scalarText(tpNode, pdoc);
    const nodePort = Number(scalarText(child(p, 'nodePort', pdoc), pdoc));
    const sp: ServicePort = { pdoc, node: p, port: Number.isInteger(port) ? port : undefined, name: stringValue(child(p, 'name', pdoc), pdoc) };
    if (tpText !== undefined) {
      sp.targetPort = /^\d+$/.test(tpText) ? Number(tpText) : tpText;
      sp.targetPortNode = tpNode;
    }
    if (Number.isInteger(nodePort)) sp.nodePort = nodePort;
    return sp;
  });
}

function stringMap(pdoc: ParsedDoc, node: YNode): Map<string, string> | undefined {
  if (!isMap(node)) return undefined;
  const m = new Map<string, string>();
  for (const { key, value } of mapEntries(node, pdoc)) {
    const v = scalarText(value, pdoc);
    if (v !== undefined) m.set(key, v);
  }
  return m;
}

function service(base: ResourceBase): Service {
  const spec = child(base.root, 'spec', base.pdoc);
  return {
    ...base,
    serviceType: stringValue(child(spec, 'type', base.pdoc), base.pdoc) ?? 'ClusterIP',
    selector: stringMap(base.pdoc, child(spec, 'selector', base.pdoc)),
    ports: servicePorts(base.pdoc, spec),
  };
}

function ingressBackend(pdoc: ParsedDoc, backend: YNode): IngressBackend | undefined {
  // networking.k8s.io/v1: backend.service.{name, port.{number|name}}; v1beta1: backend.{serviceName, servicePort}
  const svc = child(backend, 'service', pdoc);
  if (svc) {
    const name = stringValue(child(svc, 'name', pdoc), pdoc);
    if (!name) return undefined;
    const port = child(svc, 'port', pdoc);
    const num = scalarText(child(port, 'number', pdoc), pdoc);
    const pname = stringValue(child(port, 'name', pdoc), pdoc);
    return { pdoc, node: backend, serviceName: name, port: num !== undefined ? Number(num) : pname };
  }
  const legacy = stringValue(child(backend, 'serviceName', pdoc), pdoc);
  if (!legacy) return undefined;
  const sp = scalarText(child(backend, 'servicePort', pdoc), pdoc);
  return { pdoc, node: backend, serviceName: legacy, port: sp !== undefined && /^\d+$/.test(sp) ? Number(sp) : sp };
}

function ingress(base: ResourceBase): Ingress {
  const { pdoc } = base;
  const spec = child(base.root, 'spec', pdoc);
  const backends: IngressBackend[] = [];
  const push = (b: YNode): void => {
    const r = ingressBackend(pdoc, b);
    if (r) backends.push(r);
  };
  push(child(spec, 'defaultBackend', pdoc) ?? child(spec, 'backend', pdoc));
  for (const rule of seqItems(child(spec, 'rules', pdoc), pdoc)) {
    for (const p of seqItems(childPath(rule, ['http', 'paths'], pdoc), pdoc)) push(child(p, 'backend', pdoc));
  }
  return { ...base, backends };
}

function httpRoute(base: ResourceBase): Ingress {
  const { pdoc } = base;
  const backends: IngressBackend[] = [];
  for (const rule of seqItems(childPath(base.root, ['spec', 'rules'], pdoc), pdoc)) {
    for (const ref of seqItems(child(rule, 'backendRefs', pdoc), pdoc)) {
      const kind = stringValue(child(ref, 'kind', pdoc), pdoc) ?? 'Service';
      const name = stringValue(child(ref, 'name', pdoc), pdoc);
      if (kind !== 'Service' || !name) continue;
      const port = scalarText(child(ref, 'port', pdoc), pdoc);
      backends.push({ pdoc, node: ref, serviceName: name, port: port !== undefined ? Number(port) : undefined });
    }
  }
  return { ...base, backends };
}

function keysOf(pdoc: ParsedDoc, node: YNode): Set<string> {
  return new Set(mapEntries(node, pdoc).map((e) => e.key));
}

function secret(base: ResourceBase): Secret {
  const { pdoc, root } = base;
  const dataPair = pairOf(root, 'data', pdoc);
  const stringDataPair = pairOf(root, 'stringData', pdoc);
  const keys = new Set([...keysOf(pdoc, dataPair?.value), ...keysOf(pdoc, stringDataPair?.value)]);
  const s: Secret = { ...base, secretName: base.name, keys, anyKey: false, sops: pairOf(root, 'sops', pdoc) !== undefined };
  if (dataPair) s.dataPair = dataPair;
  if (stringDataPair) s.stringDataPair = stringDataPair;
  return s;
}

function sealedSecret(base: ResourceBase): SecretLike {
  const { pdoc, root } = base;
  const spec = child(root, 'spec', pdoc);
  const templateName = stringValue(childPath(spec, ['template', 'metadata', 'name'], pdoc), pdoc);
  return { ...base, secretName: templateName ?? base.name, keys: keysOf(pdoc, child(spec, 'encryptedData', pdoc)), anyKey: false };
}

function externalSecret(base: ResourceBase): SecretLike {
  const { pdoc, root } = base;
  const spec = child(root, 'spec', pdoc);
  const keys = new Set<string>();
  for (const d of seqItems(child(spec, 'data', pdoc), pdoc)) {
    const k = stringValue(child(d, 'secretKey', pdoc), pdoc);
    if (k) keys.add(k);
  }
  const targetName = stringValue(childPath(spec, ['target', 'name'], pdoc), pdoc);
  return { ...base, secretName: targetName ?? base.name, keys, anyKey: child(spec, 'dataFrom', pdoc) !== undefined };
}

/** Types a non-Dapr Kubernetes document. Returns undefined for Dapr CRDs (see dapr.ts). */
export function kubernetesResource(base: ResourceBase): Resource {
  const { group, kind } = base;
  if (isWorkloadKind(base)) {
    const pod = podTemplate(base.pdoc, podTemplateNode(base));
    return { type: 'workload', ...base, pod };
  }
  if (group === '' && kind === 'Service') return { type: 'service', ...service(base) };
  if (group === 'networking.k8s.io' && kind === 'Ingress') return { type: 'ingress', ...ingress(base) };
  if (group === 'extensions' && kind === 'Ingress') return { type: 'ingress', ...ingress(base) };
  if (group === 'gateway.networking.k8s.io' && kind === 'HTTPRoute') return { type: 'ingress', ...httpRoute(base) };
  if (group === '' && kind === 'Secret') return { type: 'secret', ...secret(base) };
  if (group === 'bitnami.com' && kind === 'SealedSecret') return { type: 'sealedsecret', ...sealedSecret(base) };
  if (group === 'external-secrets.io' && kind === 'ExternalSecret') return { type: 'externalsecret', ...externalSecret(base) };
  if (group === '' && kind === 'ConfigMap') {
    const dataPair = pairOf(base.root, 'data', base.pdoc);
    return dataPair ? { type: 'configmap', ...base, dataPair } : { type: 'configmap', ...base };
  }
  if (group === '' && kind === 'Namespace') return { type: 'namespace', ...base };
  return { type: 'other', ...base };
}

