// Finds the cluster as kubectl would (KUBECONFIG, ~/.kube/config, in-cluster) and checks within seconds that it answers.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoreV1Api, KubeConfig, VersionApi } from '@kubernetes/client-node';
import { PydockError } from '../errors';
import { withTimeout } from '../poll';
import { apiFailure } from './kubeErrors';

const PING_TIMEOUT_MS = 5000;

export interface KubeOptions {
  /** The pydock.kubernetes.context setting; empty: the kubeconfig's current context. */
  context?: string;
  /** The pydock.kubernetes.namespace setting; empty: the context's namespace, else default. */
  namespace?: string;
}

/** A cluster that answered: its config (credentials included), the API, its URL and the namespace sessions go to. */
export interface KubeTarget {
  config: KubeConfig;
  core: CoreV1Api;
  server: string;
  namespace: string;
}

export async function connectKube(options: KubeOptions = {}): Promise<KubeTarget> {
  const config = loadConfig();
  if (options.context) {
    if (!config.getContextObject(options.context)) {
      throw new PydockError('daemon-unreachable', `The kubeconfig has no context "${options.context}" (pydock.kubernetes.context).`,
        `Choose one of: ${config.getContexts().map((c) => c.name).join(', ') || 'none'} ("kubectl config get-contexts" lists them).`);
    }
    config.setCurrentContext(options.context);
  }
  const server = config.getCurrentCluster()?.server;
  if (!server) {
    throw new PydockError('daemon-unreachable', `The kubeconfig's context "${config.getCurrentContext()}" names no cluster.`,
      'Fix KUBECONFIG (or ~/.kube/config), or set pydock.kubernetes.context to a context with a cluster.');
  }
  try {
    await withTimeout(config.makeApiClient(VersionApi).getCode(), PING_TIMEOUT_MS);
  } catch (error) {
    const { code, message } = apiFailure(error);
    const why = code === 401 ? 'the credentials were refused (HTTP 401)' : message;
    throw new PydockError('daemon-unreachable', `Cannot reach the Kubernetes API server at ${server} (context "${config.getCurrentContext()}"): ${why}.`,
      'Check that the cluster runs ("kubectl version" asks the same server), that your credentials are current, or choose another '
      + 'context (pydock.kubernetes.context) or backend (pydock.backend).');
  }
  const namespace = options.namespace || config.getContextObject(config.getCurrentContext())?.namespace || 'default';
  return { config, core: config.makeApiClient(CoreV1Api), server, namespace };
}

/** KubeConfig.loadFromDefault(), after checking there is something for it to load: it would otherwise assume localhost:8080. */
function loadConfig(): KubeConfig {
  const env = process.env;
  const files = (env.KUBECONFIG ?? '').split(path.delimiter).filter(Boolean);
  const home = path.join(os.homedir(), '.kube', 'config');
  const missing = files.filter((file) => !fs.existsSync(file));
  if (missing.length) {
    throw new PydockError('daemon-unreachable', `KUBECONFIG names ${missing.join(', ')}, which does not exist.`,
      'Point KUBECONFIG at your cluster\'s kubeconfig file (kind: "kind get kubeconfig --name NAME > FILE").');
  }
  if (!files.length && !fs.existsSync(home) && !env.KUBERNETES_SERVICE_HOST) {
    throw new PydockError('daemon-unreachable', `No kubeconfig was found: KUBECONFIG is not set and ${home} does not exist.`,
      'Set KUBECONFIG to your cluster\'s kubeconfig file (kind: "kind get kubeconfig --name NAME > FILE"), or choose another backend (pydock.backend).');
  }
  const config = new KubeConfig();
  try {
    config.loadFromDefault();
  } catch (error) {
    throw new PydockError('daemon-unreachable', `The kubeconfig (${files.join(path.delimiter) || home}) could not be read: ${(error as Error).message}.`,
      'Fix the file ("kubectl config view" shows what kubectl makes of it), or point KUBECONFIG at another.');
  }
  return config;
}
