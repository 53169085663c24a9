// Colours come from the page's CSS variables, so a theme is one stylesheet for HTML and charts alike.
const cache = new Map<string, string>();
let cachedTheme = '';

/** The value of a CSS custom property on the document, e.g. `--state-running`. */
export function cssVar(name: string): string {
  const theme = document.documentElement.dataset.theme ?? '';
  if (theme !== cachedTheme) {
    cache.clear();
    cachedTheme = theme;
  }
  let v = cache.get(name);
  if (v === undefined) {
    v = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    cache.set(name, v);
  }
  return v;
}

export const palette = () => [1, 2, 3, 4, 5, 6, 7, 8].map((i) => cssVar(`--series-${i}`));
