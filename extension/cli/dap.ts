// `pydock dap`: pydock's debug adapter on stdin and stdout (Content-Length framed DAP), for nvim-dap and other clients.
import { PydockDebugAdapter } from '../engine/debug/debugAdapter';
import { DapDecoder, encodeDap } from '../engine/debug/dapFraming';
import type { Logger } from '../engine/log';
import type { Session } from '../engine/session/session';

/** Serves one debug session; resolves when the client has disconnected or closed its end. Nothing else goes to stdout. */
export function serveDap(session: Session, workspace: string, log: Logger): Promise<void> {
  return new Promise((resolve) => {
    const decoder = new DapDecoder();
    const adapter = new PydockDebugAdapter({
      session: async () => session,
      workspace,
      run: (s, code, options) => s.exec(code, { ...options, mode: 'repl' }),
    }, (message) => {
      process.stdout.write(encodeDap(message));
      if (message.type === 'response' && message.command === 'disconnect') finish();
    }, log);
    const finish = () => {
      process.stdin.off('data', receive);
      process.stdin.pause();
      adapter.dispose();
      resolve();
    };
    const receive = (chunk: Buffer) => {
      try {
        for (const message of decoder.push(chunk)) adapter.handle(message);
      } catch (error) {
        log.error(`the client sent what is not DAP: ${(error as Error).message}`);
        finish();
      }
    };
    process.stdin.on('data', receive);
    process.stdin.once('end', finish);
  });
}
