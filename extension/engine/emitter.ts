// A minimal typed event emitter in the shape of vscode.EventEmitter, for the engine that must not import vscode.

export interface Disposable {
  dispose(): void;
}

export type Event<T> = (listener: (event: T) => void) => Disposable;

export class Emitter<T> {
  private readonly listeners = new Set<(event: T) => void>();

  /** `failed` hears what a listener throws: one listener's bug reaches neither the others nor whoever fired. */
  constructor(private readonly failed: (error: unknown) => void = (error) => console.error('pydock: an event listener threw', error)) {}

  readonly event: Event<T> = (listener) => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };

  fire(event: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(event);
      } catch (error) {
        this.failed(error);
      }
    }
  }

  dispose(): void {
    this.listeners.clear();
  }
}
