// The supply chain of dapr-policy itself: the committed lockfile is the one
// `npm ci` installs, the runtime dependencies are exactly those the README
// lists (each with the reason it is there), and the published bundle holds no
// development dependency.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build, type Metafile } from 'esbuild';
import { beforeAll, describe, expect, it } from 'vitest';
import { tmpDir } from './helpers.js';

interface LockEntry {
  version?: string;
  integrity?: string;
  dev?: boolean;
  link?: boolean;
  inBundle?: boolean;
  optional?: boolean;
}
interface Lock {
  lockfileVersion: number;
  packages: Record<string, LockEntry & { dependencies?: Record<string, string>; devDependencies?: Record<string, string> }>;
}

const pkg = JSON.parse(fs.readFileSync('package.json', 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
const lock = JSON.parse(fs.readFileSync('package-lock.json', 'utf8')) as Lock;
const isGitCheckout = fs.existsSync('.git');

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `@s/b`: the package a bundled file comes from. */
function packageOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const [first, second] = file.slice(at + 'node_modules/'.length).split('/');
  return first.startsWith('@') ? `${first}/${second}` : first;
}

/** `node_modules/a/node_modules/@s/b/lib/x.js` → `node_modules/a/node_modules/@s/b`: the lockfile entry of the installed copy a file belongs to. */
function lockKeyOf(file: string): string | undefined {
  const at = file.lastIndexOf('node_modules/');
  if (at === -1) return undefined;
  const name = packageOf(file) as string;
  return `${file.slice(0, at)}node_modules/${name}`;
}

/**
 * Why a bundled file should not be there, or undefined: its installed copy is
 * a development dependency, or only development dependencies pull it in (the
 * lockfile's `dev` flag; a name alone would not do, as a package can be
 * installed both ways in different places).
 */
function devReason(file: string): string | undefined {
  const key = lockKeyOf(file);
  if (!key) return undefined;
  const entry = lock.packages[key];
  if (!entry) return `${key} is not in the lockfile`;
  if (key === `node_modules/${packageOf(file)}` && (packageOf(file) as string) in pkg.devDependencies) return `${key} is a devDependency`;
  if (entry.dev) return `${key} is only needed by development dependencies`;
  return undefined;
}

describe('the lockfile', () => {
  it.skipIf(!isGitCheckout)('is committed', () => {
    expect(execFileSync('git', ['ls-files', '--error-unmatch', 'package-lock.json'], { encoding: 'utf8' }).trim()).toBe('package-lock.json');
  });

  it('records exactly the dependencies of package.json, every version pinned, every download with its integrity hash', () => {
    expect(lock.lockfileVersion).toBe(3);
    expect(lock.packages[''].dependencies).toEqual(pkg.dependencies);
    expect(lock.packages[''].devDependencies).toEqual(pkg.devDependencies);
    for (const [name, range] of Object.entries({ ...pkg.dependencies, ...pkg.devDependencies })) expect(range, `${name} is not an exact version`).toMatch(/^\d+\.\d+\.\d+(-[\w.]+)?$/);
    // Bundled dependencies arrive inside their parent's tarball, covered by its hash.
    const unhashed = Object.entries(lock.packages).filter(([key, e]) => key && !e.link && !e.inBundle && !e.integrity);
    expect(unhashed.map(([key]) => key)).toEqual([]);
  });

  it('is what is installed: every package in node_modules has the version the lockfile names (what `npm ci` makes)', () => {
    const wrong: string[] = [];
    for (const [key, e] of Object.entries(lock.packages)) {
      if (!key || e.link) continue;
      const manifest = path.join(key, 'package.json');
      // Optional packages for other platforms (esbuild's binaries) are not installed here.
      if (!fs.existsSync(manifest)) {
        if (!e.optional && !e.inBundle) wrong.push(`${key}: missing`);
        continue;
      }
      const installed = (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { version: string }).version;
      if (installed !== e.version) wrong.push(`${key}: ${installed} installed, ${e.version} locked`);
    }
    expect(wrong).toEqual([]);
  });
});

describe('runtime dependencies', () => {
  it('are exactly the ones README "Dependencies" lists, each with why it is there', () => {
    const readme = fs.readFileSync('README.md', 'utf8');
    const section = /^## Dependencies\n([\s\S]*?)(?=^## )/m.exec(readme)?.[1];
    expect(section, 'README.md has no "## Dependencies" section').toBeDefined();
    const rows = [...(section ?? '').matchAll(/^\| `([^`]+)` \| ([^|]+) \| (.+) \|$/gm)];
    expect(rows.map((r) => r[1]).sort()).toEqual(Object.keys(pkg.dependencies).sort());
    for (const [, name, version, why] of rows) {
      expect(version.trim(), name).toBe(pkg.dependencies[name]);
      expect(why.trim().length, `the README says why ${name} is there`).toBeGreaterThan(20);
    }
  });
});

describe('the bundles', () => {
  let metafiles: Record<string, Metafile> = {};
  beforeAll(async () => {
    // The options of scripts/build.mjs, into a temporary folder, with a metafile: dist/ stays what is published.
    const out = tmpDir('bundle-');
    for (const [name, entry] of [
      ['cli.js', 'src/bin.ts'],
      ['action.js', 'src/action/index.ts'],
    ]) {
      const result = await build({ entryPoints: [entry], outfile: path.join(out, name), bundle: true, platform: 'node', format: 'esm', target: 'node20.19', legalComments: 'none', logLevel: 'silent', metafile: true, write: true });
      metafiles[name] = result.metafile;
    }
  }, 60_000);

  it('bundle no development dependency, only packages the runtime dependencies bring', () => {
    for (const [name, meta] of Object.entries(metafiles)) {
      const bundled = Object.keys(meta.inputs).filter((f) => f.includes('node_modules/'));
      expect(bundled.length, `${name} bundles its dependencies`).toBeGreaterThan(0);
      expect([...new Set(bundled.flatMap((f) => devReason(f) ?? []))], `${name} bundles development dependencies`).toEqual([]);
    }
  });

  it('import from src/ only packages declared as runtime dependencies', () => {
    const undeclared: string[] = [];
    for (const meta of Object.values(metafiles)) {
      for (const [file, input] of Object.entries(meta.inputs)) {
        if (!file.startsWith('src/')) continue;
        for (const imp of input.imports) {
          const p = packageOf(imp.path);
          if (p && !(p in pkg.dependencies)) undeclared.push(`${file} imports ${p}`);
        }
      }
    }
    expect([...new Set(undeclared)]).toEqual([]);
  });

  it.skipIf(!fs.existsSync('dist/main.js'))('dist/cli.js and dist/main.js, as built, name no development dependency in their module comments', () => {
    // esbuild marks each bundled module with a `// node_modules/<package>/…` comment (the bundle is not minified).
    const text = fs.readFileSync('dist/cli.js', 'utf8') + fs.readFileSync('dist/main.js', 'utf8');
    const modules = [...text.matchAll(/^\/\/ (node_modules\/\S+)$/gm)].map((m) => m[1]);
    expect(modules.length).toBeGreaterThan(0);
    expect([...new Set(modules.flatMap((f) => devReason(f) ?? []))]).toEqual([]);
  });
});
