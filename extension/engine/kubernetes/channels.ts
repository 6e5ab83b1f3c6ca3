// The attach subresource's channel protocol: each WebSocket message is one channel byte and its data (v5 adds a close).

/** Offered in this order: v5 can close stdin alone; v4 is what older API servers speak. */
export const CHANNEL_PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'] as const;

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
/** v5: "this stream is closed", followed by the stream's number. */
const CLOSE = 255;

/** The API server's status on channel 3 when the attach ends (a metav1.Status). */
export interface ChannelStatus {
  status?: string;
  reason?: string;
  message?: string;
  details?: { causes?: { reason?: string; message?: string }[] };
}

export type ChannelMessage =
  | { kind: 'stdout' | 'stderr'; data: Buffer }
  | { kind: 'status'; status: ChannelStatus }
  | { kind: 'closed'; stream: number }
  /** A message this protocol cannot hold: what was wrong with it. */
  | { kind: 'garbage'; why: string };

/** One message from the server; never throws. Empty data on a stream channel is how servers open it, and says nothing. */
export function readChannelMessage(message: Buffer | string, protocol: string): ChannelMessage {
  if (typeof message === 'string') return { kind: 'garbage', why: `a text message on a binary protocol (${message.length} characters)` };
  if (message.length === 0) return { kind: 'garbage', why: 'an empty message, without a channel byte' };
  const channel = message[0];
  const data = message.subarray(1);
  switch (channel) {
    case STDOUT: return { kind: 'stdout', data };
    case STDERR: return { kind: 'stderr', data };
    case STATUS: {
      try {
        const status = JSON.parse(data.toString('utf8')) as ChannelStatus;
        if (typeof status === 'object' && status !== null) return { kind: 'status', status };
      } catch {
        // reported below
      }
      return { kind: 'garbage', why: `a status that is not JSON: ${JSON.stringify(data.subarray(0, 80).toString('utf8'))}` };
    }
    case CLOSE:
      if (protocol === CHANNEL_PROTOCOLS[0] && data.length === 1) return { kind: 'closed', stream: data[0] };
      return { kind: 'garbage', why: `a close message under ${protocol || 'no protocol'}` };
    default: return { kind: 'garbage', why: `channel ${channel}, which attach does not use` };
  }
}

/** Bytes for the agent's stdin: one message, so the frame's pieces are not interleaved with others. */
export function stdinMessage(chunks: Buffer[]): Buffer {
  return Buffer.concat([Buffer.of(STDIN), ...chunks]);
}

/** How this side ends its stdin without ending the attach: a v5 close message; v4 has none (the socket closes instead). */
export function closeStdinMessage(protocol: string): Buffer | undefined {
  return protocol === CHANNEL_PROTOCOLS[0] ? Buffer.of(CLOSE, STDIN) : undefined;
}

/** The process's exit code a status names: 0 for Success, the ExitCode cause of a NonZeroExitCode, else unknown. */
export function statusExitCode(status: ChannelStatus): number | null {
  if (status.status === 'Success') return 0;
  const cause = status.details?.causes?.find((c) => c.reason === 'ExitCode');
  return cause?.message !== undefined && /^\d+$/.test(cause.message) ? Number(cause.message) : null;
}
