// A workspace's choice of image for .pydock/environment.json: the default image, a Python version, its requirements or
// its Dockerfile, replacing the image fields the file had and keeping everything else.
import type { EnvironmentDescription } from './environment';

export type EnvironmentChoice =
  | { kind: 'image'; image: string }
  | { kind: 'python'; version: string }
  /** Installed with pip into a derived image of the base the file names (else the default image). */
  | { kind: 'requirements'; file: string }
  | { kind: 'dockerfile'; file: string };

/** The fields that say what image a session runs: a choice replaces them all (the schema forbids some pairs). */
const IMAGE_FIELDS = ['image', 'python', 'dockerfile', 'context', 'requirements', 'pipArgs'] as const;

/** The file's contents after the choice: limits, mounts, env and the rest stay as they were. */
export function chooseEnvironment(current: EnvironmentDescription | undefined, choice: EnvironmentChoice): EnvironmentDescription {
  const kept: EnvironmentDescription = { ...current };
  for (const field of IMAGE_FIELDS) delete kept[field];
  switch (choice.kind) {
    case 'image': return { image: choice.image, ...kept };
    case 'python': return { python: choice.version, ...kept };
    case 'requirements': {
      const base = current?.image !== undefined ? { image: current.image } : current?.python !== undefined ? { python: current.python } : {};
      return { ...base, requirements: choice.file, ...(current?.pipArgs ? { pipArgs: current.pipArgs } : {}), ...kept };
    }
    case 'dockerfile': return { dockerfile: choice.file, ...kept };
    default: {
      const unknown: never = choice;
      throw new Error(`unknown environment choice ${JSON.stringify(unknown)}`);
    }
  }
}
