// `network: none` on Kubernetes: one NetworkPolicy per namespace that gives the pods labelled for it no ingress and no egress.
import { NetworkingV1Api, type V1NetworkPolicy } from '@kubernetes/client-node';
import type { KubeTarget } from './kubeConnect';
import { apiFailure, kubeError } from './kubeErrors';
import { POD_LABEL } from './podSpec';

export const NO_NETWORK_POLICY = 'pydock-no-network';

export function noNetworkPolicy(namespace: string): V1NetworkPolicy {
  return {
    apiVersion: 'networking.k8s.io/v1',
    kind: 'NetworkPolicy',
    metadata: { name: NO_NETWORK_POLICY, namespace, labels: { [POD_LABEL.pydock]: '1' } },
    // Selected and listed under both types with no rules: nothing in, nothing out (DNS included).
    spec: { podSelector: { matchLabels: { [POD_LABEL.network]: 'none' } }, policyTypes: ['Ingress', 'Egress'], ingress: [], egress: [] },
  };
}

/** Creates the namespace's policy unless it is there. Only a CNI that enforces policies enforces it; the hint says so. */
export async function ensureNoNetworkPolicy(kube: KubeTarget, namespace: string): Promise<void> {
  await kube.config.makeApiClient(NetworkingV1Api).createNamespacedNetworkPolicy({ namespace, body: noNetworkPolicy(namespace) }).catch((error) => {
    if (apiFailure(error).code !== 409) throw kubeError(error, { verb: 'create', resource: 'networkpolicies', namespace }, kube.server);
  });
}
