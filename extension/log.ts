// The extension's one log: a LogOutputChannel that the engine writes to through its Logger interface.
import * as vscode from 'vscode';
import type { Logger } from './engine/log';

export function createLog(): vscode.LogOutputChannel & Logger {
  return vscode.window.createOutputChannel('pydock', { log: true });
}
