export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

export function fmt(x: number): string {
  return Math.abs(x) >= 100 ? String(Math.round(x)) : x.toFixed(1);
}

/** Prints `key=median` on stdout and the spread on stderr. */
export function report(key: string, xs: readonly number[], unit = ''): number {
  const m = median(xs);
  console.log(`${key}=${fmt(m)}`);
  console.error(`  ${key}: median ${fmt(m)}${unit} min ${fmt(Math.min(...xs))} max ${fmt(Math.max(...xs))} n=${xs.length} [${xs.map(fmt).join(', ')}]`);
  return m;
}
