// How a table cell reads, for the viewer and the CLI alike: its text, a special value's name, or cut text and "…".
import { SPECIAL, type Cell, type SpecialCode } from './agentProtocol';

/** The names special values show as; the agent's tables/formatting.py SPECIAL_TEXT holds the same names. */
export const SPECIAL_TEXT: Record<SpecialCode, string> = {
  [SPECIAL.none]: 'None',
  [SPECIAL.nan]: 'NaN',
  [SPECIAL.nat]: 'NaT',
  [SPECIAL.na]: '<NA>',
  [SPECIAL.posinf]: 'inf',
  [SPECIAL.neginf]: '-inf',
};

export interface CellDisplay {
  text: string;
  /** A special value (None, NaN, NaT, <NA>, ±inf): the viewer styles it apart. */
  special: boolean;
  /** Set when the text is cut: the full text's length (table.cell gives the full text). */
  fullLength?: number;
}

export function displayCell(cell: Cell): CellDisplay {
  if (typeof cell === 'number') return { text: SPECIAL_TEXT[cell] ?? `<special ${cell}>`, special: true };
  if (typeof cell === 'string') return { text: cell, special: false };
  return { text: cell[0], special: false, fullLength: cell[1] };
}

/** The text a cell shows in the grid: a cut text ends in "…". */
export function cellText(cell: Cell): string {
  const shown = displayCell(cell);
  return shown.fullLength === undefined ? shown.text : `${shown.text}…`;
}
