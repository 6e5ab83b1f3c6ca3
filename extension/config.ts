// Typed access to pydock's settings, and which of them need a session restart when they change.
import * as vscode from 'vscode';
import type { BackendChoice } from './engine/backends';
import { parseByteSize } from './engine/docker/containerSpec';

/** Settings read when a session starts: changing them takes effect after a restart. */
export const RESTART_SETTINGS = ['backend', 'image', 'docker.host', 'memory', 'pidsLimit', 'workspaceMount', 'local.python'] as const;

export class Config {
  constructor(private readonly scope?: vscode.ConfigurationScope) {}

  private get section(): vscode.WorkspaceConfiguration {
    return vscode.workspace.getConfiguration('pydock', this.scope);
  }

  get backend(): BackendChoice {
    return this.section.get<BackendChoice>('backend', 'auto');
  }

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

  get pidsLimit(): number {
    return this.section.get<number>('pidsLimit', 512);
  }

  get workspaceMount(): 'readwrite' | 'readonly' {
    return this.section.get<'readwrite' | 'readonly'>('workspaceMount', 'readwrite');
  }

  get localPython(): string {
    return this.section.get<string>('local.python', 'python3');
  }

  static affectsRestart(event: vscode.ConfigurationChangeEvent, scope?: vscode.ConfigurationScope): boolean {
    return RESTART_SETTINGS.some((key) => event.affectsConfiguration(`pydock.${key}`, scope));
  }
}
