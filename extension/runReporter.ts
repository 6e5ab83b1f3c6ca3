// How editor commands hand code to the session: the panel records the run; the outcome says whether to go on.
import type { Session } from './engine/session/session';

export interface RunLocation {
  file: string;
  line: number;
}

export interface RunReporter {
  /** Runs code as one transcript entry; resolves true when it ran without an error. */
  run(session: Session, code: string, location: RunLocation): Promise<boolean>;
}
