// What a caller names itself (the CLI's --image and --memory, the library API's options) over a folder's environment: it wins.
import type { ImageBuild } from './backend';
import type { EnvironmentLaunch } from './environment';

export interface EnvironmentOverrides {
  image?: string;
  memoryBytes?: number;
}

/** An image named here is the image as a whole: a Dockerfile the file names is not built (its requirements still are, on top). */
export function withOverrides(launch: EnvironmentLaunch, flags: EnvironmentOverrides): EnvironmentLaunch {
  const { build, ...rest } = launch;
  const kept: ImageBuild | undefined = build && flags.image ? { workspace: build.workspace, pipArgs: build.pipArgs, ...(build.requirements ? { requirements: build.requirements } : {}) } : build;
  return {
    ...rest,
    ...(flags.image ? { image: flags.image } : {}),
    ...(flags.memoryBytes !== undefined ? { memoryBytes: flags.memoryBytes } : {}),
    ...(kept && (kept.dockerfile || kept.requirements) ? { build: kept } : {}),
  };
}
