// Finds the Python agent shipped with pydock and packs it as a tar for copying into containers.
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { pack } from 'tar-stream';

/** Where the agent lives inside a container. */
export const AGENT_DIR_IN_CONTAINER = '/opt/pydock';

export interface AgentBundle {
  /** The python-agent folder on this machine. */
  dir: string;
  /** Its entry script, relative to dir. */
  entry: string;
  /** The .py files, relative to dir. */
  files: string[];
}

let cached: AgentBundle | undefined;

/** The python-agent folder next to this code, whether it runs from source (tsx) or from dist/. */
export function agentBundle(): AgentBundle {
  if (cached) return cached;
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'python-agent', 'agent.py'))) {
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`pydock's python-agent folder was not found above ${__dirname}; the installation is incomplete`);
    dir = parent;
  }
  const root = path.join(dir, 'python-agent');
  const files = fs.readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.py') && !f.split(path.sep).includes('tests'))
    .sort();
  cached = { dir: root, entry: 'agent.py', files };
  return cached;
}

const digests = new WeakMap<AgentBundle, string>();

/** The bundle's files by path and content, as hex: what names its ConfigMap and its job images (a tar has packing times in it). */
export function agentDigest(bundle: AgentBundle): string {
  let digest = digests.get(bundle);
  if (!digest) {
    const hash = createHash('sha256');
    for (const file of bundle.files) hash.update(`${file.split(path.sep).join('/')}\0`).update(fs.readFileSync(path.join(bundle.dir, file))).update('\0');
    digest = hash.digest('hex');
    digests.set(bundle, digest);
  }
  return digest;
}

const tars = new WeakMap<AgentBundle, Map<string, Promise<Buffer>>>();

/**
 * The agent as a tar for Docker's putArchive at `at`: at '/' its entries sit under opt/pydock/; at the agent's folder
 * itself (a volume under a read-only root, where Docker refuses to extract at '/') they sit at the top.
 */
export function agentTar(bundle: AgentBundle, at: '/' | typeof AGENT_DIR_IN_CONTAINER = '/'): Promise<Buffer> {
  const byPlace = tars.get(bundle) ?? new Map<string, Promise<Buffer>>();
  tars.set(bundle, byPlace);
  let tar = byPlace.get(at);
  if (!tar) {
    tar = new Promise<Buffer>((resolve, reject) => {
      const archive = pack();
      const chunks: Buffer[] = [];
      archive.on('data', (c) => chunks.push(c as Buffer)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
      const prefix = at === '/' ? AGENT_DIR_IN_CONTAINER.slice(1) : '';
      const targets = bundle.files.map((f) => path.posix.join(prefix, f.split(path.sep).join('/')));
      const dirs = new Set<string>();
      for (const target of targets) {
        for (let d = path.posix.dirname(target); d !== '.'; d = path.posix.dirname(d)) dirs.add(d);
      }
      for (const d of [...dirs].sort()) archive.entry({ name: d, type: 'directory', mode: 0o755 });
      bundle.files.forEach((file, i) => archive.entry({ name: targets[i], mode: 0o644 }, fs.readFileSync(path.join(bundle.dir, file))));
      archive.finalize();
    });
    byPlace.set(at, tar);
  }
  return tar;
}
