// The cluster the kubernetes target runs on: the stand-in API server (started once per test file, closed at its end),
// or with PYDOCK_K8S_CLUSTER=1 (scripts/k8s-conformance.sh) the real cluster of KUBECONFIG.
import { after } from 'node:test';
import { KubeStandIn } from './standIn';

let standIn: Promise<KubeStandIn> | undefined;

/** Whether the suites run against a real cluster instead of the stand-in. */
export const REAL_CLUSTER = process.env.PYDOCK_K8S_CLUSTER === '1';

/** Starts the stand-in and points KUBECONFIG at it, unless a real cluster was asked for; undefined then. */
export async function kubeCluster(): Promise<KubeStandIn | undefined> {
  if (REAL_CLUSTER) return undefined;
  standIn ??= KubeStandIn.start().then((server) => {
    process.env.KUBECONFIG = server.kubeconfig;
    return server;
  });
  return standIn;
}

after(async () => { await (await standIn)?.close(); });
