// Where a backend runs jobs: containers on its Docker host, or Kubernetes Jobs in its namespace.
import { DockerBackend } from '../docker/dockerBackend';
import { PydockError } from '../errors';
import { KubeJobHost } from '../kubernetes/kubeJobHost';
import { KubernetesBackend } from '../kubernetes/kubernetesBackend';
import type { Backend, KubernetesPlacement } from '../launch/backend';
import type { BackendChoice } from '../launch/backends';
import { JobHost } from './jobHost';
import type { JobPlace } from './jobPlace';

/** `placement`: the environment's kubernetes section, whose namespace (if any) the Jobs go to. */
export function jobPlaceOf(backend: Backend, workspace: string, placement?: KubernetesPlacement): JobPlace {
  if (backend instanceof DockerBackend) return new JobHost(backend, workspace);
  if (backend instanceof KubernetesBackend) return new KubeJobHost(backend, workspace, backend.namespaceOf({ kubernetes: placement }));
  throw new PydockError('usage', `Jobs run in containers or pods, and the backend is ${backend.description}.`,
    'Start Docker, or set pydock.backend to "docker" (or "kubernetes").');
}

/** Jobs run in containers or pods: on Kubernetes when the environment file (first) or the setting says so, else on Docker. */
export function jobBackend(...choices: (BackendChoice | undefined)[]): 'docker' | 'kubernetes' {
  return choices.find((choice) => choice !== undefined) === 'kubernetes' ? 'kubernetes' : 'docker';
}
