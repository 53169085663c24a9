import type { ReactNode } from 'react';

/** Inline Markdown: `code`, **bold**, [text](http…) links; relative links stay text (they point into the repository). */
export function inlineMarkdown(s: string, key = 0): ReactNode[] {
  const out: ReactNode[] = [];
  const pattern = /(`[^`]+`)|(\*\*[^*]+\*\*)|\[([^\]]+)\]\(([^)\s]+)\)/g;
  let last = 0;
  let k = key * 1000;
  for (const m of s.matchAll(pattern)) {
    if (m.index > last) out.push(s.slice(last, m.index));
    if (m[1]) out.push(<code key={k++}>{m[1].slice(1, -1)}</code>);
    else if (m[2]) out.push(<strong key={k++}>{inlineMarkdown(m[2].slice(2, -2), k)}</strong>);
    else if (/^https?:\/\//.test(m[4]!)) out.push(<a key={k++} href={m[4]} target="_blank" rel="noreferrer">{m[3]}</a>);
    else out.push(<span key={k++} className="md-link">{m[3]}</span>);
    last = m.index + m[0].length;
  }
  if (last < s.length) out.push(s.slice(last));
  return out;
}

const cells = (line: string) => line.trim().replace(/^\|/, '').replace(/\|$/, '').split('|').map((c) => c.trim());
const isRule = (line: string) => /^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$/.test(line);

/**
 * Enough Markdown for a template's README: headings, paragraphs, lists, tables, code blocks and
 * quotes; no HTML is ever interpreted (React escapes the text).
 */
export function MarkdownText({ source }: { source: string }) {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const out: ReactNode[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      out.push(<pre key={i}>{code.join('\n')}</pre>);
      i++;
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      const level = Math.min(6, heading[1]!.length + 2);
      const H = `h${level}` as 'h3';
      out.push(<H key={i} className="md-heading">{inlineMarkdown(heading[2]!, i)}</H>);
      i++;
      continue;
    }
    if (line.trim().startsWith('|') && i + 1 < lines.length && isRule(lines[i + 1]!)) {
      const head = cells(line);
      const rows: string[][] = [];
      for (i += 2; i < lines.length && lines[i]!.trim().startsWith('|'); i++) rows.push(cells(lines[i]!));
      out.push(
        <div key={i} className="md-table-wrap">
          <table className="md-table">
            <thead><tr>{head.map((c, k) => <th key={k}>{inlineMarkdown(c, k)}</th>)}</tr></thead>
            <tbody>{rows.map((r, ri) => <tr key={ri}>{r.map((c, k) => <td key={k}>{inlineMarkdown(c, ri * 50 + k)}</td>)}</tr>)}</tbody>
          </table>
        </div>,
      );
      continue;
    }
    if (/^\s*([-*]|\d+\.)\s+/.test(line)) {
      const ordered = /^\s*\d+\./.test(line);
      const items: string[] = [];
      for (; i < lines.length && /^\s*([-*]|\d+\.)\s+/.test(lines[i]!); i++) items.push(lines[i]!.replace(/^\s*([-*]|\d+\.)\s+/, ''));
      const List = ordered ? 'ol' : 'ul';
      out.push(<List key={i}>{items.map((it, k) => <li key={k}>{inlineMarkdown(it, k)}</li>)}</List>);
      continue;
    }
    if (line.startsWith('>')) {
      const quote: string[] = [];
      for (; i < lines.length && lines[i]!.startsWith('>'); i++) quote.push(lines[i]!.replace(/^>\s?/, ''));
      out.push(<blockquote key={i}>{inlineMarkdown(quote.join(' '), i)}</blockquote>);
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    const para: string[] = [];
    for (; i < lines.length && lines[i]!.trim() !== '' && !/^(#{1,6}\s|```|\s*([-*]|\d+\.)\s|>|\s*\|)/.test(lines[i]!); i++) para.push(lines[i]!);
    if (para.length === 0) {
      // A line that looks like a table row without a rule under it: plain text.
      para.push(line);
      i++;
    }
    out.push(<p key={i}>{inlineMarkdown(para.join(' '), i)}</p>);
  }
  return <div className="markdown-text">{out}</div>;
}
