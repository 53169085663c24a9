import type { Text } from '../../runtime/model';

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

/**
 * Parses CSV as RFC 4180 describes it, as spreadsheets export it: fields in double quotes may
 * hold the delimiter, line breaks and doubled quotes; CRLF, LF or CR end a line; a byte-order
 * mark is dropped; blank lines are skipped; unquoted fields are trimmed. The delimiter is a
 * comma unless the first line has none and has tabs or semicolons (some Excel locales).
 * Every error is reported with its line and column; parsing goes on after one.
 */
export function parseCsv(input: string): { records: CsvRecord[]; errors: CsvError[] } {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const firstLine = text.slice(0, text.search(/\r|\n|$/));
  const delimiter = firstLine.includes(',') ? ',' : firstLine.includes('\t') ? '\t' : firstLine.includes(';') ? ';' : ',';
  const records: CsvRecord[] = [];
  const errors: CsvError[] = [];
  let line = 1;
  let lineStart = 0;
  let i = 0;
  let cells: string[] = [];
  let recordLine = 1;
  let field = '';
  let quoted = false;
  let anyContent = false;

  const endField = () => {
    cells.push(quoted ? field : field.trim());
    if (field.trim() !== '' || quoted) anyContent = true;
    field = '';
    quoted = false;
  };
  const endRecord = () => {
    endField();
    if (anyContent) records.push({ line: recordLine, cells });
    cells = [];
    anyContent = false;
  };
  const newline = (at: number) => {
    line += 1;
    lineStart = at;
  };

  while (i < text.length) {
    const c = text[i]!;
    if (c === '"' && field.trim() === '' && !quoted) {
      // A quoted field: read to the closing quote.
      quoted = true;
      field = '';
      const openLine = line;
      const openColumn = i - lineStart + 1;
      i += 1;
      let closed = false;
      while (i < text.length) {
        const d = text[i]!;
        if (d === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i += 1;
          break;
        }
        if (d === '\r' || d === '\n') {
          field += d === '\r' && text[i + 1] === '\n' ? '\r\n' : d;
          i += d === '\r' && text[i + 1] === '\n' ? 2 : 1;
          newline(i);
          continue;
        }
        field += d;
        i += 1;
      }
      if (!closed) {
        errors.push({ line: openLine, column: openColumn, message: { zh: '引号没有闭合（从这里开始的字段一直到文件末尾）', en: 'unclosed quote (the field starting here runs to the end of the file)' } });
        // The rest of the file is one broken field: nothing after it can be trusted as rows.
        return { records, errors };
      }
      // After the closing quote only spaces, a delimiter or the end of the line may follow.
      let stray = false;
      while (i < text.length && text[i] !== delimiter && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] !== ' ' && text[i] !== '\t' && !stray) {
          stray = true;
          errors.push({ line, column: i - lineStart + 1, message: { zh: '右引号后还有字符；字段中的引号应写成两个引号 ""', en: 'characters after a closing quote; a quote inside a field is written as two quotes ""' } });
        }
        i += 1;
      }
      continue;
    }
    if (c === delimiter) {
      endField();
      i += 1;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      newline(i);
      recordLine = line;
      continue;
    }
    if (c === '"') {
      errors.push({ line, column: i - lineStart + 1, message: { zh: '未加引号的字段中出现引号；含引号、逗号或换行的字段应整体加引号', en: 'a quote inside an unquoted field; quote the whole field when it holds quotes, commas or line breaks' } });
    }
    field += c;
    i += 1;
  }
  if (field !== '' || quoted || cells.length > 0) endRecord();
  return { records, errors };
}
