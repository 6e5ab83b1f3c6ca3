// Reads the JSON lines of Docker's pull API: layers and bytes summed into one progress figure, the digest, the error.
import type { LaunchProgress } from '../launch/launchProgress';
import type { BuildMessage } from './buildStream';

type PullProgressEvent = Extract<LaunchProgress, { type: 'pull-progress' }>;

interface Layer {
  size?: number;
  downloaded: number;
  extracted: number;
  done: boolean;
}

/** Statuses that name a layer of the image (others with an id, e.g. "Pulling from", name the tag). */
const LAYER_STATUS = /^(Pulling fs layer|Waiting|Downloading|Verifying Checksum|Download complete|Extracting|Pull complete|Already exists|Retrying)/;

export class PullStreamParser {
  /** Layers to fetch, by id; those the host already has are only counted. */
  private readonly layers = new Map<string, Layer>();
  private present = 0;
  private error: string | undefined;
  /** The manifest digest the registry served ("Digest: sha256:…"). */
  digest: string | undefined;
  /** The daemon had the newest image already ("Status: Image is up to date"). */
  upToDate = false;

  constructor(private readonly image: string, private readonly emit: (event: PullProgressEvent) => void) {}

  failure(): string | undefined {
    return this.error;
  }

  push(message: BuildMessage): void {
    if (message.error !== undefined || message.errorDetail) this.error = message.errorDetail?.message ?? message.error ?? 'unknown error';
    const status = message.status ?? '';
    if (!message.id) {
      const digest = /^Digest: (\S+)/.exec(status);
      if (digest) this.digest = digest[1];
      if (/^Status: Image is up to date/.test(status)) this.upToDate = true;
      return;
    }
    if (!LAYER_STATUS.test(status)) return;
    if (status.startsWith('Already exists')) {
      this.present++;
      return;
    }
    const layer = this.layers.get(message.id) ?? { downloaded: 0, extracted: 0, done: false };
    this.layers.set(message.id, layer);
    const { current, total } = message.progressDetail ?? {};
    if (status.startsWith('Downloading')) {
      if (total) layer.size = total;
      if (current !== undefined) layer.downloaded = current;
    } else if (status.startsWith('Download complete') || status.startsWith('Verifying Checksum')) {
      if (layer.size !== undefined) layer.downloaded = layer.size;
    } else if (status.startsWith('Extracting')) {
      if (total && layer.size === undefined) layer.size = total;
      if (current !== undefined) layer.extracted = current;
    } else if (status.startsWith('Pull complete')) {
      layer.done = true;
    }
    this.emit(this.summary());
  }

  /**
   * Bytes downloaded of the sizes known so far, and one fraction for a bar: each layer weighs its size (the mean
   * known size while its own is unknown) and counts half when downloaded, whole when extracted.
   */
  summary(): PullProgressEvent {
    const layers = [...this.layers.values()];
    const sized = layers.filter((l) => l.size !== undefined);
    const totalBytes = sized.reduce((sum, l) => sum + l.size!, 0);
    const meanSize = sized.length ? totalBytes / sized.length : 1;
    let weight = 0;
    let progress = 0;
    for (const layer of layers) {
      const size = layer.size ?? meanSize;
      const done = layer.done ? 1 : (Math.min(layer.downloaded, size) + Math.min(layer.extracted, size)) / (2 * size);
      weight += size;
      progress += size * done;
    }
    return {
      type: 'pull-progress',
      image: this.image,
      layers: layers.length + this.present,
      layersDone: layers.filter((l) => l.done).length + this.present,
      bytes: sized.reduce((sum, l) => sum + Math.min(l.downloaded, l.size!), 0),
      totalBytes,
      fraction: weight ? progress / weight : 0,
    };
  }
}
