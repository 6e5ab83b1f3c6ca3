// What survives a reload of the webview through vscode.setState, so the panel shows at once before panel.init
// arrives: the session, the latest entries (within a size budget), the scroll position and the unsent input.
import type { SessionView } from '../../shared/webviewProtocol';
import type { TranscriptEntry } from '../../shared/transcript';
import type { ScrollPosition } from './transcriptView';

export interface SavedPanel {
  version: 1;
  session?: SessionView;
  entries: TranscriptEntry[];
  scroll: ScrollPosition;
  draft: string;
}

/** Saving is throttled: at most once per this many milliseconds, however fast output arrives. */
const SAVE_EVERY_MS = 1000;
/** Roughly how many characters of entries to keep; the extension sends the whole transcript anyway. */
const ENTRY_BUDGET = 1_000_000;

export function readSavedPanel(state: unknown): SavedPanel | undefined {
  const saved = state as Partial<SavedPanel> | undefined;
  return saved?.version === 1 && Array.isArray(saved.entries) ? (saved as SavedPanel) : undefined;
}

export function savedPanel(session: SessionView | undefined, entries: TranscriptEntry[], scroll: ScrollPosition, draft: string): SavedPanel {
  let first = entries.length;
  for (let size = 0; first > 0; first--) {
    size += JSON.stringify(entries[first - 1]).length;
    if (size > ENTRY_BUDGET) break;
  }
  // The oldest kept entries are no longer at the top of the transcript, so an old scroll position means nothing.
  const keptAll = first === 0;
  return { version: 1, session, entries: entries.slice(first), scroll: keptAll ? scroll : { follow: true, top: 0 }, draft };
}

export class Throttle {
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly action: () => void) {}

  schedule(): void {
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.action();
    }, SAVE_EVERY_MS);
  }
}
