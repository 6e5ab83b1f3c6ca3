// A run or inspection request as a protocol frame, with a user-facing error for a value that cannot go to Python.
import { UnmarshallableError, encode, toWire } from './codec';
import { PydockError } from '../errors';
import { MAX_FRAME, encodeFrame } from './framing';
import type { DapOpenRequest, InspectRequest, RunRequest } from '../../../shared/agentProtocol';
import type { DistributiveOmit } from '../session/sessionTypes';

export type RequestBody = DistributiveOmit<RunRequest | InspectRequest | DapOpenRequest, 'id'>;

export function requestFrame(body: RequestBody, id: number): Buffer[] {
  let payload: Buffer;
  try {
    payload = encode(toWire({ ...body, id }, 'request'));
  } catch (error) {
    if (error instanceof UnmarshallableError) {
      throw new PydockError('unmarshallable', `${namePath(body, error.path)}: ${error.typeName} cannot be sent to Python`,
        'Send numbers, strings, booleans, null, arrays, plain objects, Maps, Uint8Arrays or pydock value types.');
    }
    if (error instanceof RangeError) throw tooLarge(body, undefined); // past what one buffer can hold
    throw error;
  }
  if (payload.length > MAX_FRAME) throw tooLarge(body, payload.length);
  return encodeFrame(payload);
}

/** One message carries at most MAX_FRAME bytes: the agent would take a larger one for a stream out of step. */
function tooLarge(body: RequestBody, bytes: number | undefined): PydockError {
  const size = bytes === undefined ? 'more than one buffer holds' : `${(bytes / 2 ** 30).toFixed(1)} GiB`;
  return new PydockError('too-large', `The ${body.type} request is ${size}, over the ${MAX_FRAME / 2 ** 30} GiB one message may carry; nothing was sent.`,
    'Send large data in parts, or put it in a file in the workspace and read it in Python.');
}

/** Where an unsendable value sits, from the user's side: `x.rows[1]` for define('x', …), `args[0]` for a call. */
function namePath(body: RequestBody, path: string): string {
  const step = /^request\.steps\[(\d+)\]\.value/.exec(path);
  if (step && body.type === 'batch') return `${(body.steps[Number(step[1])] as { name: string }).name}${path.slice(step[0].length)}`;
  if (body.type === 'define') return path.replace(/^request\.value/, body.name);
  return path.replace(/^request\./, '');
}
