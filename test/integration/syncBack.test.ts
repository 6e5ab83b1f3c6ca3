// Sync back never writes outside the workspace: a hostile daemon's crafted archive, and a symlink swapped in a real container.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import Docker from 'dockerode';
import { pack } from 'tar-stream';
import { WorkspaceCopy } from '../../extension/engine/docker/workspaceCopy';
import { envSession } from './envSupport';
import { BARE_IMAGE, requireImages, tempWorkspace } from './helpers';

before(requireImages);

interface Member { name: string; type?: 'file' | 'directory' | 'symlink'; data?: string; linkname?: string }

/** A tar archive with exactly these member names, as a daemon that does not play by the rules would send it. */
function craftedArchive(members: Member[]): Promise<Buffer> {
  const archive = pack();
  for (const m of members) {
    archive.entry({ name: m.name, type: m.type ?? 'file', mode: 0o644, ...(m.linkname ? { linkname: m.linkname } : {}) }, m.data ?? '');
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  return new Promise((resolve, reject) => archive.on('data', (c) => chunks.push(c as Buffer)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject));
}

/**
 * A stand-in Docker API on a unix socket, serving just what a workspace copy uses: inspect, putArchive and getArchive.
 * It answers getArchive with the crafted archive, as a malicious remote daemon could.
 */
async function hostileDaemon(archive: Buffer): Promise<Docker> {
  const socket = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'pydock-hostile-')), 'docker.sock');
  const server = http.createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const url = new URL(request.url!, 'http://daemon');
      if (request.method === 'GET' && url.pathname.endsWith('/json')) {
        response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ Config: { User: '' } }));
      } else if (request.method === 'PUT' && url.pathname.endsWith('/archive')) {
        response.writeHead(200).end();
      } else if (request.method === 'GET' && url.pathname.endsWith('/archive')) {
        response.writeHead(200, { 'content-type': 'application/x-tar' }).end(archive);
      } else {
        response.writeHead(404).end();
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(socket, resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return new Docker({ socketPath: socket });
}

describe('sync back from a hostile daemon', () => {
  it('writes only members inside the workspace, never through a symlink, and reports each refused one', async () => {
    const ws = tempWorkspace();
    const outside = tempWorkspace();
    fs.symlinkSync(outside, path.join(ws, 'link'));
    const escape = path.relative(ws, path.join(outside, 'escaped.txt'));
    const archive = await craftedArchive([
      { name: 'workspace/', type: 'directory' },
      { name: 'workspace/ok.txt', data: 'fine' },
      { name: `workspace/${escape}`, data: 'dot-dot' },
      { name: path.join(outside, 'absolute.txt'), data: 'absolute' },
      { name: 'elsewhere/x.txt', data: 'another top folder' },
      { name: 'workspace/link/through-link.txt', data: 'through a host symlink' },
    ]);
    const docker = await hostileDaemon(archive);
    const copy = new WorkspaceCopy([{ local: ws, target: '/workspace', exclude: [], label: '' }], () => undefined, false);
    await copy.copyIn(docker.getContainer('hostile'));

    const report = await copy.syncBack();
    assert.deepEqual(report.written, ['ok.txt']);
    assert.equal(fs.readFileSync(path.join(ws, 'ok.txt'), 'utf8'), 'fine');
    assert.deepEqual(fs.readdirSync(outside), [], 'nothing lands outside the workspace');
    assert.deepEqual(report.refused.map((r) => r.path),
      [`workspace/${escape}`, path.join(outside, 'absolute.txt'), 'elsewhere/x.txt', 'link/through-link.txt']);
    assert.match(report.refused[0].reason, /"\." or "\.\." component/);
    assert.match(report.refused[3].reason, /link is a symbolic link on this machine/);
  });
});

describe('sync back from a real container', () => {
  it('refuses a file written where the container swapped a copied-in symlink for a folder', async () => {
    const ws = tempWorkspace();
    const outside = tempWorkspace();
    fs.symlinkSync(outside, path.join(ws, 'link'));
    fs.mkdirSync(path.join(ws, 'data'));
    const { session } = envSession(ws, { image: BARE_IMAGE, network: 'none', workspaceCopy: true });
    const made = await session.exec([
      'import os',
      'assert os.path.islink("link"), "the symlink is copied in as a symlink"',
      'os.remove("link")',
      'os.makedirs("link")',
      'open("link/evil.txt", "w").write("written through the swapped symlink")',
      'open("data/fine.txt", "w").write("fine")',
    ].join('\n'));
    assert.ok(made.ok, made.ok ? '' : made.error.text);

    const report = await session.workspaceCopy!.syncBack();
    assert.deepEqual(report.written, ['data/fine.txt']);
    assert.deepEqual(report.refused.map((r) => r.path), ['link/evil.txt']);
    assert.match(report.refused[0].reason, /link is a symbolic link on this machine/);
    assert.deepEqual(fs.readdirSync(outside), [], 'the symlink\'s target is left alone');
    assert.equal(fs.readlinkSync(path.join(ws, 'link')), outside, 'the host symlink stays');
  });
});
