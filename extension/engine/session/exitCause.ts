// The user-facing reason an agent ended, from what its backend saw and what it wrote to stderr.
import type { AgentExit } from '../launch/backend';
import { formatByteSize } from '../../../shared/byteSize';
import { PydockError } from '../errors';

/** The agent's exit code when no heartbeat came for its grace period (python-agent/pydock_agent/lease.py). */
const NO_HEARTBEAT_EXIT = 75;

export function describeExit(exit: AgentExit, stderr: string): PydockError {
  if (exit.lost) {
    return new PydockError('connection-lost', `The connection to the session was lost: ${exit.lost}.`,
      'When Docker answers again, the next run reattaches to the container if it still runs (its variables are kept), '
      + 'or starts a fresh session and says so.');
  }
  if (exit.removed) {
    return new PydockError('removed', 'The session container was removed from outside pydock (docker rm, or a cleanup job).',
      'The next run starts a fresh session.');
  }
  if (exit.oomKilled) {
    const limit = exit.memoryBytes ? `the limit is ${formatByteSize(exit.memoryBytes)}` : 'no limit was set';
    return new PydockError('oom', `Python ran out of memory (${limit}) and was killed.`,
      'Raise pydock.memory, or work on less data at once. The next run starts a fresh session.');
  }
  if (exit.code === 127 && /exec|not found|No such file/i.test(stderr)) {
    return new PydockError('no-python', 'The image has no python3 on its PATH.',
      'Use an image with Python 3.8 or newer (for example python:3.12-slim) in pydock.image.', stderr);
  }
  if (exit.code === 78) {
    return new PydockError('no-python', 'The image\'s Python is too old for pydock.', 'Use Python 3.8 or newer.', stderr);
  }
  if (exit.code === NO_HEARTBEAT_EXIT && /no heartbeat/.test(stderr)) {
    return new PydockError('exited', 'The Python process heard nothing from pydock for its grace period and exited.',
      'The next run starts a fresh session.', stderr);
  }
  const how = exit.signal ? `was killed by ${exit.signal}` : exit.code === 137 ? 'was killed (SIGKILL)' : `exited with code ${exit.code}`;
  return new PydockError('exited', `The Python process ${how}.`, 'The next run starts a fresh session.', stderr);
}
