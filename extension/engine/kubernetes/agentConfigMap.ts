// The agent's files as a ConfigMap named by their content hash: made once per agent version, mounted at /opt/pydock.
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { V1ConfigMap, V1KeyToPath } from '@kubernetes/client-node';
import { agentDigest, type AgentBundle } from '../launch/agentBundle';
import { POD_LABEL } from './podSpec';

/** A ConfigMap holds at most 1 MiB; the agent is about a fifth of that. */
const CONFIG_MAP_MAX_BYTES = 1 << 20;

export interface AgentConfigMap {
  name: string;
  /** ConfigMap keys cannot hold '/': each file's key, and the path it is mounted at below /opt/pydock. */
  items: V1KeyToPath[];
  body: V1ConfigMap;
}

export function agentConfigMap(bundle: AgentBundle, namespace: string): AgentConfigMap {
  const files = bundle.files.map((file) => {
    const rel = file.split(path.sep).join('/');
    return { key: rel.replace(/\//g, '__'), rel, text: fs.readFileSync(path.join(bundle.dir, file), 'utf8') };
  });
  const digest = agentDigest(bundle).slice(0, 16);
  const data = Object.fromEntries(files.map((f) => [f.key, f.text]));
  const bytes = files.reduce((sum, f) => sum + Buffer.byteLength(f.text) + f.key.length, 0);
  if (bytes > CONFIG_MAP_MAX_BYTES) throw new Error(`the agent's files (${bytes} bytes) exceed a ConfigMap's 1 MiB`);
  const name = `pydock-agent-${digest}`;
  return {
    name,
    items: files.map((f) => ({ key: f.key, path: f.rel })),
    body: {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace, labels: { [POD_LABEL.pydock]: '1', 'pydock.agent': digest } },
      data,
      immutable: true,
    },
  };
}
