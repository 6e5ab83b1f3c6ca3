// Starts the reaper (dist/reaper.js) as a process of its own, so it outlives the closing window's extension host.
import { spawn } from 'node:child_process';
import * as path from 'node:path';
import type { ReapRequest } from './engine/docker/reaper';

export function launchReaper(extensionPath: string, request: ReapRequest): void {
  if (request.containers.length === 0) return;
  const child = spawn(process.execPath, [path.join(extensionPath, 'dist', 'reaper.js'), JSON.stringify(request)], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' }, // VS Code's own binary runs scripts as Node only with this
  });
  child.unref();
}
