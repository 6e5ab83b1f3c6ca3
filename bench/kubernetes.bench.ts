// Issue 15 figures: an eval's round trip over the WebSocket attach of a pod (through the stand-in API server, each pod a
// container in the same dockerd) against Docker's attach in the same run, and the start from pod creation to a result.
import { connectBackend } from '../extension/engine/launch/backends';
import { silentLogger } from '../extension/engine/log';
import { KubeStandIn } from '../test/integration/kube/standIn';
import { benchSession, coldStart } from './session.bench';
import { percentile, round, timeEach } from './stats';

/** Alternating blocks, so both backends meet the same load from the rest of the machine. */
const BLOCKS = 4;
const BLOCK_TRIPS = 500;

export async function benchKubernetesFigures(): Promise<Record<string, number>> {
  const standIn = await KubeStandIn.start();
  process.env.KUBECONFIG = standIn.kubeconfig;
  try {
    const kubernetes = await connectBackend({ choice: 'kubernetes', log: silentLogger });
    const docker = await connectBackend({ choice: 'docker', log: silentLogger });
    const pod = benchSession(kubernetes);
    const container = benchSession(docker);
    await timeEach(300, () => pod.eval('1+1'));
    await timeEach(300, () => container.eval('1+1'));
    const podSamples: number[] = [];
    const containerSamples: number[] = [];
    for (let i = 0; i < BLOCKS; i++) {
      podSamples.push(...await timeEach(BLOCK_TRIPS, () => pod.eval('1+1')));
      containerSamples.push(...await timeEach(BLOCK_TRIPS, () => container.eval('1+1')));
    }
    await Promise.all([pod.stop(), container.stop()]);
    const cold = await coldStart(kubernetes);
    const k8s = percentile(podSamples, 50);
    const peer = percentile(containerSamples, 50);
    return {
      k8s_attach_roundtrip_p50_ms: round(k8s),
      k8s_attach_roundtrip_p99_ms: round(percentile(podSamples, 99)),
      k8s_peer_eval_roundtrip_p50_ms: round(peer),
      k8s_attach_roundtrip_ratio: round(k8s / peer, 2),
      k8s_cold_start_ms: round(cold, 1),
    };
  } finally {
    await standIn.close();
  }
}
