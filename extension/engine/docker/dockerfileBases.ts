// The registries a Dockerfile pulls from: its FROM images, as a build needs credentials for them (X-Registry-Config).
import { parseImageReference } from './imageReference';

/**
 * The registries of the images a Dockerfile's FROM lines name. Stages it defines, `scratch`, and names built from
 * build arguments ($VAR) are not images to pull; a name that does not parse is left to the build to report.
 */
export function dockerfileRegistries(dockerfile: string): string[] {
  const registries = new Set<string>();
  const stages = new Set<string>();
  for (const line of dockerfile.replace(/\\\r?\n/g, ' ').split(/\r?\n/)) {
    const from = /^\s*FROM\s+(?:--\S+\s+)*(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!from) continue;
    const [, image, stage] = from;
    if (!stages.has(image.toLowerCase()) && image !== 'scratch' && !image.includes('$')) {
      try {
        registries.add(parseImageReference(image).registry);
      } catch {
        // the build reports it, with its line
      }
    }
    if (stage) stages.add(stage.toLowerCase());
  }
  return [...registries].sort();
}
