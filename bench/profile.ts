// bench/profile: where the scan's time goes, from a V8 .cpuprofile of
// `node --cpu-prof dist/cli.js …`. dist/cli.js is one esbuild bundle that keeps
// a `// src/engine/parse.ts` comment above every module, so a sample's line
// tells its source module. Reports:
//   - self time per function and per module (yaml, fast-glob, src/…);
//   - inclusive time per pipeline phase (startup, discover, parse, suppressions,
//     extract, render, model, rules, policy, report), found from the outermost
//     pipeline function on each sample's stack (time blocked on a child process,
//     such as `kustomize build`, counts in the phase that waits for it);
//   - inclusive time per rule (the outermost src/rules/DAPRnnn-*.ts frame).
//
// Usage: node scripts/run-ts.mjs bench/profile.ts <file.cpuprofile> [dist/main.js]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
  columnNumber: number;
}

interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface Row {
  name: string;
  ms: number;
  share: number;
}

export interface ProfileSummary {
  totalMs: number;
  phases: Row[];
  rules: Row[];
  modules: Row[];
  functions: Row[];
  /** Self time of the yaml package inside each phase. */
  yamlByPhase: Row[];
}

export const PHASES = ['startup', 'discover', 'parse', 'suppressions', 'extract', 'render', 'model', 'rules', 'policy', 'report', 'gc', 'other'] as const;
export type Phase = (typeof PHASES)[number];

/** Line (0-based) → module, from esbuild's `// path` comments. */
export class ModuleMap {
  private readonly starts: number[] = [];
  private readonly names: string[] = [];
  constructor(bundle: string) {
    const lines = bundle.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const m = /^\/\/ ((?:src|node_modules|scripts|bench)\/\S+\.(?:ts|js|mjs|cjs|json))$/.exec(lines[i]);
      if (m) {
        this.starts.push(i);
        this.names.push(m[1]);
      }
    }
  }
  moduleAt(line: number): string {
    let lo = 0;
    let hi = this.starts.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.starts[mid] <= line) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found === -1 ? '(bundle prelude)' : this.names[found];
  }
}

/** node_modules/yaml/dist/… → yaml; src files stay as they are. */
export function packageOf(module: string): string {
  const m = /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(module);
  return m ? m[1] : module;
}

function phaseMarker(fn: string, module: string): Phase | undefined {
  const base = fn.replace(/\d+$/, '');
  if (module === 'src/engine/discover.ts' && base === 'discover') return 'discover';
  if (module === 'src/engine/run.ts' && base === 'repoIndex') return 'discover';
  if (module === 'src/engine/run.ts' && base === 'parseAll') return 'parse';
  if (module === 'src/engine/suppressions.ts' && base === 'findSuppressions') return 'suppressions';
  if (module === 'src/engine/extract/index.ts' && base === 'extract') return 'extract';
  if (module === 'src/engine/render/index.ts' && base === 'render') return 'render';
  if (module === 'src/engine/model.ts' && base === 'buildModel') return 'model';
  if (module === 'src/engine/run.ts' && base === 'runRules') return 'rules';
  if (module === 'src/engine/policy.ts' && base === 'applyPolicy') return 'policy';
  if (module.startsWith('src/report/')) return 'report';
  return undefined;
}

function add(map: Map<string, number>, key: string, v: number): void {
  map.set(key, (map.get(key) ?? 0) + v);
}

function rows(map: Map<string, number>, total: number, limit = Infinity): Row[] {
  return [...map.entries()]
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, limit)
    .map(([name, us]) => ({ name, ms: us / 1000, share: total > 0 ? us / total : 0 }));
}

export function summarizeProfile(profile: CpuProfile, bundle: string, bundleUrl: string): ProfileSummary {
  const modules = new ModuleMap(bundle);
  const byId = new Map<number, ProfileNode>();
  for (const n of profile.nodes) byId.set(n.id, n);
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

  const moduleOf = (n: ProfileNode): string => {
    const f = n.callFrame;
    if (f.url === bundleUrl) return modules.moduleAt(f.lineNumber);
    if (f.url === '') return `(${f.functionName || 'native'})`;
    if (f.url.startsWith('node:')) return 'node internals';
    return f.url;
  };

  // Phase and rule of every node, top-down: the outermost marker wins.
  const phaseOf = new Map<number, Phase>();
  const ruleOf = new Map<number, string>();
  const root = profile.nodes.find((n) => !parent.has(n.id));
  const stack: Array<{ id: number; phase: Phase | undefined; rule: string | undefined }> = root ? [{ id: root.id, phase: undefined, rule: undefined }] : [];
  while (stack.length > 0) {
    const { id, phase, rule } = stack.pop() as { id: number; phase: Phase | undefined; rule: string | undefined };
    const n = byId.get(id) as ProfileNode;
    const mod = moduleOf(n);
    let p = phase;
    if (n.callFrame.functionName === '(garbage collector)') p = 'gc';
    else if (p === undefined) p = phaseMarker(n.callFrame.functionName, mod);
    let r = rule;
    if (r === undefined && p === 'rules') {
      const m = /^src\/rules\/(DAPR\d{3})-/.exec(mod);
      if (m) r = m[1];
    }
    phaseOf.set(id, p ?? (n.callFrame.functionName === '(program)' || n.callFrame.functionName === '(idle)' ? 'other' : 'startup'));
    if (r) ruleOf.set(id, r);
    for (const c of n.children ?? []) stack.push({ id: c, phase: p, rule: r });
  }

  const phaseTime = new Map<string, number>();
  const ruleTime = new Map<string, number>();
  const moduleTime = new Map<string, number>();
  const fnTime = new Map<string, number>();
  const yamlByPhase = new Map<string, number>();
  let total = 0;
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    const dt = profile.timeDeltas[i] ?? 0;
    const n = byId.get(id);
    if (!n) continue;
    total += dt;
    const phase = phaseOf.get(id) ?? 'startup';
    add(phaseTime, phase, dt);
    const rule = ruleOf.get(id);
    if (phase === 'rules') add(ruleTime, rule ?? '(runRules itself)', dt);
    const mod = moduleOf(n);
    const pkg = packageOf(mod);
    add(moduleTime, pkg, dt);
    if (pkg === 'yaml') add(yamlByPhase, phase, dt);
    const fn = n.callFrame.functionName || '(anonymous)';
    add(fnTime, `${fn} (${mod}${n.callFrame.url === bundleUrl ? `:${n.callFrame.lineNumber + 1}` : ''})`, dt);
  }
  const phaseRows = PHASES.map((p) => ({ name: p, ms: (phaseTime.get(p) ?? 0) / 1000, share: total > 0 ? (phaseTime.get(p) ?? 0) / total : 0 }));
  return { totalMs: total / 1000, phases: phaseRows, rules: rows(ruleTime, total), modules: rows(moduleTime, total, 25), functions: rows(fnTime, total, 30), yamlByPhase: rows(yamlByPhase, total) };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)} %`;
}

export function profileMarkdown(s: ProfileSummary, title: string): string {
  const table = (head: string, rs: Row[]): string => [`| ${head} | ms | share |`, '|---|---:|---:|', ...rs.map((r) => `| ${r.name.replace(/\|/g, '\\|')} | ${r.ms.toFixed(0)} | ${pct(r.share)} |`)].join('\n');
  return [
    `#### ${title}`,
    '',
    `Sampled CPU time: ${s.totalMs.toFixed(0)} ms.`,
    '',
    'Inclusive time per pipeline phase (outermost pipeline function on the stack):',
    '',
    table('phase', s.phases.filter((r) => r.ms > 0)),
    '',
    'Self time of the yaml package, per phase:',
    '',
    table('phase', s.yamlByPhase),
    '',
    'Inclusive time per rule (share of the whole scan):',
    '',
    table('rule', s.rules.filter((r) => r.ms >= 1)),
    '',
    'Self time per package / source module (top 25):',
    '',
    table('module', s.modules),
    '',
    'Top 30 functions by self time:',
    '',
    table('function (module:line in the bundle)', s.functions),
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const [file, bundleArg] = process.argv.slice(2);
  if (!file) {
    console.error('usage: node scripts/run-ts.mjs bench/profile.ts <file.cpuprofile> [dist/main.js]');
    process.exit(2);
  }
  const bundlePath = path.resolve(bundleArg ?? 'dist/main.js');
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const summary = summarizeProfile(profile, fs.readFileSync(bundlePath, 'utf8'), pathToFileURL(bundlePath).href);
  process.stdout.write(profileMarkdown(summary, path.basename(file)));
}

// Run as a script (bundled to .tmp/profile.mjs by scripts/run-ts.mjs), not when imported.
const self = process.argv[1] ? path.resolve(process.argv[1]) : '';
if (self && self === fileURLToPath(import.meta.url) && path.basename(self).startsWith('profile')) await main();
