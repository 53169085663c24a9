import { z } from 'zod';

/** Every user-facing string exists in both Chinese (first) and English. */
export const TextSchema = z.object({
  zh: z.string().min(1),
  en: z.string().min(1),
});
export type Text = z.infer<typeof TextSchema>;

export type Lang = keyof Text;

export function pickText(text: Text, lang: Lang): string {
  return text[lang];
}
