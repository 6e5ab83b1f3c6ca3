// Where a host file sits for the debugged session: under /workspace in a Docker session (mounted or copied), as it is
// for the local backend. debugpy maps breakpoints and stack frames with the same root.
import * as path from 'node:path';
import { WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';

/** The name the session compiles a host file's code with: its container path when it is in the workspace. */
export function fileInSession(hostFile: string, workspace: string | undefined): string {
  if (!workspace) return hostFile;
  const relative = path.relative(workspace, hostFile);
  if (relative === '' || relative.startsWith('..') || path.isAbsolute(relative)) return hostFile;
  return path.posix.join(WORKSPACE_IN_CONTAINER, ...relative.split(path.sep));
}

/** debugpy's pathMappings: the client's host paths under the workspace are the container's /workspace, both ways. */
export function debugpyPathMappings(workspace: string | undefined): { localRoot: string; remoteRoot: string }[] {
  return workspace ? [{ localRoot: workspace, remoteRoot: WORKSPACE_IN_CONTAINER }] : [];
}
