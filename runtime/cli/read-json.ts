import { readFileSync } from 'node:fs';

export class InputFileError extends Error {
  constructor(readonly file: string, message: string) {
    super(`${file}: ${message}`);
    this.name = 'InputFileError';
  }
}

/** Reads a JSON file; a syntax error says the line and column. */
export function readJsonFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new InputFileError(file, code === 'ENOENT' ? 'file not found / 文件不存在' : `cannot read: ${(err as Error).message}`);
  }
  try {
    return JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (err) {
    const message = (err as Error).message;
    const pos = /position (\d+)/.exec(message);
    if (pos) {
      const offset = Number(pos[1]);
      const before = text.slice(0, offset);
      const line = before.split('\n').length;
      const column = offset - before.lastIndexOf('\n');
      throw new InputFileError(file, `invalid JSON at line ${line}, column ${column}: ${message.replace(/ in JSON at position \d+.*/, '')} / JSON 格式错误（第 ${line} 行，第 ${column} 列）`);
    }
    throw new InputFileError(file, `invalid JSON: ${message} / JSON 格式错误`);
  }
}
