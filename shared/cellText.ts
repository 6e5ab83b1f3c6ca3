// How a table cell reads, for the viewer and the CLI alike: its text, a special value's name, cut text and "…", or a
// number as it reads with its exact text one step away.
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
  /** Set when a number reads otherwise than its exact text (rounded, in scientific notation, with separators). */
  exact?: string;
}

export function displayCell(cell: Cell): CellDisplay {
  if (typeof cell === 'number') return { text: SPECIAL_TEXT[cell] ?? `<special ${cell}>`, special: true };
  if (typeof cell === 'string') return { text: cell, special: false };
  if (typeof cell[1] === 'string') return { text: cell[0], special: false, exact: cell[1] };
  return { text: cell[0], special: false, fullLength: cell[1] };
}

/** The text a cell shows in the grid: a cut text ends in "…". */
export function cellText(cell: Cell): string {
  const shown = displayCell(cell);
  return shown.fullLength === undefined ? shown.text : `${shown.text}…`;
}

/** A cell's exact text when the cell holds it (a cut cell's whole text must be asked for: undefined). */
export function exactText(cell: Cell): string | undefined {
  const shown = displayCell(cell);
  return shown.fullLength === undefined ? shown.exact ?? shown.text : undefined;
}
