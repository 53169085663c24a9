import type { Lang } from '../model';

/** zh unless asked for English by flag or environment. */
export function pickLang(flag: string | undefined): Lang {
  const wanted = flag ?? process.env.KAIWU_LANG ?? '';
  return wanted.toLowerCase().startsWith('en') ? 'en' : 'zh';
}
