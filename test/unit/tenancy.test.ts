// Who holds a session container: owner names, reattach candidates, leftovers and creation order, from `docker ps` rows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createdNs, currentOwner, isLeftover, ownerName, reattachable, type ContainerRow } from '../../extension/engine/docker/tenancy';

const ID = 'a1b2c3d4e5f6'.padEnd(64, '0');
const row = (over: Partial<ContainerRow> & { owner?: string; name?: string }): ContainerRow => ({
  Id: over.Id ?? ID, Names: [over.name ?? '/quirky_name'], State: over.State ?? 'running', Created: over.Created ?? 0,
  Labels: { 'pydock': '1', 'pydock.workspace': 'file:///w', 'pydock.session': 'default', 'pydock.owner': over.owner ?? 'host-a:100' },
});
const alive = (owners: string[]) => (owner: string) => owners.includes(owner);

describe('container tenancy', () => {
  it('names a container after its new owner, and reads the owner back from the name before the label', () => {
    const name = ownerName('host-b.example:4242', ID);
    assert.equal(name, 'pydock_4242_a1b2c3d4e5f6_host-b.example');
    assert.equal(currentOwner(row({ name: `/${name}` })), 'host-b.example:4242', 'the name (a reattach) wins over the creator label');
    assert.equal(currentOwner(row({})), 'host-a:100', 'an unrenamed container is held by its creator');
  });

  it('does not rename for a host a container name cannot spell', () => {
    assert.equal(ownerName('host with spaces:1', ID), undefined);
  });

  it('offers running containers of dead owners and this process\'s own detached ones, not live or attached ones', () => {
    const self = 'host-a:1';
    const rows = [
      row({ Id: 'dead', owner: 'host-a:100' }),
      row({ Id: 'mine-detached', owner: self }),
      row({ Id: 'mine-attached', owner: self }),
      row({ Id: 'live-other', owner: 'host-a:200' }),
      row({ Id: 'dead-but-stopped', owner: 'host-a:100', State: 'exited' }),
      row({ Id: 'claimed-by-live', owner: 'host-a:100', name: `/${ownerName('host-a:200', ID)}` }),
    ];
    const ids = reattachable(rows, self, alive([self, 'host-a:200']), new Set(['mine-attached'])).map((r) => r.Id);
    assert.deepEqual(ids, ['dead', 'mine-detached']);
  });

  it('collects stopped containers of dead owners only: a live owner reads why its container stopped first', () => {
    const isAlive = alive(['host-a:200']);
    assert.equal(isLeftover(row({ State: 'exited', owner: 'host-a:100' }), isAlive), true);
    assert.equal(isLeftover(row({ State: 'created', owner: 'host-a:100' }), isAlive), true);
    assert.equal(isLeftover(row({ State: 'running', owner: 'host-a:100' }), isAlive), false, 'running: it may be reattached');
    assert.equal(isLeftover(row({ State: 'exited', owner: 'host-a:200' }), isAlive), false);
    assert.equal(isLeftover(row({ State: 'exited', owner: 'host-a:100', name: `/${ownerName('host-a:200', ID)}` }), isAlive), false,
      'a container a live window reattached is that window\'s, whatever its label says');
    const ended = row({ State: 'exited', owner: 'host-a:100' });
    assert.equal(isLeftover({ ...ended, Labels: { ...ended.Labels, 'pydock.job': 'j1' } }, isAlive), false,
      'an ended job waits for the next start to collect its log and outputs');
  });

  it('orders creation times to the nanosecond, although Docker cuts trailing zeros of the fraction', () => {
    const times = ['2026-11-23T17:16:03.5Z', '2026-11-23T17:16:03.12345678Z', '2026-11-23T17:16:02.999999999Z', '2026-11-23T17:16:03Z'];
    const sorted = [...times].sort((a, b) => (createdNs(a) < createdNs(b) ? -1 : 1));
    assert.deepEqual(sorted, ['2026-11-23T17:16:02.999999999Z', '2026-11-23T17:16:03Z', '2026-11-23T17:16:03.12345678Z', '2026-11-23T17:16:03.5Z']);
    assert.throws(() => createdNs('yesterday'), /not an RFC 3339 time/);
  });
});
