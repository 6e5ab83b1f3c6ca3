// A session agent in a pod over the attach WebSocket: write to it, learn how it ended from the pod watch (or that the
// connection was lost), delete the pod, or detach and leave it running for a later reattach.
import type { V1Pod } from '@kubernetes/client-node';
import type WebSocket from 'ws';
import type { AgentExit, AgentProcess, AgentSinks, WorkspaceSync } from '../launch/backend';
import { withTimeout } from '../poll';
import { closeStdinMessage, readChannelMessage, stdinMessage } from './channels';
import type { KubeTarget } from './kubeConnect';
import { apiFailure } from './kubeErrors';
import { PodWatch } from './podWatch';
import { podState } from './podState';

/** Pods this process is attached to: a reattach never takes one, be it a warm agent or another session's. */
export const attachedHere = new Set<string>();

/** How long the API server has to answer when the stream ended or went quiet, before it counts as gone. */
const PROBE_TIMEOUT_MS = 5000;
/** How long the pod watch has, after the attach ended, to report the agent's exit before the API server is asked. */
const EXIT_REPORT_MS = 3000;
/** How long a detach waits for the server to close the socket after this side's close, before ending it. */
const DETACH_CLOSE_MS = 1000;

export interface PodAgentOptions {
  namespace: string;
  memoryBytes?: number;
  workspaceCopy?: WorkspaceSync;
}

export class PodAgent implements AgentProcess {
  readonly exited: Promise<AgentExit>;
  readonly workspaceCopy?: WorkspaceSync;
  private readonly watch: PodWatch;
  private settle!: (exit: AgentExit) => void;
  private settled = false;
  /** This side is closing the socket (a kill or a detach): its end says nothing about the agent. */
  private closing = false;
  /** The attach already broke: its further errors and its close say nothing new. */
  private broken = false;

  constructor(private readonly kube: KubeTarget, readonly id: string, private readonly socket: WebSocket, private readonly protocol: string,
    sinks: AgentSinks, private readonly options: PodAgentOptions) {
    attachedHere.add(id);
    this.workspaceCopy = options.workspaceCopy;
    this.exited = new Promise((resolve) => { this.settle = resolve; });
    void this.exited.then(() => attachedHere.delete(id));
    socket.on('message', (data: Buffer, isBinary: boolean) => {
      const message = readChannelMessage(isBinary ? data : data.toString('utf8'), protocol);
      switch (message.kind) {
        case 'stdout': if (message.data.length) sinks.stdout(message.data); return;
        case 'stderr': if (message.data.length) sinks.stderr(message.data); return;
        case 'status': return this.streamBroke(`the attach ended: ${message.status.message ?? message.status.status ?? 'no reason given'}`);
        case 'closed': return;
        case 'garbage': return this.streamBroke(`a message could not be read (${message.why})`);
        default: { const unknown: never = message; return unknown; }
      }
    });
    socket.on('error', (error) => this.streamBroke(error.message));
    socket.on('close', () => this.streamBroke('the API server closed it'));
    this.watch = new PodWatch(kube, options.namespace, id, (pod) => this.seen(pod), () => void this.probe('the pod watch failed'));
    this.watch.start();
  }

  write(chunks: Buffer[]): void {
    if (this.socket.readyState === this.socket.OPEN) this.socket.send(stdinMessage(chunks));
  }

  /** The attach ended or failed while this side still wanted it: the agent exited, or the connection was lost. */
  streamBroke(why: string): void {
    if (this.closing || this.settled || this.broken) return;
    this.broken = true;
    this.socket.terminate();
    // The attach ends as the agent exits, before the kubelet reports it: the watch usually says how within a moment.
    setTimeout(() => { if (!this.settled) void this.probe(`the connection to the pod broke: ${why}`); }, EXIT_REPORT_MS).unref();
  }

  /** Asks the API server how the pod is, within a bounded time; settles `exited` unless the pod runs and the stream is whole. */
  async probe(why = 'the agent stopped answering'): Promise<void> {
    let pod: V1Pod | undefined;
    try {
      pod = await withTimeout(this.kube.core.readNamespacedPod({ name: this.id, namespace: this.options.namespace }), PROBE_TIMEOUT_MS);
    } catch (error) {
      if (apiFailure(error).code !== 404) {
        return this.end({ code: null, oomKilled: false, removed: false,
          lost: `the Kubernetes API server at ${this.kube.server} stopped answering (${apiFailure(error).message}; ${why})` });
      }
    }
    const state = podState(pod, this.options.memoryBytes);
    if (state.state === 'ended') return this.end(state.exit);
    if (this.socket.readyState !== this.socket.OPEN) this.end({ code: null, oomKilled: false, removed: false, lost: `${why}; the pod still runs` });
  }

  async kill(): Promise<void> {
    this.closing = true;
    attachedHere.delete(this.id);
    this.watch.stop();
    this.socket.terminate();
    await this.kube.core.deleteNamespacedPod({ name: this.id, namespace: this.options.namespace, gracePeriodSeconds: 0 }).catch((error) => {
      if (apiFailure(error).code !== 404) throw error;
    });
  }

  /** Ends stdin's side (v5) and closes the attach after what was written; the pod's stdin stays open (stdinOnce is false). */
  async detach(): Promise<void> {
    this.closing = true;
    attachedHere.delete(this.id);
    this.watch.stop();
    const closed = new Promise<void>((resolve) => {
      this.socket.once('close', () => resolve());
      setTimeout(resolve, DETACH_CLOSE_MS).unref();
    });
    const close = closeStdinMessage(this.protocol);
    if (close && this.socket.readyState === this.socket.OPEN) this.socket.send(close);
    this.socket.close();
    await closed;
    this.socket.terminate();
  }

  private seen(pod: V1Pod | undefined): void {
    const state = podState(pod, this.options.memoryBytes);
    if (state.state === 'ended') this.end(state.exit);
  }

  /** Settles `exited` once; an agent that ended by itself leaves a finished pod, which is deleted now that its end is known. */
  private end(exit: AgentExit): void {
    if (this.settled) return;
    this.settled = true;
    this.watch.stop();
    this.socket.terminate();
    this.settle(exit);
    if (!exit.lost && !exit.removed) void this.kill().catch(() => undefined);
  }
}
