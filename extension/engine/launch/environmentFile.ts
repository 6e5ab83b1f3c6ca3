// Reads what resolveEnvironment needs from this machine: the workspace's .pydock/environment.json and the host user.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ENVIRONMENT_FILE, resolveEnvironment, type HostUser, type ResolvedEnvironment } from './environment';
import { PydockError } from '../errors';

/** The parsed file, or undefined when the workspace has none. Invalid JSON is an error that says where. */
export function readEnvironmentFile(workspace: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(path.join(workspace, ENVIRONMENT_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /at position (\d+)/.exec(message);
    const where = position ? ` (line ${text.slice(0, Number(position[1])).split('\n').length})` : '';
    throw new PydockError('invalid-environment', `${ENVIRONMENT_FILE} is not valid JSON${where}: ${message}.`,
      'Fix the file; the editor marks the error and offers completion from the schema.');
  }
}

/** uid and gid of this process; none on Windows. */
export function hostUser(): HostUser {
  const info = os.userInfo();
  return info.uid >= 0 ? { uid: info.uid, gid: info.gid } : {};
}

/**
 * A folder's environment outside VS Code (the CLI, the library API, jobs): its .pydock/environment.json over
 * $PYDOCK_IMAGE, which stands in for the pydock.image setting. Undefined folder: the defaults only.
 */
export function folderEnvironment(workspace: string | undefined): ResolvedEnvironment {
  return resolveEnvironment({
    settings: process.env.PYDOCK_IMAGE ? { image: process.env.PYDOCK_IMAGE } : {},
    file: workspace ? readEnvironmentFile(workspace) : undefined,
    ...(workspace ? { workspace } : {}),
    host: hostUser(),
  });
}
