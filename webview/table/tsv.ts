// Tab-separated text for the clipboard, quoted the way spreadsheets read it back.

export function toTsv(rows: string[][]): string {
  return rows.map((row) => row.map(quote).join('\t')).join('\n');
}

function quote(field: string): string {
  return /[\t\n\r"]/.test(field) ? `"${field.replace(/"/g, '""')}"` : field;
}
