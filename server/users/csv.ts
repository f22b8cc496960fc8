/**
 * RFC 4180 CSV reader: fields separated by commas, records by CRLF (a bare LF is accepted too),
 * fields optionally enclosed in double quotes, a quote inside a quoted field written twice,
 * quoted fields may span lines. Each record carries the line number it starts on, so import
 * errors point at the line an admin sees in an editor. A malformed record is reported and
 * skipped; the rest of the file is still read.
 */

export interface CsvRecord {
  line: number;
  fields: string[];
}

export interface CsvProblem {
  line: number;
  message: string;
}

export function parseCsv(text: string): { records: CsvRecord[]; problems: CsvProblem[] } {
  const records: CsvRecord[] = [];
  const problems: CsvProblem[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a UTF-8 BOM from spreadsheet exports
  let line = 1;
  const n = text.length;

  while (i < n) {
    const start = line;
    const fields: string[] = [];
    let problem: string | undefined;
    // One record.
    for (;;) {
      let field = '';
      if (text[i] === '"') {
        i++;
        for (;;) {
          if (i >= n) {
            problem ??= 'unterminated quoted field';
            break;
          }
          const c = text[i]!;
          if (c === '"') {
            if (text[i + 1] === '"') {
              field += '"';
              i += 2;
              continue;
            }
            i++;
            break;
          }
          if (c === '\n') line++;
          field += c;
          i++;
        }
        // After the closing quote only a separator or the end of the record may follow.
        if (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          problem ??= 'unexpected text after a closing quote';
          while (i < n && text[i] !== ',' && text[i] !== '\n') i++;
        }
      } else {
        while (i < n && text[i] !== ',' && text[i] !== '\n' && !(text[i] === '\r' && text[i + 1] === '\n')) {
          if (text[i] === '"') problem ??= 'quote inside an unquoted field (enclose the field in quotes and double the quote)';
          field += text[i];
          i++;
        }
      }
      fields.push(field);
      if (i < n && text[i] === ',') {
        i++;
        continue;
      }
      break;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') {
      i++;
      line++;
    }
    if (problem) problems.push({ line: start, message: problem });
    else if (!(fields.length === 1 && fields[0] === '')) records.push({ line: start, fields }); // blank lines are ignored
  }
  return { records, problems };
}
