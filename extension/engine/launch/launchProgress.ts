// What a session launch reports before the agent runs (image pulls and builds, workspace copies), and the log line for each.
import type { ImageBuild, LaunchSpec, Mount } from './backend';
import { formatByteSize } from '../../../shared/byteSize';

export type LaunchProgress =
  /** The image is being pulled from `registry`, with the credentials `credentials` names (never their secret). */
  | { type: 'pull-start'; image: string; registry: string; credentials: string }
  /** Layers and bytes so far, summed over the image; `fraction` (0 to 1) for one bar. Sizes become known as layers start. */
  | { type: 'pull-progress'; image: string; layers: number; layersDone: number; bytes: number; totalBytes: number; fraction: number }
  /** The pull ended; `upToDate` when the host had the registry's newest already. */
  | { type: 'pull-done'; image: string; ms: number; upToDate: boolean }
  /** The image the session runs on: its id, and the registry digest that pins it (absent for local builds and loads). */
  | { type: 'image-ready'; image: string; id: string; repoDigest?: string }
  /** A derived image is missing and is being built. */
  | { type: 'build-start'; image: string; reason: string }
  /** A Dockerfile instruction started, e.g. step 3 of 5: "RUN python3 -m pip install ...". */
  | { type: 'build-step'; step: number; total: number; instruction: string }
  /** One line the build printed (pip's output among them). */
  | { type: 'build-output'; line: string }
  /** The derived image is ready: `built` false means it was reused as it was. */
  | { type: 'build-done'; image: string; built: boolean; ms: number }
  /** The workspace was copied into the container instead of mounted. */
  | { type: 'workspace-copied'; files: number; bytes: number; skipped: string[]; ms: number }
  /** A pod is not running yet: what the cluster says, as it changes (Unschedulable, ContainerCreating, ...). */
  | { type: 'pod-pending'; pod: string; reason: string; message?: string }
  | { type: 'warning'; message: string };

export function describeProgress(event: LaunchProgress): string {
  switch (event.type) {
    case 'pull-start': return `pulling image ${event.image} from ${event.registry} with ${event.credentials}`;
    case 'pull-progress': return `pulling ${event.image}: ${describePullProgress(event)}`;
    case 'pull-done': return event.upToDate ? `image ${event.image} is up to date` : `pulled image ${event.image} in ${(event.ms / 1000).toFixed(1)} s`;
    case 'image-ready': return `image ${event.image} is ${event.repoDigest ?? 'not from a registry (built or loaded here)'}, id ${event.id}`;
    case 'build-start': return `building image ${event.image}: ${event.reason}`;
    case 'build-step': return `build step ${event.step}/${event.total}: ${event.instruction}`;
    case 'build-output': return `build: ${event.line}`;
    case 'build-done': return event.built ? `built image ${event.image} in ${(event.ms / 1000).toFixed(1)} s` : `reusing image ${event.image}`;
    case 'workspace-copied': {
      const skipped = event.skipped.length ? `; left out: ${event.skipped.join(', ')}` : '';
      return `copied the workspace into the container (${event.files} files, ${formatByteSize(event.bytes)}) in ${Math.round(event.ms)} ms${skipped}`;
    }
    case 'pod-pending': return `pod ${event.pod} is pending: ${event.reason}${event.message ? ` (${event.message})` : ''}`;
    case 'warning': return event.message;
    default: {
      const unknown: never = event;
      return JSON.stringify(unknown);
    }
  }
}

/** The event in a few words, for a narrow place such as a job's row: a pending pod without its long name. */
export function describeBriefly(event: LaunchProgress): string {
  return event.type === 'pod-pending' ? `pod pending: ${event.reason}${event.message ? ` (${event.message})` : ''}` : describeProgress(event);
}

/** "2 of 5 layers, 45.1 MiB of 120.3 MiB" (the sizes known so far). */
export function describePullProgress(event: Extract<LaunchProgress, { type: 'pull-progress' }>): string {
  const bytes = event.totalBytes ? `, ${formatByteSize(event.bytes)} of ${formatByteSize(event.totalBytes)}` : '';
  return `${event.layersDone} of ${event.layers} layer${event.layers === 1 ? '' : 's'}${bytes}`;
}

/**
 * The launch options in one line for the log. Environment variables appear by name only: their values are often
 * secrets (tokens, passwords), and logs get pasted into bug reports.
 */
export function describeLaunch(spec: Omit<LaunchSpec, 'agent'>): string {
  const parts = [`image ${spec.image}`];
  if (spec.build) parts.push(`built with ${buildInputs(spec.build)}`);
  if (spec.workspace) parts.push(`workspace ${spec.workspace}${spec.workspaceCopy ? ' (copied in)' : spec.workspaceReadOnly ? ' (read-only)' : ''}`);
  if (spec.io) parts.push(`io ${spec.io}`);
  for (const mount of spec.mounts ?? []) parts.push(`mount ${describeMount(mount)}`);
  parts.push(`network ${spec.network || 'bridge'}`);
  if (spec.memoryBytes) parts.push(`memory ${formatByteSize(spec.memoryBytes)}`);
  if (spec.cpus) parts.push(`cpus ${spec.cpus}`);
  if (spec.pidsLimit) parts.push(`pids ${spec.pidsLimit}`);
  parts.push(`user ${spec.user ?? "the image's"}`);
  if (spec.readOnlyRoot) parts.push('read-only root');
  const names = Object.keys(spec.env);
  if (names.length) parts.push(`env ${names.join(', ')} (values not logged)`);
  return parts.join(', ');
}

/** What a derived image is built from: "a Dockerfile", "requirements", or both. */
export function buildInputs(build: ImageBuild): string {
  return [build.dockerfile && 'a Dockerfile', build.requirements && 'requirements'].filter(Boolean).join(' and ');
}

/** A mount as the log and the first-run question name it. */
export function describeMount(mount: Mount): string {
  return `${mount.source} at ${mount.target}${mount.readOnly ? ' (read-only)' : ''}`;
}
