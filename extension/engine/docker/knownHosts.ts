// Checks an ssh server's host key against ~/.ssh/known_hosts, as the ssh the docker CLI runs does. Pure.
import { createHmac } from 'node:crypto';

/** The base64 host keys known_hosts lists for this host and port (plain, [host]:port and hashed entries). */
export function knownHostKeys(knownHosts: string, host: string, port: number): string[] {
  const name = port === 22 ? host : `[${host}]:${port}`;
  const keys: string[] = [];
  for (const line of knownHosts.split('\n')) {
    const fields = line.trim().split(/\s+/);
    if (fields.length < 3 || fields[0].startsWith('#') || fields[0].startsWith('@')) continue;
    const [hosts, , key] = fields;
    if (hosts.split(',').some((pattern) => matches(pattern, name))) keys.push(key);
  }
  return keys;
}

function matches(pattern: string, name: string): boolean {
  if (!pattern.startsWith('|1|')) return pattern === name;
  const [salt, hash] = pattern.slice(3).split('|');
  return createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64') === hash;
}

/** ssh2's hostVerifier: true only for a key known_hosts lists for this host. */
export function knownHostsVerifier(knownHosts: string, host: string, port: number): (key: Buffer) => boolean {
  const known = new Set(knownHostKeys(knownHosts, host, port));
  return (key) => known.has(Buffer.from(key).toString('base64'));
}
