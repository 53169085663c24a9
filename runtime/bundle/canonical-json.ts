import canonicalize from 'canonicalize';

/** RFC 8785 canonical JSON: sorted keys, no whitespace, ES number formatting. */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('value cannot be written as JSON');
  return text;
}
