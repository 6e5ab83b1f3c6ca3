// Where debugpy comes from when the image lacks it: the environment's pip requirements gain it, so pydock builds a
// derived image with it once and finds it by its tag after, as for any requirements.
import type { EnvironmentDescription } from '../launch/environment';

export const DEBUGPY_REQUIREMENT = 'debugpy';

/** The environment file with debugpy among its requirements, or why it cannot be added for the user. */
export function withDebugpy(current: EnvironmentDescription | undefined): { environment: EnvironmentDescription } | { manual: string } {
  if (current?.dockerfile !== undefined) return { manual: `add "pip install debugpy" to ${current.dockerfile}` };
  if (typeof current?.requirements === 'string') return { manual: `add a line "debugpy" to ${current.requirements}` };
  const lines = current?.requirements ?? [];
  if (lines.some((line) => /^debugpy\b/i.test(line.trim()))) return { environment: { ...current } };
  return { environment: { ...current, requirements: [...lines, DEBUGPY_REQUIREMENT] } };
}
