// What every session container has, whatever runs it: where the workspace and the io folder appear, and the default
// process limit. The launch, the environment and the views agree on these.

export const WORKSPACE_IN_CONTAINER = '/workspace';
export const IO_IN_CONTAINER = '/io';
export const DEFAULT_PIDS_LIMIT = 512;
