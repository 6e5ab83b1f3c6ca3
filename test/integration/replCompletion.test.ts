// The REPL input's completions from a real session: a module jedi takes a second to read still completes, once read.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ReplCompletion } from '../../extension/engine/lsp/replCompletion';
import { FULL_IMAGE, newSession, tempWorkspace } from './helpers';

/** A module of 4,000 functions: jedi's first read of it takes about a second, four times its budget for one answer. */
function bigModule(workspace: string): void {
  const functions = Array.from({ length: 4000 }, (_, i) => `def fn_${i}(a, b=1):\n    return a + b\n`);
  fs.writeFileSync(path.join(workspace, 'bigmod.py'), functions.join('\n'));
}

describe('REPL completion in a session', () => {
  it('waits for jedi\'s first read of a module the session has not imported, instead of offering nothing', async () => {
    const workspace = tempWorkspace();
    bigModule(workspace);
    const session = newSession({ name: 'docker', backend: 'docker', image: FULL_IMAGE }, { workspace });
    await session.start();
    const code = 'import bigmod\nbigmod.fn_399';
    const labels = (await new ReplCompletion(session).complete(code, code.length)).map((s) => s.label);
    assert.equal(labels[0], 'fn_399', labels.join());
  });
});
