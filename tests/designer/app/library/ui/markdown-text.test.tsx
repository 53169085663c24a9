// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import { MarkdownText } from '../../../../../designer/app/library/ui/markdown-text';

afterEach(cleanup);

describe('README text', () => {
  it('renders headings, tables, lists, code and links, and never interprets HTML', () => {
    const { container } = render(<MarkdownText source={[
      '# 阀门 · Valves',
      '',
      '`valve@1.0.0` · **C3443** · 样本 [examples](../../examples/x.md) · [site](https://example.com)',
      '',
      '| 场景 | 类型 |',
      '| --- | --- |',
      '| `oee` | N |',
      '',
      '- one',
      '- two <b>bold</b>',
      '',
      '```sh',
      'kaiwu deploy x.json',
      '```',
    ].join('\n')} />);
    expect(container.querySelector('h3')!.textContent).toBe('阀门 · Valves');
    expect(container.querySelector('strong')!.textContent).toBe('C3443');
    expect(container.querySelector('a')!.getAttribute('href')).toBe('https://example.com');
    expect(container.querySelector('.md-link')!.textContent).toBe('examples');
    expect(Array.from(container.querySelectorAll('td'), (td) => td.textContent)).toEqual(['oee', 'N']);
    expect(container.querySelectorAll('li')).toHaveLength(2);
    expect(container.querySelector('b')).toBeNull();
    expect(container.querySelector('pre')!.textContent).toBe('kaiwu deploy x.json');
  });
});
