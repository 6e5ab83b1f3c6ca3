// Which host paths a session may mount: never a folder holding a container engine's socket, the socket itself only by name.
import * as path from 'node:path';

/** Sockets that control a container engine: mounting one hands the session the host. */
const ENGINE_SOCKETS = ['/run/docker.sock', '/run/podman/podman.sock', '/run/containerd/containerd.sock', '/run/crio/crio.sock'];

export type MountVerdict =
  | { ok: true; warning?: string }
  | { ok: false; reason: string };

/**
 * A mount source is refused when it is "/" or a folder above an engine socket (/var/run, /run, /run/podman...), and
 * allowed with a warning when it names a socket exactly: the user asked for it, and the log says what it means.
 * `extraSockets` are sockets known from elsewhere, e.g. the Docker host pydock itself talks to.
 */
export function judgeMountSource(source: string, extraSockets: string[] = []): MountVerdict {
  const normal = normalize(source);
  // /var/run is a link to /run: a socket is reachable under both names.
  const sockets = [...ENGINE_SOCKETS, ...extraSockets].map(normalize).flatMap((s) => (s.startsWith('/run/') ? [s, `/var${s}`] : [s]));
  if (normal === '/') return { ok: false, reason: 'mounting / would give the session the whole host' };
  if (sockets.includes(normal) || /\/(docker|podman)\.sock$/.test(normal)) {
    return { ok: true, warning: `${source} is a container engine socket: the session can start containers and control the host through it` };
  }
  const inside = sockets.find((socket) => socket.startsWith(`${normal}/`));
  if (inside) {
    return { ok: false, reason: `${source} holds the container engine socket ${inside}, which would give the session control of the host; mount the socket itself if you mean to` };
  }
  return { ok: true };
}

/** Without dot segments, doubled or trailing slashes. */
export function normalize(file: string): string {
  return path.posix.normalize(file.replace(/\\/g, '/')).replace(/(.)\/+$/, '$1');
}
