// Builds the pod that runs a session's agent: hardened, labelled, limited, with the agent's ConfigMap at /opt/pydock.
import { createHash, randomBytes } from 'node:crypto';
import * as path from 'node:path';
import type { V1Pod, V1Volume, V1VolumeMount } from '@kubernetes/client-node';
import { AGENT_DIR_IN_CONTAINER } from '../launch/agentBundle';
import type { LaunchSpec } from '../launch/backend';
import { IO_IN_CONTAINER, WORKSPACE_IN_CONTAINER } from '../launch/containerDefaults';
import { launchFingerprint } from '../docker/containerSpec';
import type { AgentConfigMap } from './agentConfigMap';

/** Label keys; values are limited to 63 characters of [A-Za-z0-9_.-], so long ones are hashed and kept whole in annotations. */
export const POD_LABEL = {
  pydock: 'pydock', workspace: 'pydock.workspace', session: 'pydock.session', config: 'pydock.config', network: 'pydock.network',
} as const;
export const POD_ANNOTATION = { workspace: 'pydock.dev/workspace', session: 'pydock.dev/session', owner: 'pydock.dev/owner' } as const;
export const AGENT_CONTAINER = 'agent';
/** The script the pod starts with (python-agent/podstart.py): it waits for pydock's first bytes, then runs the agent. */
export const POD_START = 'podstart.py';
/** A pod no window renews is gone after this long at the latest, whatever happens to pydock: the backstop against leftovers. */
export const DEFAULT_ACTIVE_DEADLINE_S = 7 * 24 * 3600;

export interface PodOptions {
  namespace: string;
  /** The process that made the pod (host:pid), for leftovers. */
  owner: string;
  agent: AgentConfigMap;
  activeDeadlineSeconds?: number;
  /** The pod's name; random by default. */
  name?: string;
}

/** A label value for any text: itself when it fits, else a hash of it. */
export function labelValue(text: string): string {
  return /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/.test(text) ? text : createHash('sha256').update(text).digest('hex').slice(0, 40);
}

/** What a pod was started with, as a short hash: the container's fingerprint, and the pod's placement when it has one. */
export function podFingerprint(spec: LaunchSpec): string {
  const container = launchFingerprint(spec);
  return spec.kubernetes ? createHash('sha256').update(`${container}\0${JSON.stringify(spec.kubernetes)}`).digest('hex').slice(0, 16) : container;
}

/** The label selector of a session's pods. */
export function sessionSelector(spec: Pick<LaunchSpec, 'workspaceLabel' | 'sessionLabel'>): string {
  return `${POD_LABEL.workspace}=${labelValue(spec.workspaceLabel)},${POD_LABEL.session}=${labelValue(spec.sessionLabel)}`;
}

export function podManifest(spec: LaunchSpec, options: PodOptions): V1Pod {
  const placement = spec.kubernetes ?? {};
  const user = numericUser(spec.user);
  const volumes: V1Volume[] = [{
    name: 'agent', configMap: { name: options.agent.name, defaultMode: 0o444, items: options.agent.items },
  }];
  const mounts: V1VolumeMount[] = [{ name: 'agent', mountPath: AGENT_DIR_IN_CONTAINER, readOnly: true }];
  const scratch = (name: string, at: string) => {
    volumes.push({ name, emptyDir: {} });
    mounts.push({ name, mountPath: at });
  };
  if (placement.workspaceClaim) {
    volumes.push({ name: 'workspace', persistentVolumeClaim: { claimName: placement.workspaceClaim, readOnly: spec.workspaceReadOnly } });
    mounts.push({ name: 'workspace', mountPath: WORKSPACE_IN_CONTAINER, readOnly: spec.workspaceReadOnly });
  } else if (spec.workspace) {
    scratch('workspace', WORKSPACE_IN_CONTAINER);
  }
  if (spec.io) scratch('io', IO_IN_CONTAINER);
  if (spec.readOnlyRoot) scratch('tmp', '/tmp');
  const limits = resourceLimits(spec);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: options.name ?? `pydock-${labelValue(spec.sessionLabel).slice(0, 20).toLowerCase().replace(/[^a-z0-9-]/g, '-')}-${randomBytes(4).toString('hex')}`,
      namespace: options.namespace,
      labels: {
        [POD_LABEL.pydock]: '1',
        [POD_LABEL.workspace]: labelValue(spec.workspaceLabel),
        [POD_LABEL.session]: labelValue(spec.sessionLabel),
        [POD_LABEL.config]: podFingerprint(spec),
        ...(spec.network === 'none' ? { [POD_LABEL.network]: 'none' } : {}), // selected by networkPolicy.ts's policy
      },
      annotations: {
        [POD_ANNOTATION.workspace]: spec.workspaceLabel,
        [POD_ANNOTATION.session]: spec.sessionLabel,
        [POD_ANNOTATION.owner]: options.owner,
      },
    },
    spec: {
      restartPolicy: 'Never',
      activeDeadlineSeconds: options.activeDeadlineSeconds ?? DEFAULT_ACTIVE_DEADLINE_S,
      terminationGracePeriodSeconds: 1,
      automountServiceAccountToken: !!placement.serviceAccount,
      enableServiceLinks: false,
      ...(placement.serviceAccount ? { serviceAccountName: placement.serviceAccount } : {}),
      ...(placement.nodeSelector ? { nodeSelector: placement.nodeSelector } : {}),
      ...(placement.tolerations ? { tolerations: placement.tolerations } : {}),
      ...(placement.imagePullSecrets?.length ? { imagePullSecrets: placement.imagePullSecrets.map((name) => ({ name })) } : {}),
      securityContext: {
        seccompProfile: { type: 'RuntimeDefault' },
        ...(user ? { runAsUser: user.uid, runAsGroup: user.gid, runAsNonRoot: user.uid !== 0 } : {}),
      },
      volumes,
      containers: [{
        name: AGENT_CONTAINER,
        image: spec.image,
        imagePullPolicy: spec.pull === 'always' ? 'Always' : spec.pull === 'never' ? 'Never' : 'IfNotPresent',
        command: ['python3', path.posix.join(AGENT_DIR_IN_CONTAINER, POD_START)],
        env: [
          { name: 'PYTHONUNBUFFERED', value: '1' },
          { name: 'PYTHONDONTWRITEBYTECODE', value: '1' },
          { name: 'PYTHONIOENCODING', value: 'utf-8' },
          ...Object.entries(spec.env).map(([name, value]) => ({ name, value })),
        ],
        workingDir: spec.workspace || placement.workspaceClaim ? WORKSPACE_IN_CONTAINER : '/',
        stdin: true,
        stdinOnce: false,
        tty: false,
        volumeMounts: mounts,
        ...(Object.keys(limits).length ? { resources: { limits, requests: limits } } : {}),
        securityContext: {
          allowPrivilegeEscalation: false,
          privileged: false,
          capabilities: { drop: ['ALL'] },
          readOnlyRootFilesystem: !!spec.readOnlyRoot,
        },
      }],
    },
  };
}

/** Memory and cpu from the environment, and any extended resources (GPUs); requests equal limits, so the pod is Guaranteed. */
function resourceLimits(spec: LaunchSpec): Record<string, string> {
  const extra = Object.entries(spec.kubernetes?.resources ?? {}).map(([name, value]) => [name, String(value)]);
  return {
    ...(spec.memoryBytes ? { memory: String(spec.memoryBytes) } : {}),
    ...(spec.cpus ? { cpu: `${Math.round(spec.cpus * 1000)}m` } : {}),
    ...Object.fromEntries(extra),
  };
}

/** Kubernetes takes numeric ids only; a user name (Docker's "USER app") is left to the image. */
function numericUser(user: string | undefined): { uid: number; gid: number } | undefined {
  const match = /^(\d+)(?::(\d+))?$/.exec(user ?? '');
  return match ? { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) } : undefined;
}
