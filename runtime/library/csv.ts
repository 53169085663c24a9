import Papa from 'papaparse';
import type { Text } from '../model';

export interface CsvRecord {
  /** The file line the record starts on (1 is the first line). */
  readonly line: number;
  readonly cells: readonly string[];
}

export interface CsvError {
  readonly line: number;
  /** 1-based character position in that line. */
  readonly column: number;
  readonly message: Text;
}

const MESSAGES: Record<string, Text> = {
  MissingQuotes: { zh: '引号没有闭合（从这里开始的字段一直到文件末尾）', en: 'unclosed quote (the field starting here runs to the end of the file)' },
  InvalidQuotes: { zh: '右引号后还有字符；字段中的引号应写成两个引号 ""', en: 'characters after a closing quote; a quote inside a field is written as two quotes ""' },
  TooFewFields: { zh: '这一行的列数少于表头', en: 'this line has fewer columns than the header' },
  TooManyFields: { zh: '这一行的列数多于表头', en: 'this line has more columns than the header' },
};

/**
 * Parses CSV as spreadsheets export it (RFC 4180 with Papa Parse): quoted fields may hold the
 * delimiter, line breaks and doubled quotes; a byte-order mark is dropped; blank lines are
 * skipped; unquoted fields are trimmed; the delimiter is a comma, a tab or a semicolon (some
 * Excel locales), whichever the file uses. Errors carry their line and column. Like most
 * spreadsheets, a stray quote inside an unquoted field is kept as a character.
 */
export function parseCsv(input: string): { records: CsvRecord[]; errors: CsvError[] } {
  // One kind of line break: exports mix CRLF rows with LF inside quoted cells.
  const text = (input.startsWith('\uFEFF') ? input.slice(1) : input).replace(/\r\n?/g, '\n');
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') lineStarts.push(i + 1);
  const position = (offset: number) => {
    let lo = 0;
    let hi = lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (lineStarts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - lineStarts[lo]! + 1 };
  };
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  let start = 0;
  Papa.parse<string[]>(text, {
    skipEmptyLines: 'greedy',
    newline: '\n',
    delimitersToGuess: [',', '\t', ';'],
    step: (row) => {
      // The record begins at its first character that is not a blank line before it.
      let at = start;
      while (at < text.length && text[at] === '\n') at++;
      start = row.meta.cursor;
      records.push({ line: position(at).line, cells: row.data.map((c) => c.trim()) });
      for (const e of row.errors) {
        if (e.type === 'Delimiter') continue;
        // Papa Parse points just past the opening quote; a person looks for the quote itself.
        const index = e.index === undefined ? at : e.type === 'Quotes' && text[e.index - 1] === '"' ? e.index - 1 : e.index;
        const where = position(index);
        errors.push({ ...where, message: MESSAGES[e.code] ?? { zh: `CSV 格式错误：${e.message}`, en: `CSV error: ${e.message}` } });
      }
    },
  });
  // An unclosed quote swallows the rest of the file: the broken record is not a row.
  if (errors.some((e) => e.message === MESSAGES.MissingQuotes)) records.pop();
  return { records, errors };
}
