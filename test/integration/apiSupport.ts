// Shared set-up for the library API tests: an API per image whose sessions are closed when the test file ends.
import { after } from 'node:test';
import { createApi, type Backend, type PyApi, type PyOptions, type PySession } from '../../extension/api';
import { connectBackend } from '../../extension/engine/launch/backends';
import { decode } from '../../extension/engine/wire/codec';
import { BARE_IMAGE, CHECKED_ENV, FULL_IMAGE, docker, testLog } from './helpers';

export interface ImageCase {
  name: string;
  image: string;
  /** numpy, pandas and msgpack are installed. */
  full: boolean;
}

export const IMAGES: ImageCase[] = [
  { name: 'python3 + numpy + pandas + msgpack', image: FULL_IMAGE, full: true },
  { name: 'bare python3', image: BARE_IMAGE, full: false },
];

/** An API on Docker with this image; its persistent sessions and pools close when the file ends. */
export function apiOn(image: string, defaults: PyOptions = {}): PyApi {
  const api = createApi({ defaults: { image, backend: 'docker', log: testLog, memory: '1g', env: CHECKED_ENV, ...defaults } });
  after(() => api.closeAll());
  return api;
}

/** Ids of the containers, running or not, that carry this pydock.session label. */
export function containersLabelled(label: string): string[] {
  return docker('ps', '-a', '-q', '--filter', `label=pydock.session=${label}`).split('\n').filter(Boolean);
}

/** A Docker backend that notes the type and size of every request frame written to the agents it starts. */
export function recordingBackend(): { backend: Backend; written: { type: string; bytes: number }[] } {
  const written: { type: string; bytes: number }[] = [];
  const backend: Backend = {
    kind: 'docker',
    sandboxed: true,
    description: 'docker (recording)',
    async launch(spec, sinks) {
      const agent = await (await connectBackend({ choice: 'docker', log: testLog })).launch(spec, sinks);
      return {
        id: agent.id,
        exited: agent.exited,
        kill: () => agent.kill(),
        write(chunks) {
          const frame = Buffer.concat(chunks);
          const type = (decode(frame.subarray(4)) as { type: string }).type;
          if (type !== 'ack') written.push({ type, bytes: frame.length }); // acks and heartbeats are the link's, not requests
          agent.write(chunks);
        },
      };
    },
  };
  return { backend, written };
}

/** The id of the container (or the name of the pod) a session runs in, from its description. */
export function containerOf(session: PySession): string {
  const match = /container ([0-9a-f]{12})/.exec(session.engine.description) ?? /^kubernetes .*, (pydock-[a-z0-9-]+)$/.exec(session.engine.description);
  if (!match) throw new Error(`no container in "${session.engine.description}"`);
  return match[1];
}
