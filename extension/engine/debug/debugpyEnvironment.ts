// Where debugpy comes from when the session cannot import it: on Docker the environment's pip requirements gain it, so
// pydock builds a derived image with it once and finds it by its tag after, as for any requirements; elsewhere, what to do.
import type { BackendKind } from '../launch/backend';
import { ENVIRONMENT_FILE, type EnvironmentDescription } from '../launch/environment';

export const DEBUGPY_REQUIREMENT = 'debugpy';

/** The environment file with debugpy among its requirements, or what the user does instead (and the file to do it in). */
export type DebugpyRemedy = { environment: EnvironmentDescription } | { manual: string; file?: string };

/**
 * `file` is .pydock/environment.json as it is, `settings` the pydock.* settings under it: requirements the settings give
 * are carried into the file, whose requirements would otherwise replace them.
 */
export function withDebugpy(file: EnvironmentDescription | undefined, backend: BackendKind, settings: EnvironmentDescription = {}): DebugpyRemedy {
  if (backend === 'local') return { manual: 'install it for that Python (python3 -m pip install debugpy)' };
  if (backend === 'kubernetes') return { manual: 'use an image that has it (pydock builds images on Docker only)' };
  const requirements = file?.requirements ?? settings.requirements;
  const fileChoosesImage = file?.image !== undefined || file?.python !== undefined;
  const dockerfile = file?.dockerfile ?? (fileChoosesImage ? undefined : settings.dockerfile);
  if (typeof requirements === 'string') return { manual: `add a line "debugpy" to ${requirements}`, file: requirements };
  if (dockerfile !== undefined && requirements === undefined) {
    return { manual: `add "RUN python3 -m pip install debugpy" to ${dockerfile}`, file: dockerfile };
  }
  const lines = requirements ?? [];
  if (lines.some((line) => /^debugpy\b/i.test(line.trim()))) return { environment: { ...file } };
  return { environment: { ...file, requirements: [...lines, DEBUGPY_REQUIREMENT] } };
}

/** What to do, for a client that writes nothing for the user (`pydock dap`). */
export function debugpyHint(backend: BackendKind): string {
  const remedy = withDebugpy(undefined, backend);
  const add = `add "${DEBUGPY_REQUIREMENT}" to the requirements in ${ENVIRONMENT_FILE} (pydock builds an image with it), or use an image that has it`;
  return `To debug, ${'manual' in remedy ? remedy.manual : add}.`;
}
