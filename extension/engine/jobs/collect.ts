// What a job left when it ended, brought into its run folder: log.txt, outputs/, and the final record to write.
import { errorMessage } from '../errors';
import type { JobExit, JobPlace } from './jobPlace';
import { progressOf } from './jobLog';
import type { JobProgress, JobRecord, LogLine } from './jobTypes';
import type { RunFolder } from './runFolder';

/** Reads the log and /outputs at once, writes them, and says how the job ended: `before` is its record until now. */
export async function collectRun(host: JobPlace, folder: RunFolder, before: JobRecord, handle: string, exit: JobExit): Promise<JobRecord> {
  const { id } = before;
  const problems: string[] = [];
  const [lines, collected] = await Promise.all([
    (async () => {
      const all: LogLine[] = [];
      for await (const line of host.logs(handle, { follow: false })) all.push(line);
      return all;
    })(),
    (exit.outputsInRunFolder ? folder.indexOutputs(id) : host.outputs(handle).then((archive) => folder.collectOutputs(id, archive))).catch((error) => {
      problems.push(`the outputs could not be read: ${errorMessage(error)}`);
      return { outputs: [], refused: [] };
    }),
  ]);
  const progress = lines.map(progressOf).filter((p): p is JobProgress => !!p).pop();
  folder.writeLog(id, lines.filter((line) => !progressOf(line)));
  if (collected.refused.length) problems.push(`outputs not collected: ${collected.refused.join(', ')}`);
  const cancelled = !!before.cancelRequested;
  const why = cancelled ? 'cancelled' : exit.oomKilled ? `ran out of memory (the limit is ${before.resources.memoryBytes ?? 'the environment\'s'} bytes)`
    : exit.exitCode !== 0 ? `exited with code ${exit.exitCode}` : undefined;
  const startedAt = exit.startedAt ?? before.startedAt;
  return {
    ...before, status: cancelled ? 'cancelled' : exit.exitCode === 0 ? 'succeeded' : 'failed', exitCode: exit.exitCode,
    startedAt, finishedAt: exit.finishedAt, durationMs: startedAt && exit.finishedAt ? Date.parse(exit.finishedAt) - Date.parse(startedAt) : null,
    outputs: collected.outputs, error: [why, ...problems].filter(Boolean).join('; ') || null, ...(progress ? { progress } : {}),
  };
}
