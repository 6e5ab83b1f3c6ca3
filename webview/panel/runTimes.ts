// How a run's time reads in its entry's header: its duration, and on hover when it ran and where its time and bytes
// went. Without ICU (toLocale*), whose first use costs the frame it happens in about 25 ms.
import type { RunTimings } from '../../shared/transcript';

export function formatDuration(ms: number, msDigits = 0): string {
  if (ms < 1000) return `${ms.toFixed(msDigits)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 2 : 1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.floor((ms % 60_000) / 1000)} s`;
}

/** The hover text of the duration: when the run happened, then where its time and bytes went. */
export function durationTitle(startedAt: number | undefined, durationMs: number | undefined, timings: RunTimings | undefined, now = Date.now()): string {
  return [...(startedAt === undefined ? [] : [whenText(startedAt, durationMs, now)]), ...(timings ? timingsLines(timings) : [])].join('\n');
}

/** "Ran today at 14:03:07, finished at 14:05:11"; "Started …" while it runs; an older day by its date. */
export function whenText(startedAt: number, durationMs: number | undefined, now = Date.now()): string {
  const start = new Date(startedAt);
  const text = `${durationMs === undefined ? 'Started' : 'Ran'} ${dayText(start, new Date(now))} at ${clock(start)}`;
  if (durationMs === undefined || durationMs < 1000) return text;
  const end = new Date(startedAt + durationMs);
  return `${text}, finished ${sameDay(start, end) ? '' : `${isoDate(end)} `}at ${clock(end)}`;
}

function timingsLines(t: RunTimings): string[] {
  const span = (label: string, ms: number | undefined) => (ms === undefined ? [] : [`${label} ${formatDuration(ms, 1)}`]);
  return [
    ...span('queued', t.queuedMs), ...span('sent → started', t.startMs), ...span('ran', t.runMs), ...span('in all', t.totalMs),
    `sent ${formatBytes(t.bytesSent)}, received ${formatBytes(t.bytesReceived)}`,
  ];
}

function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  return bytes < 1024 ** 2 ? `${(bytes / 1024).toFixed(1)} KiB` : `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
}

function dayText(day: Date, now: Date): string {
  if (sameDay(day, now)) return 'today';
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1);
  return sameDay(day, yesterday) ? 'yesterday' : `on ${isoDate(day)}`;
}

function sameDay(a: Date, b: Date): boolean {
  return a.getFullYear() === b.getFullYear() && a.getMonth() === b.getMonth() && a.getDate() === b.getDate();
}

const two = (n: number) => String(n).padStart(2, '0');

function clock(d: Date): string {
  return `${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())}`;
}

function isoDate(d: Date): string {
  return `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}`;
}
