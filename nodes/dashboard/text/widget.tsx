import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useMemo } from 'react';
import { formatNumber, pick } from '../widget-format';
import type { Lang } from '../widget-format';
import { useHost } from '../widget-host';
import type { WidgetModule, WidgetProps } from '../widget-host';
import type { TextConfig } from './definition';
import type { TextView } from './runtime';

const escape = (s: string) => s.replace(/[&<>"'`*_[\]\\]/g, (c) => `&#${c.charCodeAt(0)};`);

/** Markdown with `{{value}}` filled in (escaped: a value is data, never markup), sanitised. */
export function renderText(markdown: string, value: TextView['value'], lang: Lang, decimals?: number): string {
  const shown = value === undefined || value === null ? '—' : typeof value === 'number' ? formatNumber(value, lang, decimals ?? (Number.isInteger(value) ? 0 : 1)) : String(value);
  const filled = markdown.replace(/\{\{\s*value\s*\}\}/g, escape(shown));
  return DOMPurify.sanitize(marked.parse(filled, { async: false, gfm: true, breaks: true }));
}

function TextWidget({ config, view }: WidgetProps<TextConfig, TextView>) {
  const { lang } = useHost();
  const markdown = pick(config.markdown, lang);
  const html = useMemo(() => renderText(markdown, view?.value, lang, config.decimals), [markdown, view?.value, lang, config.decimals]);
  return <div className="w-text" dangerouslySetInnerHTML={{ __html: html }} />;
}

export const textWidget: WidgetModule = { kind: 'text', component: TextWidget, messages: { zh: {}, en: {} } };
