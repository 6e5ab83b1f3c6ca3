// Where debugpy comes from when the session cannot import it: on Docker the environment's pip requirements gain it, so
// pydock builds a derived image with it once and finds it by its tag after, as for any requirements; elsewhere, what to do.
import type { BackendKind } from '../launch/backend';
import { ENVIRONMENT_FILE, type EnvironmentDescription } from '../launch/environment';

export const DEBUGPY_REQUIREMENT = 'debugpy';

/** The environment file with debugpy among its requirements, or what the user does instead (and the file to do it in). */
export type DebugpyRemedy = { environment: EnvironmentDescription } | { manual: string; file?: string };

export function withDebugpy(current: EnvironmentDescription | undefined, backend: BackendKind): DebugpyRemedy {
  if (backend === 'local') return { manual: 'install it for that Python (python3 -m pip install debugpy)' };
  if (backend === 'kubernetes') return { manual: 'use an image that has it (pydock builds images on Docker only)' };
  if (typeof current?.requirements === 'string') return { manual: `add a line "debugpy" to ${current.requirements}`, file: current.requirements };
  if (current?.dockerfile !== undefined && current.requirements === undefined) {
    return { manual: `add "RUN python3 -m pip install debugpy" to ${current.dockerfile}`, file: current.dockerfile };
  }
  const lines = current?.requirements ?? [];
  if (lines.some((line) => /^debugpy\b/i.test(line.trim()))) return { environment: { ...current } };
  return { environment: { ...current, requirements: [...lines, DEBUGPY_REQUIREMENT] } };
}

/** What to do, for a client that writes nothing for the user (`pydock dap`). */
export function debugpyHint(backend: BackendKind): string {
  const remedy = withDebugpy(undefined, backend);
  const add = `add "${DEBUGPY_REQUIREMENT}" to the requirements in ${ENVIRONMENT_FILE} (pydock builds an image with it), or use an image that has it`;
  return `To debug, ${'manual' in remedy ? remedy.manual : add}.`;
}
