// Runs the agent in a pod through @kubernetes/client-node: the agent's ConfigMap, the pod, its progress while pending,
// the attach; finds a session's pod again after a reload, and collects pods of dead windows.
import { PatchStrategy, setHeaderOptions, type V1ConfigMap, type V1Pod } from '@kubernetes/client-node';
import * as fs from 'node:fs';
import type { AgentProcess, AgentSinks, Backend, LaunchSpec } from '../launch/backend';
import { WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';
import { copyRoots } from '../docker/launchPlan';
import { WorkspaceCopy } from '../docker/workspaceCopy';
import { ownerIsAlive } from '../launch/owner';
import { agentConfigMap, type AgentConfigMap } from './agentConfigMap';
import { openChannelSocket } from './channelSocket';
import { connectKube, type KubeOptions, type KubeTarget } from './kubeConnect';
import { apiFailure, kubeError } from './kubeErrors';
import { PodAgent, attachedHere } from './podAgent';
import { PodArchive } from './podArchive';
import { ensureNoNetworkPolicy } from './networkPolicy';
import { POD_ANNOTATION, POD_LABEL, podFingerprint, podManifest, sessionSelector } from './podSpec';
import { byCreation, podState } from './podState';
import { JOB_LABEL } from './jobManifest';
import { podRunning, type PodRunningOptions } from './podRunning';

/** How long a pod may stay pending (scheduling, pulling) before its start fails with the cluster's last reason. */
const DEFAULT_PENDING_MS = 5 * 60_000;

export interface KubernetesBackendOptions extends KubeOptions {
  pendingTimeoutMs?: number;
}

export class KubernetesBackend implements Backend {
  readonly kind = 'kubernetes';
  readonly sandboxed = true;
  readonly description: string;
  /** Agent ConfigMaps known to exist, by namespace and name. */
  private readonly agentMaps = new Set<string>();

  private constructor(readonly kube: KubeTarget, private readonly owner: string, readonly pendingTimeoutMs: number) {
    this.description = `kubernetes ${kube.server} namespace ${kube.namespace}`;
  }

  /** Loads the kubeconfig and asks the API server for its version, so a missing or unreachable cluster is reported first. */
  static async connect(owner: string, options: KubernetesBackendOptions = {}): Promise<KubernetesBackend> {
    return new KubernetesBackend(await connectKube(options), owner, options.pendingTimeoutMs ?? DEFAULT_PENDING_MS);
  }

  /**
   * What a pod of this spec needs before it is made: the agent's ConfigMap, the namespace's no-network policy, and the
   * workspace (and /io) packed to go in on stdin. Sessions and jobs both start so.
   */
  async stage(spec: LaunchSpec): Promise<{ namespace: string; agent: AgentConfigMap; archive: PodArchive; workspace?: WorkspaceCopy }> {
    const namespace = this.namespaceOf(spec);
    const agent = agentConfigMap(spec.agent, namespace);
    await this.ensureAgentMap(agent.body, namespace);
    if (spec.network === 'none') await ensureNoNetworkPolicy(this.kube, namespace);
    else if (spec.network && spec.network !== 'bridge') {
      spec.onProgress?.({ type: 'warning', message: `the network "${spec.network}" is Docker's: on Kubernetes the pod has the cluster's network` });
    }
    const archive = new PodArchive(spec.user);
    const workspace = await this.copyIn(spec, archive);
    return { namespace, agent, archive, ...(workspace ? { workspace } : {}) };
  }

  async launch(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess> {
    const { namespace, agent, archive, workspace } = await this.stage(spec);
    const manifest = podManifest(spec, { namespace, owner: this.owner, agent });
    const name = manifest.metadata!.name!;
    await this.kube.core.createNamespacedPod({ namespace, body: manifest }).catch((error) => {
      throw kubeError(error, { verb: 'create', resource: 'pods', namespace }, this.kube.server);
    });
    try {
      await podRunning(this.kube, { namespace, target: name, pendingTimeoutMs: this.pendingTimeoutMs, ...podEvents(spec) });
      const { socket, protocol } = await openChannelSocket(this.kube, namespace, name, 'attach');
      archive.started(this.kube, namespace, name);
      const process = new PodAgent(this.kube, name, socket, protocol, sinks,
        { namespace, ...(spec.memoryBytes ? { memoryBytes: spec.memoryBytes } : {}), ...(workspace ? { workspaceCopy: workspace } : {}) });
      for (const message of archive.messages()) process.write([message]);
      return process;
    } catch (error) {
      await this.kube.core.deleteNamespacedPod({ name, namespace, gracePeriodSeconds: 0 }).catch(() => undefined);
      throw error;
    }
  }

  /** This spec's pod left running by a window that is gone (same settings), attached again; others of the session are deleted. */
  async reattach(spec: LaunchSpec, sinks: AgentSinks): Promise<AgentProcess | undefined> {
    const namespace = this.namespaceOf(spec);
    const pods = (await this.kube.core.listNamespacedPod({ namespace, labelSelector: sessionSelector(spec) })).items;
    const free = pods.filter((pod) => podState(pod).state === 'running' && !attachedHere.has(pod.metadata!.name!)
      && (pod.metadata?.annotations?.[POD_ANNOTATION.owner] === this.owner || !this.ownerAlive(pod)));
    const fingerprint = podFingerprint(spec);
    const [chosen, ...others] = free.filter((pod) => pod.metadata?.labels?.[POD_LABEL.config] === fingerprint)
      .sort(byCreation);
    const unwanted = [...others, ...free.filter((pod) => pod.metadata?.labels?.[POD_LABEL.config] !== fingerprint)];
    await Promise.all(unwanted.map((pod) => this.deletePod(pod)));
    if (!chosen || !(await this.claim(chosen))) return undefined;
    const name = chosen.metadata!.name!;
    const { socket, protocol } = await openChannelSocket(this.kube, namespace, name, 'attach');
    return new PodAgent(this.kube, name, socket, protocol, sinks, { namespace, ...(spec.memoryBytes ? { memoryBytes: spec.memoryBytes } : {}) });
  }

  /**
   * Deletes finished pods left by pydock processes on this host that have died; running ones may be reattached, and
   * their agents exit by themselves when no window renews their lease (activeDeadlineSeconds is the backstop).
   */
  async removeLeftovers(isAlive: (owner: string) => boolean): Promise<string[]> {
    // A job's pod that ended waits for its collection (its keeper holds it): never a leftover.
    const pods = (await this.kube.core.listNamespacedPod({ namespace: this.kube.namespace, labelSelector: `${POD_LABEL.pydock}=1,!${JOB_LABEL}` })).items;
    const dead = pods.filter((pod) => podState(pod).state === 'ended' && !isAlive(pod.metadata?.annotations?.[POD_ANNOTATION.owner] ?? ''));
    await Promise.all(dead.map((pod) => this.deletePod(pod)));
    return dead.map((pod) => pod.metadata!.name!);
  }

  /**
   * The workspace and /io packed for the pod as for a remote Docker host (the same WorkspaceCopy, so syncBack works the
   * same); a workspace claim is the workspace itself and is not copied.
   */
  private async copyIn(spec: LaunchSpec, archive: PodArchive): Promise<WorkspaceCopy | undefined> {
    if (spec.io) await fs.promises.mkdir(spec.io, { recursive: true });
    const claimed = !!spec.kubernetes?.workspaceClaim;
    const roots = copyRoots(spec).filter((root) => !(claimed && root.target === WORKSPACE_IN_CONTAINER));
    if (!roots.length) return undefined;
    const copy = new WorkspaceCopy(roots, (event) => spec.onProgress?.(event), false);
    await copy.copyIn(archive);
    return copy;
  }

  namespaceOf(spec: Pick<LaunchSpec, 'kubernetes'>): string {
    return spec.kubernetes?.namespace || this.kube.namespace;
  }

  /**
   * Makes the pod's owner annotation this window's, unless another window changed it first (the patch tests the old
   * value), so that no other window on this host takes it for a dead window's pod.
   */
  private async claim(pod: V1Pod): Promise<boolean> {
    const owner = pod.metadata?.annotations?.[POD_ANNOTATION.owner];
    if (owner === this.owner) return true;
    const path = `/metadata/annotations/${POD_ANNOTATION.owner.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    const body = owner === undefined ? [{ op: 'add', path, value: this.owner }] : [{ op: 'test', path, value: owner }, { op: 'replace', path, value: this.owner }];
    // 422: the test failed, another window has it; any other failure (no RBAC patch) attaches unclaimed, as before
    return this.kube.core.patchNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace ?? this.kube.namespace, body },
      setHeaderOptions('Content-Type', PatchStrategy.JsonPatch)).then(() => true, (error: { code?: number }) => error.code !== 422);
  }

  private ownerAlive(pod: V1Pod): boolean {
    return ownerIsAlive(pod.metadata?.annotations?.[POD_ANNOTATION.owner] ?? '');
  }

  private async deletePod(pod: V1Pod): Promise<void> {
    await this.kube.core.deleteNamespacedPod({ name: pod.metadata!.name!, namespace: pod.metadata!.namespace ?? this.kube.namespace, gracePeriodSeconds: 0 })
      .catch(() => undefined);
  }

  private async ensureAgentMap(body: V1ConfigMap, namespace: string): Promise<void> {
    const key = `${namespace}/${body.metadata!.name}`;
    if (this.agentMaps.has(key)) return;
    await this.kube.core.createNamespacedConfigMap({ namespace, body }).catch((error) => {
      if (apiFailure(error).code !== 409) throw kubeError(error, { verb: 'create', resource: 'configmaps', namespace }, this.kube.server);
    });
    this.agentMaps.add(key);
  }
}

/** The spec's progress, memory and cancel, for podRunning. */
export function podEvents(spec: LaunchSpec): Pick<PodRunningOptions, 'memoryBytes' | 'onProgress' | 'signal'> {
  return { ...(spec.memoryBytes ? { memoryBytes: spec.memoryBytes } : {}), ...(spec.onProgress ? { onProgress: spec.onProgress } : {}), ...(spec.signal ? { signal: spec.signal } : {}) };
}
