import type { ReactNode } from 'react';

/** Enough Markdown for a node's README: headings, lists, code blocks, inline code; everything else as text. */
export function MarkdownView({ source }: { source: string }) {
  const out: ReactNode[] = [];
  const lines = source.split('\n');
  let i = 0;
  const inline = (s: string) => s.split(/(`[^`]+`)/).map((part, k) => (part.startsWith('`') && part.endsWith('`') && part.length > 1 ? <code key={k}>{part.slice(1, -1)}</code> : part));
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.startsWith('```')) {
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i]!.startsWith('```'); i++) code.push(lines[i]!);
      out.push(<pre key={i}>{code.join('\n')}</pre>);
      i++;
      continue;
    }
    const h = /^(#{1,6})\s+(.*)$/.exec(line);
    if (h) out.push(<h4 key={i}>{inline(h[2]!)}</h4>);
    else if (/^\s*[-*]\s+/.test(line)) out.push(<li key={i}>{inline(line.replace(/^\s*[-*]\s+/, ''))}</li>);
    else if (line.trim() !== '') out.push(<p key={i}>{inline(line)}</p>);
    i++;
  }
  return <div className="markdown">{out}</div>;
}
