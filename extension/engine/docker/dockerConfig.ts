// The docker CLI's config folder and its config.json, found and read as the CLI does (a read function passed in, for tests).
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export type ReadFile = (file: string) => Buffer | undefined;

/** $DOCKER_CONFIG, else ~/.docker; an explicit folder wins over both. */
export function dockerConfigDir(env: NodeJS.ProcessEnv, explicit?: string, home = os.homedir()): string {
  return explicit ?? env.DOCKER_CONFIG ?? path.join(home, '.docker');
}

/** config.json of that folder as an object; undefined when it is missing or not JSON. */
export function readDockerConfig(configDir: string, read: ReadFile): Record<string, unknown> | undefined {
  return parseJson(read(path.join(configDir, 'config.json')));
}

export function parseJson(bytes: Buffer | undefined): Record<string, unknown> | undefined {
  if (!bytes) return undefined;
  try {
    const value = JSON.parse(bytes.toString('utf8')) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? value as Record<string, unknown> : undefined;
  } catch {
    return undefined;
  }
}

export function readIfExists(file: string): Buffer | undefined {
  try {
    return fs.readFileSync(file);
  } catch {
    return undefined;
  }
}
