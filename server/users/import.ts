/**
 * User import from CSV (the admin CLI, later the admin page): header `name,password` with
 * optional `display_name` and `phone` columns in any order. Reports how many users were created
 * and, per line, why the others were not.
 */
import type { Db, NewUserInput } from '../db/index';
import { parseCsv } from './csv';

export interface ImportResult {
  /** Data records read (header and blank lines excluded). */
  records: number;
  created: number;
  errors: { line: number; message: string }[];
}

const COLUMNS = ['name', 'password', 'display_name', 'phone'] as const;
type Column = (typeof COLUMNS)[number];

/** The header is wrong: nothing can be imported. */
export class CsvHeaderError extends Error {
  override readonly name = 'CsvHeaderError';
  readonly code = 'CSV_HEADER';
}

export function parseUserCsv(text: string): { inputs: (NewUserInput & { line: number })[]; errors: ImportResult['errors'] } {
  const { records, problems } = parseCsv(text);
  const header = records.shift();
  if (!header) throw new CsvHeaderError('the file is empty; expected a header line "name,password[,display_name,phone]"');
  const names = header.fields.map((f) => f.trim().toLowerCase());
  const index = new Map<Column, number>();
  for (const [i, name] of names.entries()) {
    if (!(COLUMNS as readonly string[]).includes(name)) throw new CsvHeaderError(`line ${header.line}: unknown column "${name}" (columns: ${COLUMNS.join(', ')})`);
    if (index.has(name as Column)) throw new CsvHeaderError(`line ${header.line}: column "${name}" appears twice`);
    index.set(name as Column, i);
  }
  if (!index.has('name') || !index.has('password')) throw new CsvHeaderError(`line ${header.line}: the header must name at least the columns "name" and "password"`);

  const errors = problems.filter((p) => p.line > header.line);
  const inputs: (NewUserInput & { line: number })[] = [];
  for (const r of records) {
    if (r.fields.length !== names.length) {
      errors.push({ line: r.line, message: `expected ${names.length} fields, found ${r.fields.length}` });
      continue;
    }
    const get = (c: Column) => {
      const i = index.get(c);
      return i === undefined ? undefined : r.fields[i];
    };
    const input: NewUserInput & { line: number } = { line: r.line, name: get('name')!.trim(), password: get('password')! };
    const displayName = get('display_name')?.trim();
    const phone = get('phone')?.trim();
    if (displayName) input.displayName = displayName;
    if (phone) input.phone = phone;
    inputs.push(input);
  }
  return { inputs, errors };
}

export async function importUsersCsv(db: Db, text: string, realm: string): Promise<ImportResult> {
  const parsed = parseUserCsv(text);
  const result = await db.users.createMany(parsed.inputs, realm);
  const errors = [...parsed.errors, ...result.errors].sort((a, b) => a.line - b.line);
  return { records: parsed.inputs.length + parsed.errors.length, created: result.created, errors };
}
