// Identifies the process that owns session containers (host:pid), so leftovers of dead processes can be told apart.
import * as os from 'node:os';

export function ownerId(): string {
  return `${os.hostname()}:${process.pid}`;
}

/** True unless the owner is a process on this host that no longer runs; other hosts' containers are left alone. */
export function ownerIsAlive(owner: string): boolean {
  const [host, pidText] = owner.split(':');
  const pid = Number(pidText);
  if (host !== os.hostname() || !Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
