// Byte sizes as people and Docker write them: parsed from 512m or 4g, written as 3.5 GiB.

/** Parses sizes as Docker writes them: 512m, 4g, 1.5GiB, or a plain byte count. */
export function parseByteSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([kmgt]?)(i?b)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size; write it like 512m or 4g`);
  const power = ['', 'k', 'm', 'g', 't'].indexOf(match[2].toLowerCase());
  return Math.round(Number(match[1]) * 1024 ** power);
}

export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit]}`;
}
