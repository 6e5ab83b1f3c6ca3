// The pod spec builder and the agent's ConfigMap, without a cluster: hardening, limits, labels, volumes, placement.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { agentBundle } from '../../extension/engine/launch/agentBundle';
import type { LaunchSpec } from '../../extension/engine/launch/backend';
import { agentConfigMap } from '../../extension/engine/kubernetes/agentConfigMap';
import { noNetworkPolicy } from '../../extension/engine/kubernetes/networkPolicy';
import { POD_ANNOTATION, labelValue, podManifest, sessionSelector } from '../../extension/engine/kubernetes/podSpec';

const SPEC: LaunchSpec = {
  image: 'pydock-local/python:full', workspace: '/home/u/project', workspaceReadOnly: false, env: { TOKEN: 'x' }, memoryBytes: 1 << 30,
  cpus: 1.5, workspaceLabel: 'file:///home/u/project with spaces', sessionLabel: 'main', agent: agentBundle(),
};
const AGENT = agentConfigMap(agentBundle(), 'team-a');
const pod = (spec: Partial<LaunchSpec> = {}) => podManifest({ ...SPEC, ...spec }, { namespace: 'team-a', owner: 'laptop:4242', agent: AGENT });

describe('podManifest', () => {
  it('hardens the container: no privilege escalation, every capability dropped, seccomp RuntimeDefault', () => {
    const manifest = pod();
    const container = manifest.spec!.containers[0];
    assert.deepEqual(container.securityContext, {
      allowPrivilegeEscalation: false, privileged: false, capabilities: { drop: ['ALL'] }, readOnlyRootFilesystem: false,
    });
    assert.deepEqual(manifest.spec!.securityContext, { seccompProfile: { type: 'RuntimeDefault' } }, 'no user given: the image decides');
    assert.equal(manifest.spec!.automountServiceAccountToken, false, 'no API token in a session without a service account');
    assert.deepEqual([container.stdin, container.stdinOnce, container.tty], [true, false, false]);
    assert.equal(manifest.spec!.restartPolicy, 'Never');
    assert.ok(manifest.spec!.activeDeadlineSeconds! > 0, 'a deadline backs up the collection of leftovers');
  });

  it('runs as a numeric non-root user, and makes the root read-only with /tmp writable when the session allows', () => {
    const manifest = pod({ user: '1000:100', readOnlyRoot: true });
    assert.deepEqual(manifest.spec!.securityContext, { seccompProfile: { type: 'RuntimeDefault' }, runAsUser: 1000, runAsGroup: 100, runAsNonRoot: true });
    const container = manifest.spec!.containers[0];
    assert.equal(container.securityContext!.readOnlyRootFilesystem, true);
    assert.deepEqual(container.volumeMounts!.map((m) => m.mountPath), ['/opt/pydock', '/workspace', '/tmp']);
    assert.equal(pod({ user: 'app' }).spec!.securityContext!.runAsUser, undefined, 'a user name is the image\'s to resolve');
    assert.equal(pod({ user: '0:0' }).spec!.securityContext!.runAsNonRoot, false);
  });

  it('limits memory and cpu from the environment, requests as much (Guaranteed), and adds extended resources', () => {
    const resources = pod({ kubernetes: { resources: { 'nvidia.com/gpu': 1 } } }).spec!.containers[0].resources!;
    assert.deepEqual(resources.limits, { memory: String(1 << 30), cpu: '1500m', 'nvidia.com/gpu': '1' });
    assert.deepEqual(resources.requests, resources.limits);
    assert.equal(pod({ memoryBytes: undefined, cpus: undefined }).spec!.containers[0].resources, undefined);
  });

  it('labels with values Kubernetes accepts, and keeps the long ones whole in annotations', () => {
    const { labels, annotations } = pod().metadata!;
    for (const value of Object.values(labels!)) assert.match(value, /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/);
    assert.equal(labels!['pydock.session'], 'main');
    assert.equal(labels!['pydock.workspace'], labelValue(SPEC.workspaceLabel));
    assert.equal(annotations![POD_ANNOTATION.workspace], SPEC.workspaceLabel);
    assert.equal(annotations![POD_ANNOTATION.owner], 'laptop:4242');
    assert.equal(sessionSelector(SPEC), `pydock.workspace=${labelValue(SPEC.workspaceLabel)},pydock.session=main`);
    assert.match(pod({ sessionLabel: 'Pool_Worker.3' }).metadata!.name!, /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/);
  });

  it('labels the settings a pod started with, placement included, so a reattach takes only a pod started alike', () => {
    const label = (spec: Partial<LaunchSpec>) => pod(spec).metadata!.labels!['pydock.config'];
    assert.equal(label({}), label({}));
    assert.notEqual(label({ kubernetes: { nodeSelector: { pool: 'gpu' } } }), label({}));
    assert.notEqual(label({ memoryBytes: 1 << 29 }), label({}));
  });

  it('places the pod as the environment says, and mounts a claim at /workspace instead of copying', () => {
    const tolerations = [{ key: 'gpu', operator: 'Exists' as const, effect: 'NoSchedule' }];
    const manifest = pod({ kubernetes: { nodeSelector: { pool: 'gpu' }, tolerations, serviceAccount: 'runner', imagePullSecrets: ['reg'], workspaceClaim: 'data' } });
    const spec = manifest.spec!;
    assert.deepEqual([spec.nodeSelector, spec.tolerations, spec.serviceAccountName, spec.imagePullSecrets], [{ pool: 'gpu' }, tolerations, 'runner', [{ name: 'reg' }]]);
    assert.equal(spec.automountServiceAccountToken, true);
    assert.deepEqual(spec.volumes!.find((v) => v.name === 'workspace')!.persistentVolumeClaim, { claimName: 'data', readOnly: false });
  });

  it('starts the agent through podstart.py, from the agent ConfigMap mounted read-only at /opt/pydock', () => {
    const container = pod().spec!.containers[0];
    assert.deepEqual(container.command, ['python3', '/opt/pydock/podstart.py']);
    assert.equal(container.workingDir, '/workspace');
    assert.deepEqual(container.env!.find((e) => e.name === 'TOKEN'), { name: 'TOKEN', value: 'x' });
    const volume = pod().spec!.volumes!.find((v) => v.name === 'agent')!;
    assert.equal(volume.configMap!.name, AGENT.name);
  });
});

describe('network none', () => {
  it('labels the pod for the namespace\'s policy, which allows it no ingress and no egress', () => {
    assert.equal(pod({ network: 'none' }).metadata!.labels!['pydock.network'], 'none');
    assert.equal(pod({ network: 'bridge' }).metadata!.labels!['pydock.network'], undefined);
    const policy = noNetworkPolicy('team-a').spec!;
    assert.deepEqual([policy.podSelector, policy.policyTypes, policy.ingress, policy.egress],
      [{ matchLabels: { 'pydock.network': 'none' } }, ['Ingress', 'Egress'], [], []]);
  });
});

describe('agentConfigMap', () => {
  it('holds every agent file under a key without "/", mounted back at its path, named by the content hash', () => {
    const files = agentBundle().files;
    assert.deepEqual(AGENT.items.map((i) => i.path).sort(), files.map((f) => f.split('\\').join('/')).sort());
    assert.ok(AGENT.items.every((i) => /^[-._a-zA-Z0-9]+$/.test(i.key)));
    assert.ok(AGENT.items.some((i) => i.path === 'podstart.py') && AGENT.items.some((i) => i.path === 'pydock_agent/server.py'));
    assert.match(AGENT.name, /^pydock-agent-[0-9a-f]{16}$/);
    assert.equal(agentConfigMap(agentBundle(), 'other').name, AGENT.name, 'the same agent gets the same name anywhere');
    assert.equal(AGENT.body.immutable, true);
  });
});
