// The image a job's container is made from: the environment's image with the pydock module and a writable /outputs
// committed on top, once per Docker host, so that a job's container needs no copy-in (each costs ~60 ms of the daemon).
import { createHash, randomBytes } from 'node:crypto';
import type Docker from 'dockerode';
import { statusOf } from '../docker/dockerAgent';
import { tarStream } from '../docker/hostFiles';
import { inspectImage } from '../docker/imagePuller';
import { PydockError, errorMessage } from '../errors';
import { agentDigest, agentTar, type AgentBundle } from '../launch/agentBundle';
import { OUTPUTS_IN_CONTAINER } from './jobTypes';

/** The repository of the job images: `pydock-job:<hash of the base image's id and pydock's files>`. */
export const JOB_IMAGE_REPO = 'pydock-job';

/** Per Docker host, the job images being made now (jobs submitted at once wait for one commit), and the first sweep. */
const hosts = new WeakMap<Docker, { making: Map<string, Promise<void>>; swept: Promise<void> }>();

/**
 * The job image over `base` (an image on the host), made now when the host lacks it. Under a read-only root the
 * container's volumes at /outputs and at the agent's folder start as copies of the image's, mode included.
 */
export async function jobImage(docker: Docker, base: { name: string; id: string }, agent: AgentBundle): Promise<string> {
  let host = hosts.get(docker);
  if (!host) {
    host = { making: new Map(), swept: removeStale(docker) };
    hosts.set(docker, host);
  }
  await host.swept;
  const tag = createHash('sha256').update(base.id).update(agentDigest(agent)).digest('hex').slice(0, 16);
  const image = `${JOB_IMAGE_REPO}:${tag}`;
  if (await inspectImage(docker, image)) return image;
  const { making } = host;
  let made = making.get(image);
  if (!made) {
    made = commitJobImage(docker, base, agent, tag).finally(() => making.delete(image));
    making.set(image, made);
  }
  await made;
  return image;
}

/** A container of the base (never started) gets the files, and is committed as the image. */
async function commitJobImage(docker: Docker, base: { name: string; id: string }, agent: AgentBundle, tag: string): Promise<void> {
  const outputs = tarStream([{ name: OUTPUTS_IN_CONTAINER.slice(1), kind: 'directory', mode: 0o777 }]); // anyone may write: the job's user is the environment's
  const layer = Buffer.concat([await tarEntries(outputs), await agentTar(agent)]);
  let container: Docker.Container | undefined;
  try {
    // Named, not labelled: the image (and so every job's container) would carry its labels.
    container = await docker.createContainer({ Image: base.id, Cmd: ['python3'], name: `${JOB_IMAGE_REPO}-${tag}-${randomBytes(3).toString('hex')}` });
    await container.putArchive(layer, { path: '/' });
    await container.commit({ repo: JOB_IMAGE_REPO, tag, pause: false, comment: commentOver(base.name) });
  } catch (error) {
    if (statusOf(error) === 404) throw new PydockError('image-missing', `The image ${base.name} is not on the Docker host any more.`);
    throw new PydockError('start-failed', `Docker could not make the job image over ${base.name}: ${errorMessage(error)}.`,
      `Check that the Docker host can commit containers ("docker commit"); ${JOB_IMAGE_REPO} images may be removed at any time.`);
  } finally {
    await container?.remove({ force: true }).catch(() => undefined);
  }
}

const commentOver = (name: string) => `pydock's module and ${OUTPUTS_IN_CONTAINER} over ${name}`;

/**
 * Removes the job images whose image name now names another image, or none (a pull or a build moved it): each would
 * keep its old base's layers on disk. One a container still uses stays (Docker refuses); a job that needs it makes it again.
 */
async function removeStale(docker: Docker): Promise<void> {
  const images = await docker.listImages({ filters: { reference: [JOB_IMAGE_REPO] } }).catch(() => []);
  await Promise.all(images.map(async (image) => {
    const name = (await inspectImage(docker, image.Id).catch(() => undefined))?.Comment?.split(' over ').pop();
    const named = name && image.ParentId ? await inspectImage(docker, name).catch(() => null) : null;
    if (named !== null && named?.Id !== image.ParentId) await docker.getImage(image.Id).remove().catch(() => undefined);
  }));
}

/** A tar stream's entries without its end (two zero blocks), to go in front of another archive. */
async function tarEntries(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const tar = Buffer.concat(chunks);
  return tar.subarray(0, tar.length - 1024);
}
