// What kubectl would do in the tests, through client-node on whatever KUBECONFIG names (the stand-in or a real cluster).
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { labelValue } from '../../../extension/engine/kubernetes/podSpec';

function cluster(): { core: CoreV1Api; namespace: string } {
  const config = new KubeConfig();
  config.loadFromDefault();
  return { core: config.makeApiClient(CoreV1Api), namespace: config.getContextObject(config.getCurrentContext())?.namespace || 'default' };
}

/** Names of the pods, in any phase, of a pydock.session label ("kubectl get pods -l pydock.session=..."). */
export async function podsLabelled(sessionLabel: string): Promise<string[]> {
  const { core, namespace } = cluster();
  const pods = await core.listNamespacedPod({ namespace, labelSelector: `pydock.session=${labelValue(sessionLabel)}` });
  return pods.items.map((pod) => pod.metadata!.name!);
}

/** "kubectl delete pod NAME --grace-period=0". */
export async function deletePod(name: string): Promise<void> {
  const { core, namespace } = cluster();
  await core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 });
}
