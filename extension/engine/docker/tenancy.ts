// Who holds a session container now. Labels cannot change: pydock.owner names the process that created it, and a
// reattach renames the container after its new owner. Pure functions over `docker ps` rows, so tests need no daemon.
import { LABEL } from './containerSpec';

/** The fields of GET /containers/json that tenancy reads. */
export interface ContainerRow {
  Id: string;
  Names: string[];
  Labels: Record<string, string>;
  State: string;
  /** Unix seconds. */
  Created: number;
}

/** pydock_<pid>_<first 12 hex digits of the id>_<host>: Docker names allow [a-zA-Z0-9_.-], which hostnames keep to. */
const OWNER_NAME = /^\/?pydock_(\d+)_[0-9a-f]{12}_([a-zA-Z0-9.-]+)$/;

/** The name that records `owner` (host:pid) as the container's holder; undefined for a host a name cannot spell. */
export function ownerName(owner: string, id: string): string | undefined {
  const at = owner.lastIndexOf(':');
  const host = owner.slice(0, at);
  const pid = owner.slice(at + 1);
  return /^\d+$/.test(pid) && /^[a-zA-Z0-9.-]+$/.test(host) ? `pydock_${pid}_${id.slice(0, 12)}_${host}` : undefined;
}

/** The process holding the container: the one a reattach named it after, else its creator. */
export function currentOwner(row: ContainerRow): string {
  const named = OWNER_NAME.exec(row.Names?.[0] ?? '');
  return named ? `${named[2]}:${named[1]}` : row.Labels[LABEL.owner] ?? '';
}

/**
 * The running containers of a session that no live pydock holds: this process's own detached ones (`self` and not
 * attached here), and those of processes that have died. Warm agents this process keeps are attached here.
 */
export function reattachable(rows: ContainerRow[], self: string, isAlive: (owner: string) => boolean, attached: ReadonlySet<string>): ContainerRow[] {
  return rows.filter((row) => {
    if (row.State !== 'running' || attached.has(row.Id)) return false;
    const owner = currentOwner(row);
    return owner === self || !isAlive(owner);
  });
}

/**
 * A stopped container of a dead process: garbage. A live owner removes its own, after reading why it stopped. A job's
 * is not: it waits for the next start to collect its log and outputs (extension/engine/jobs).
 */
export function isLeftover(row: ContainerRow, isAlive: (owner: string) => boolean): boolean {
  return row.State !== 'running' && !isAlive(currentOwner(row)) && row.Labels[LABEL.job] === undefined;
}

/** Docker's RFC 3339 creation time with nanoseconds, as a sortable number of ns (the fraction's trailing zeros are cut). */
export function createdNs(rfc3339: string): bigint {
  const match = /^(.*?)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(rfc3339);
  if (!match) throw new Error(`"${rfc3339}" is not an RFC 3339 time`);
  const seconds = BigInt(Date.parse(`${match[1]}${match[3]}`)) / 1000n;
  return seconds * 1_000_000_000n + BigInt((match[2] ?? '').padEnd(9, '0').slice(0, 9));
}
