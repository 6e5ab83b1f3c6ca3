// A stand-in Kubernetes API server for tests (never shipped): HTTP and WebSocket for exactly what the kubernetes backend
// uses (pods and ConfigMaps create/get/list/delete/watch, a pod's JSON patch, pods/attach and exec, pods/log, batch/v1 Jobs, NetworkPolicy
// create, /version), each pod's containers real containers in the test dockerd, with scripted faults. A kubeconfig points at it.
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { Duplex } from 'node:stream';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { V1ConfigMap, V1Job, V1NetworkPolicy, V1Pod } from '@kubernetes/client-node';
import Docker from 'dockerode';
import { WebSocketServer, type WebSocket } from 'ws';
import { attachStdio } from '../../../extension/engine/docker/attachStdio';
import { DockerDemuxer } from '../../../extension/engine/wire/framing';
import { applyJsonPatch, type PatchOperation } from './jsonPatch';
import { StandInJobs } from './standInJobs';
import { podLog } from './standInLog';
import { STANDIN_LABEL, Waiting, containerStatus, podPhase, removeSharedVolumes, runPod, type ContainerState } from './standInPods';

export interface Faults {
  /** Attach answers 403, as RBAC does without pods/attach. */
  attachForbidden?: boolean;
  /** New pods stay Pending, Unschedulable. */
  pendingForever?: boolean;
  /** New pods are Unschedulable until release() (a cluster autoscaler adding a node). */
  holdPending?: boolean;
  /** Pods beyond this many in a namespace are refused with a quota message. */
  quotaPods?: number;
  /** Offer only v4.channel.k8s.io, as an older API server. */
  v4Only?: boolean;
}

interface PodRecord { pod: V1Pod; containers: Map<string, Docker.Container>; sockets: Set<WebSocket> }
export interface Watcher { kind: 'pods' | 'jobs'; namespace: string; selector: Selector; response: http.ServerResponse }

export class KubeStandIn {
  readonly faults: Faults = {};
  readonly kubeconfig: string;
  private readonly pods = new Map<string, PodRecord>();
  private readonly configMaps = new Map<string, V1ConfigMap>();
  private readonly policies = new Map<string, V1NetworkPolicy>();
  /** Deleted pods, at their last resource version, so a watch that starts late still hears of the deletion. */
  private readonly deleted: V1Pod[] = [];
  private readonly jobs = new StandInJobs(this);
  private readonly watchers = new Set<Watcher>();
  /** Pods held Unschedulable by faults.holdPending, waiting for release(). */
  private readonly held: (() => void)[] = [];
  version = 1;
  private readonly docker = new Docker();
  private readonly sockets = new WebSocketServer({ noServer: true, handleProtocols: (offered) => this.protocolFor(offered) });
  readonly id = `standin-${process.pid}-${Date.now()}`;

  private constructor(private readonly server: http.Server, readonly url: string, dir: string) {
    this.kubeconfig = path.join(dir, 'kubeconfig');
    fs.writeFileSync(this.kubeconfig, [
      'apiVersion: v1', 'kind: Config', 'current-context: standin',
      'clusters:', '- name: standin', '  cluster:', `    server: ${url}`, '    insecure-skip-tls-verify: true', // client-node refuses plain http otherwise
      'contexts:', '- name: standin', '  context:', '    cluster: standin', '    user: tester', '    namespace: pydock-test',
      'users:', '- name: tester', '  user:', '    token: stand-in-token', '',
    ].join('\n'));
  }

  static async start(): Promise<KubeStandIn> {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-kube-'));
    const standIn = new KubeStandIn(server, `http://127.0.0.1:${(server.address() as AddressInfo).port}`, dir);
    server.on('request', (request, response) => void standIn.handle(request, response).catch((error) => standIn.send(response, 500, status(500, String(error)))));
    server.on('upgrade', (request, socket, head) => standIn.upgrade(request, socket, head));
    return standIn;
  }

  /** Stops serving and removes every container it made. */
  async close(): Promise<void> {
    for (const watcher of this.watchers) watcher.response.end();
    this.watchers.clear(); // the deletions below tell no one
    for (const client of this.sockets.clients) client.terminate();
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server.close(resolve));
    this.jobs.close();
    await Promise.all([...this.pods.keys()].map((name) => this.deletePod(name)));
    const left = await this.docker.listContainers({ all: true, filters: { label: [`${STANDIN_LABEL}=${this.id}`] } });
    await Promise.all(left.map((c) => this.docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
  }

  podNames(): string[] {
    return [...this.pods.values()].map((r) => r.pod.metadata!.name!);
  }

  /** The Docker container of the pod's container (default: its first). */
  containerOf(name: string, container?: string): Docker.Container | undefined {
    const containers = this.pods.get(name)?.containers;
    return container ? containers?.get(container) : containers?.values().next().value;
  }

  matchesUrl(object: V1Pod | V1Job, namespace: string, url: URL): boolean {
    return matches(object, namespace, selectorOf(url));
  }

  /** The pods whose labels hold these (a Job's, by job-name). */
  podsLabelled(namespace: string, selector: Selector): V1Pod[] {
    return [...this.pods.values()].map((r) => r.pod).filter((pod) => matches(pod, namespace, selector));
  }

  /** As "kubectl delete pod": the container goes, watchers see the deletion. */
  async deletePod(name: string): Promise<boolean> {
    const record = this.pods.get(name);
    if (!record) return false;
    this.pods.delete(name);
    await Promise.all([...record.containers.values()].map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
    await removeSharedVolumes(this.docker, record.pod);
    for (const socket of record.sockets) socket.terminate();
    record.pod.metadata!.resourceVersion = String(++this.version);
    this.deleted.push(record.pod);
    this.notify('pods', 'DELETED', record.pod);
    this.jobs.podEnded(record.pod, true);
    return true;
  }

  /** Schedules the pods held Unschedulable: they run now. */
  release(): void {
    for (const run of this.held.splice(0)) run();
  }

  /** Drops every attach socket of the pod, as a proxy or a network fault would; the container runs on. */
  dropAttach(name: string): void {
    for (const socket of this.pods.get(name)?.sockets ?? []) socket.terminate();
  }

  private async handle(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
    const url = new URL(request.url!, this.url);
    const parts = url.pathname.split('/').filter(Boolean);
    if (url.pathname === '/version') return this.send(response, 200, { major: '1', minor: '30', gitVersion: 'v1.30.0-pydock-standin' });
    const batch = /^\/apis\/batch\/v1\/namespaces\/([^/]+)\/jobs(?:\/([^/]+))?$/.exec(url.pathname);
    if (batch) return this.jobs.route(request.method!, batch[1], batch[2], url, request.method === 'POST' ? JSON.parse(await readBody(request)) : undefined, response);
    const policy = /^\/apis\/networking\.k8s\.io\/v1\/namespaces\/([^/]+)\/networkpolicies$/.exec(url.pathname);
    if (policy && request.method === 'POST') return this.createPolicy(policy[1], JSON.parse(await readBody(request)), response);
    // /api/v1/namespaces/NS/KIND[/NAME[/SUB]]
    if (parts[0] !== 'api' || parts[1] !== 'v1' || parts[2] !== 'namespaces' || parts.length < 5) return this.send(response, 404, status(404, 'not served by the stand-in'));
    const [namespace, kind, name, sub] = parts.slice(3);
    const body = request.method === 'POST' ? JSON.parse(await readBody(request)) : undefined;
    if (kind === 'configmaps') return this.configMapRoute(request.method!, namespace, name, body, response);
    if (kind !== 'pods') return this.send(response, 404, status(404, `${kind} is not served by the stand-in`));
    if (request.method === 'POST' && !name) {
      const made = this.createPod(namespace, body as V1Pod);
      return this.send(response, made.code, made.body);
    }
    if (request.method === 'GET' && !name) return url.searchParams.get('watch') === 'true' ? this.watch('pods', namespace, url, response) : this.send(response, 200, this.list(namespace, url));
    const record = this.pods.get(name);
    if (!record || record.pod.metadata!.namespace !== namespace) return this.send(response, 404, status(404, `pods "${name}" not found`, 'NotFound'));
    if (request.method === 'GET' && sub === 'log') return podLog(record.containers, record.pod, url, response);
    if (request.method === 'GET') return this.send(response, 200, record.pod);
    if (request.method === 'PATCH' && !sub) {
      const patched = applyJsonPatch(record.pod, JSON.parse(await readBody(request)) as PatchOperation[]);
      if (patched instanceof Error) return this.send(response, 422, status(422, patched.message, 'Invalid'));
      record.pod.metadata = { ...patched.metadata, resourceVersion: String(++this.version) }; // only the metadata may change
      this.notify('pods', 'MODIFIED', record.pod);
      return this.send(response, 200, record.pod);
    }
    if (request.method === 'DELETE') {
      await this.deletePod(name);
      return this.send(response, 200, record.pod);
    }
    return this.send(response, 405, status(405, `${request.method} ${url.pathname} is not served by the stand-in`));
  }

  private configMapRoute(method: string, namespace: string, name: string | undefined, body: V1ConfigMap, response: http.ServerResponse): void {
    const key = (n: string) => `${namespace}/${n}`;
    if (method === 'POST') {
      if (this.configMaps.has(key(body.metadata!.name!))) return this.send(response, 409, status(409, `configmaps "${body.metadata!.name}" already exists`, 'AlreadyExists'));
      this.configMaps.set(key(body.metadata!.name!), { ...body, metadata: { ...body.metadata, namespace, resourceVersion: String(++this.version) } });
      return this.send(response, 201, this.configMaps.get(key(body.metadata!.name!)));
    }
    const map = name && this.configMaps.get(key(name));
    if (method === 'GET' && map) return this.send(response, 200, map);
    if (method === 'DELETE' && map) {
      this.configMaps.delete(key(name!));
      return this.send(response, 200, map);
    }
    return this.send(response, 404, status(404, `configmaps "${name}" not found`, 'NotFound'));
  }

  private createPolicy(namespace: string, body: V1NetworkPolicy, response: http.ServerResponse): void {
    const key = `${namespace}/${body.metadata!.name}`;
    if (this.policies.has(key)) return this.send(response, 409, status(409, `networkpolicies "${body.metadata!.name}" already exists`, 'AlreadyExists'));
    this.policies.set(key, { ...body, metadata: { ...body.metadata, namespace } });
    this.send(response, 201, this.policies.get(key));
  }

  /** A policy of the namespace that selects the pod and allows it no egress cuts its container off (NetworkMode none). */
  private isolated(pod: V1Pod): boolean {
    return [...this.policies.values()].some((p) => p.metadata!.namespace === pod.metadata!.namespace
      && Object.entries(p.spec!.podSelector?.matchLabels ?? {}).every(([k, v]) => pod.metadata!.labels?.[k] === v)
      && !!p.spec!.policyTypes?.includes('Egress') && !p.spec!.egress?.length);
  }

  /** Makes the pod and starts its containers; the answer to the POST (a quota refusal, or the pod). */
  createPod(namespace: string, pod: V1Pod): { code: number; body: object } {
    const inNamespace = [...this.pods.values()].filter((r) => r.pod.metadata!.namespace === namespace).length;
    if (this.faults.quotaPods !== undefined && inNamespace >= this.faults.quotaPods) {
      const n = this.faults.quotaPods;
      return { code: 403, body: status(403, `pods "${pod.metadata!.name}" is forbidden: exceeded quota: compute, requested: pods=1, used: pods=${n}, limited: pods=${n}`, 'Forbidden') };
    }
    const name = pod.metadata!.name!;
    const containers = pod.spec!.containers;
    const states = new Map<string, ContainerState>(containers.map((c) => [c.name, { waiting: { reason: 'ContainerCreating' } }]));
    const statuses = () => containers.map((c) => containerStatus(c.name, c.image!, states.get(c.name)!));
    pod.metadata = { ...pod.metadata, namespace, uid: `uid-${name}`, creationTimestamp: new Date(), resourceVersion: String(++this.version) };
    pod.status = { phase: 'Pending', conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: statuses() };
    const record: PodRecord = { pod, containers: new Map(), sockets: new Set() };
    this.pods.set(name, record);
    this.notify('pods', 'ADDED', pod);
    const update = (next: V1Pod['status']) => {
      if (this.pods.get(name) !== record) return;
      pod.status = { ...pod.status, ...next };
      pod.metadata!.resourceVersion = String(++this.version);
      this.notify('pods', 'MODIFIED', pod);
      if (pod.status.phase === 'Succeeded' || pod.status.phase === 'Failed') this.jobs.podEnded(pod, false);
    };
    const setState = (container: string, state: ContainerState) => {
      states.set(container, state);
      update({ phase: podPhase([...states.values()]), containerStatuses: statuses() });
    };
    const unschedulable = () => update({ containerStatuses: [], conditions: [{ type: 'PodScheduled', status: 'False', reason: 'Unschedulable',
      message: '0/1 nodes are available: 1 Insufficient nvidia.com/gpu. preemption: 0/1 nodes are available.' }] });
    const run = () => runPod(this.docker, this.id, pod, (n) => this.configMaps.get(`${namespace}/${n}`), this.isolated(pod), setState, record.containers).then(
      () => {
        if (this.pods.get(name) !== record) { // deleted while it started
          for (const c of record.containers.values()) void c.remove({ force: true, v: true }).catch(() => undefined);
        }
      },
      (error) => {
        const waiting = error instanceof Waiting ? { reason: error.reason, message: error.message } : { reason: 'CreateContainerError', message: String(error) };
        for (const c of containers) states.set(c.name, { waiting });
        update({ containerStatuses: statuses() });
      });
    const scheduled = () => update({ conditions: [{ type: 'PodScheduled', status: 'True' }], containerStatuses: statuses() });
    if (this.faults.pendingForever) unschedulable();
    else if (this.faults.holdPending) {
      unschedulable();
      this.held.push(() => { scheduled(); void run(); });
    } else void run();
    return { code: 201, body: pod };
  }

  private list(namespace: string, url: URL): object {
    const items = [...this.pods.values()].map((r) => r.pod).filter((pod) => matches(pod, namespace, selectorOf(url)));
    return { apiVersion: 'v1', kind: 'PodList', metadata: { resourceVersion: String(this.version) }, items };
  }

  /** Changes from the resourceVersion on: those of objects changed since first (pods deleted since too), then as they come. */
  watch(kind: Watcher['kind'], namespace: string, url: URL, response: http.ServerResponse): void {
    const watcher: Watcher = { kind, namespace, selector: selectorOf(url), response };
    response.writeHead(200, { 'Content-Type': 'application/json', 'Transfer-Encoding': 'chunked' });
    this.watchers.add(watcher);
    response.on('close', () => this.watchers.delete(watcher));
    const since = Number(url.searchParams.get('resourceVersion') ?? 0);
    const newer = (o: { metadata?: { resourceVersion?: string } }) => Number(o.metadata!.resourceVersion) > since;
    const live = kind === 'pods' ? [...this.pods.values()].map((r) => r.pod) : this.jobs.all();
    for (const object of live) if (matches(object, namespace, watcher.selector) && newer(object)) write(watcher, 'MODIFIED', object);
    const gone = kind === 'pods' ? this.deleted : this.jobs.deleted;
    for (const object of gone) if (matches(object, namespace, watcher.selector) && newer(object)) write(watcher, 'DELETED', object);
  }

  notify(kind: Watcher['kind'], type: string, object: V1Pod | V1Job): void {
    for (const watcher of this.watchers) if (watcher.kind === kind && matches(object, watcher.namespace, watcher.selector)) write(watcher, type, object);
  }

  private protocolFor(offered: Set<string>): string | false {
    if (!this.faults.v4Only && offered.has('v5.channel.k8s.io')) return 'v5.channel.k8s.io';
    return offered.has('v4.channel.k8s.io') ? 'v4.channel.k8s.io' : false;
  }

  private upgrade(request: http.IncomingMessage, socket: Duplex, head: Buffer): void {
    const parts = new URL(request.url!, this.url).pathname.split('/').filter(Boolean);
    const record = this.pods.get(parts[5] ?? '');
    const container = new URL(request.url!, this.url).searchParams.get('container') ?? undefined;
    const target = container ? record?.containers.get(container) : record?.containers.values().next().value;
    const refuse = (code: number, body: object) => {
      const text = JSON.stringify(body);
      socket.end(`HTTP/1.1 ${code} ${http.STATUS_CODES[code]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`);
    };
    if (!['attach', 'exec'].includes(parts[6]) || !record || !target) return refuse(404, status(404, `pods "${parts[5]}" not found or not running`, 'NotFound'));
    if (parts[6] === 'exec') {
      const command = new URL(request.url!, this.url).searchParams.getAll('command');
      return this.sockets.handleUpgrade(request, socket, head, (client) => void this.exec(target, client, command));
    }
    if (this.faults.attachForbidden) {
      return refuse(403, status(403, `pods "${parts[5]}" is forbidden: User "tester" cannot create resource "pods/attach" in API group "" in the namespace "${parts[3]}"`, 'Forbidden'));
    }
    this.sockets.handleUpgrade(request, socket, head, (client) => void this.attach(record, target, client));
  }

  /** Relays the container's stdout and stderr onto channels 1 and 2, and channel 0 to its stdin (held until Docker's attach is open). */
  private async attach(record: PodRecord, container: Docker.Container, client: WebSocket): Promise<void> {
    record.sockets.add(client);
    const early: Buffer[] = [];
    let stdin: ((data: Buffer) => void) | undefined;
    client.on('message', (data: Buffer) => {
      if (data[0] !== 0) return; // a v5 close of stdin: Docker cannot close it alone, and the agent reads on
      if (stdin) stdin(data.subarray(1));
      else early.push(data.subarray(1));
    });
    let stream: Duplex | undefined;
    // What was written goes in before the stream ends (a job's workspace, sent and closed at once), then it is let go.
    const release = (open: Duplex) => void open.end(() => open.destroy());
    client.on('close', () => {
      record.sockets.delete(client);
      if (stream) release(stream);
    });
    stream = await attachStdio(container);
    const open = stream;
    stdin = (data) => open.write(data);
    for (const data of early.splice(0)) stdin(data);
    if (client.readyState !== client.OPEN) return release(open);
    const demuxer = new DockerDemuxer();
    open.on('data', (chunk: Buffer) => {
      for (const [name, data] of demuxer.push(chunk)) client.send(Buffer.concat([Buffer.of(name === 'stdout' ? 1 : 2), data]));
    });
    open.on('close', () => client.close());
    open.on('error', () => client.terminate()); // a write after the container went (a deletion): the socket drops, as a kubelet's would
  }

  /** Runs the command beside the agent as `docker exec` does; its stdout and stderr on channels 1 and 2, its exit on 3. */
  private async exec(container: Docker.Container, client: WebSocket, command: string[]): Promise<void> {
    const exec = await container.exec({ Cmd: command, AttachStdout: true, AttachStderr: true });
    const stream = await exec.start({ hijack: true, stdin: false });
    const demuxer = new DockerDemuxer();
    stream.on('data', (chunk: Buffer) => {
      for (const [name, data] of demuxer.push(chunk)) client.send(Buffer.concat([Buffer.of(name === 'stdout' ? 1 : 2), data]));
    });
    let ended = false;
    const end = async () => {
      if (ended) return;
      ended = true;
      const code = (await exec.inspect()).ExitCode ?? 1;
      const result = code === 0 ? { status: 'Success' } : { status: 'Failure', reason: 'NonZeroExitCode',
        message: `command terminated with non-zero exit code: ${code}`, details: { causes: [{ reason: 'ExitCode', message: String(code) }] } };
      client.send(Buffer.concat([Buffer.of(3), Buffer.from(JSON.stringify(result))]));
      client.close();
    };
    stream.on('end', () => void end());
    stream.on('close', () => void end());
    stream.on('error', () => client.terminate());
  }

  send(response: http.ServerResponse, code: number, body: unknown): void {
    response.writeHead(code, { 'Content-Type': 'application/json' });
    response.end(JSON.stringify(body));
  }
}

export function status(code: number, message: string, reason = 'InternalError'): object {
  return { kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code };
}

/** A selector: a name (fieldSelector metadata.name), and label terms KEY=VALUE, KEY (has it) and !KEY (has it not). */
export interface Selector { name?: string; labels: { key: string; value?: string; absent?: boolean }[] }

export function selectorOf(url: URL): Selector {
  const field = /metadata\.name=([^,]+)/.exec(url.searchParams.get('fieldSelector') ?? '');
  const labels = (url.searchParams.get('labelSelector') ?? '').split(',').filter(Boolean).map((term) => {
    if (term.startsWith('!')) return { key: term.slice(1), absent: true };
    const [key, value] = term.split('=');
    return { key, ...(value !== undefined ? { value } : {}) };
  });
  return { ...(field ? { name: field[1] } : {}), labels };
}

export function matches(object: V1Pod | V1Job, namespace: string, selector: Selector): boolean {
  const labels = object.metadata!.labels ?? {};
  return object.metadata!.namespace === namespace && (selector.name === undefined || object.metadata!.name === selector.name)
    && selector.labels.every(({ key, value, absent }) => (absent ? !(key in labels) : value === undefined ? key in labels : labels[key] === value));
}

function write(watcher: Watcher, type: string, object: unknown): void {
  watcher.response.write(`${JSON.stringify({ type, object })}\n`);
}

function readBody(request: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    request.on('data', (chunk: Buffer) => { text += chunk.toString('utf8'); }).on('end', () => resolve(text)).on('error', reject);
  });
}
