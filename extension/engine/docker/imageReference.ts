// Reads an image reference as Docker does: the registry that serves it, its repository, and its tag or digest.
import { PydockError } from '../errors';

export const DOCKER_HUB = 'docker.io';
/** The key the docker CLI files Docker Hub's credentials under (in config.json and in credential helpers). */
export const DOCKER_HUB_SERVER = 'https://index.docker.io/v1/';

export interface ImageReference {
  /** The registry host as Docker names it: docker.io for Docker Hub, else host[:port]. */
  registry: string;
  /** The repository path within the registry, e.g. library/python. */
  repository: string;
  tag?: string;
  digest?: string;
  /** What the daemon's pull is asked for: `fromImage` (registry and repository) and `tag` (a tag, or the digest, which wins). */
  fromImage: string;
  tagOrDigest: string;
}

const COMPONENT = '[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*';
const DOMAIN = '(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:]+\\])(?::[0-9]+)?';
const REFERENCE = new RegExp(`^(?:(${DOMAIN})/)?(${COMPONENT}(?:/${COMPONENT})*)(?::([\\w][\\w.-]{0,127}))?(?:@([A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}))?$`);

/**
 * Parses `name[:tag][@digest]`. The first path component names a registry when it has a dot or a colon, or is
 * localhost (Docker's rule); otherwise the image is Docker Hub's, and a one-component name is under library/.
 */
export function parseImageReference(reference: string): ImageReference {
  const text = reference.trim();
  const slash = text.indexOf('/');
  const first = slash < 0 ? '' : text.slice(0, slash);
  const namesRegistry = slash >= 0 && (/[.:]/.test(first) || first === 'localhost' || first !== first.toLowerCase());
  const match = REFERENCE.exec(namesRegistry ? text : `${DOCKER_HUB}/${text}`);
  if (!match) {
    throw new PydockError('invalid-environment', `"${reference}" is not a valid image reference.`,
      'Write it as Docker does: NAME[:TAG] or NAME@sha256:DIGEST, with a lowercase name, e.g. python:3.12-slim or registry.example.com:5000/team/py@sha256:….');
  }
  const [, domain, path, tag, digest] = match;
  const registry = domain === 'index.docker.io' ? DOCKER_HUB : domain;
  const repository = registry === DOCKER_HUB && !path.includes('/') ? `library/${path}` : path;
  return {
    registry,
    repository,
    ...(tag ? { tag } : {}),
    ...(digest ? { digest } : {}),
    fromImage: `${registry}/${repository}`,
    tagOrDigest: digest ?? tag ?? 'latest',
  };
}

/** The server address credentials are filed under: Docker Hub's v1 URL, else the registry host. */
export function credentialServer(registry: string): string {
  return registry === DOCKER_HUB ? DOCKER_HUB_SERVER : registry;
}

/** A registry's host as a config.json key or a helper's server URL names it (scheme and path dropped). */
export function registryHostname(server: string): string {
  const host = server.replace(/^[a-z]+:\/\//i, '').split('/')[0];
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? DOCKER_HUB : host;
}
