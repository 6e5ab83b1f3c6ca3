// Typed access to pydock's settings, and which of them need a session restart when they change.
import * as vscode from 'vscode';
import type { BackendChoice } from './engine/launch/backends';
import { parseByteSize } from '../shared/byteSize';
import type { EnvironmentDescription } from './engine/launch/environment';
import type { NumberFormat } from '../shared/agentProtocol';

/** Settings read when a session starts: changing them takes effect after a restart. */
export const RESTART_SETTINGS = [
  'backend', 'image', 'dockerfile', 'context', 'python', 'requirements', 'pipArgs', 'env', 'mounts', 'io', 'network', 'cpus', 'memory',
  'pidsLimit', 'user', 'readOnlyRoot', 'workspaceMount', 'workspaceCopy', 'docker.host', 'local.python',
  'kubernetes.context', 'kubernetes.namespace',
] as const;

export class Config {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('pydock', this.scope);
  }

  /** A setting only when the user set it somewhere, so that .pydock/environment.json and defaults can apply. */
  private explicit<T>(key: string): T | undefined {
    const inspected = this.section.inspect<T>(key);
    return inspected?.workspaceFolderValue ?? inspected?.workspaceValue ?? inspected?.globalValue;
  }

  get backend(): BackendChoice {
    return this.section.get<BackendChoice>('backend', 'auto');
  }

  /** The image named in settings, or the default, for the status bar and the API's defaults. */
  get image(): string {
    return this.section.get<string>('image', 'python:3.12-slim').trim() || 'python:3.12-slim';
  }

  get dockerHost(): string {
    return this.section.get<string>('docker.host', '');
  }

  /** Bytes, or undefined for no limit ("0" or empty). */
  get memoryBytes(): number | undefined {
    const text = this.section.get<string>('memory', '4g').trim();
    if (!text || text === '0') return undefined;
    return parseByteSize(text);
  }

  /** The kubeconfig context and the namespace for the kubernetes backend; empty: the kubeconfig's. */
  get kubernetes(): { context: string; namespace: string } {
    return { context: this.section.get<string>('kubernetes.context', ''), namespace: this.section.get<string>('kubernetes.namespace', '') };
  }

  get localPython(): string {
    return this.section.get<string>('local.python', 'python3');
  }

  /** Keep a started container ready, so the next session answers at once. */
  get prewarm(): boolean {
    return this.section.get<boolean>('prewarm', false);
  }

  /** After a window reload, attach to the running container instead of starting a new one. */
  get reattach(): boolean {
    return this.section.get<boolean>('reattach', true);
  }

  /** How long a closed window's detached containers wait for a reload to claim them before they are removed. */
  get reattachGraceMs(): number {
    return Math.max(0, this.section.get<number>('reattachGraceSeconds', 30)) * 1000;
  }

  /** How numbers read in table viewers, result previews, profiles and the Variables view (exact on hover and copy). */
  get numbers(): NumberFormat {
    return {
      precision: this.section.get<number>('table.precision', 6),
      thousands: this.section.get<boolean>('table.thousandsSeparator', false),
    };
  }

  /** Lines of a stream shown inline before it scrolls in a region of its own. */
  get outputLineLimit(): number {
    return Math.max(1, this.section.get<number>('output.lineLimit', 30));
  }

  /** The environment as settings describe it, under the names .pydock/environment.json uses; unset fields are absent. */
  environment(): EnvironmentDescription {
    const mount = this.explicit<'readwrite' | 'readonly'>('workspaceMount');
    const pick: EnvironmentDescription = {
      image: this.explicit<string>('image')?.trim() || undefined,
      dockerfile: this.explicit<string>('dockerfile')?.trim() || undefined,
      context: this.explicit<string>('context')?.trim() || undefined,
      python: this.explicit<string>('python') || undefined,
      requirements: this.explicit<string | string[]>('requirements'),
      pipArgs: this.explicit<string[]>('pipArgs'),
      env: this.explicit<Record<string, string>>('env'),
      mounts: this.explicit<EnvironmentDescription['mounts']>('mounts'),
      io: this.explicit<string>('io') || undefined,
      network: this.explicit<string>('network') || undefined,
      cpus: this.explicit<number>('cpus'),
      memory: this.explicit<string>('memory'),
      pids: this.explicit<number>('pidsLimit'),
      user: this.explicit<string>('user') || undefined,
      readOnlyRoot: this.explicit<boolean>('readOnlyRoot'),
      workspaceReadOnly: mount === undefined ? undefined : mount === 'readonly',
      workspaceCopy: this.explicit<boolean>('workspaceCopy'),
      autoRestart: this.explicit<boolean>('autoRestart'),
      idleStopMinutes: this.explicit<number>('idleStopMinutes'),
      init: this.explicit<string | string[]>('init'),
    };
    return Object.fromEntries(Object.entries(pick).filter(([, v]) => !isEmpty(v))) as EnvironmentDescription;
  }

  /** Whether numbers are to read otherwise in viewers, previews, profiles and variables. */
  static affectsNumbers(event: vscode.ConfigurationChangeEvent): boolean {
    return event.affectsConfiguration('pydock.table.precision') || event.affectsConfiguration('pydock.table.thousandsSeparator');
  }

  static affectsRestart(event: vscode.ConfigurationChangeEvent, scope?: vscode.ConfigurationScope): boolean {
    return RESTART_SETTINGS.some((key) => event.affectsConfiguration(`pydock.${key}`, scope));
  }
}

/** An unset setting, or one set to nothing ("", [] or {}), which the settings editor makes easy to leave behind. */
function isEmpty(value: unknown): boolean {
  if (value === undefined || value === '') return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}
