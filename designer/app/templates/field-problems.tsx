import type { ApiErrorDetail } from '../api';
import { useLang } from '../i18n/language';

/** The API's problems of one field, under it. */
export function FieldProblems({ problems }: { problems: readonly ApiErrorDetail[] }) {
  const { text } = useLang();
  if (problems.length === 0) return null;
  return (
    <>
      {problems.map((p, i) => <p key={`${p.at}-${i}`} className="field-error" role="alert" data-at={p.at}>{text(p.message)}</p>)}
    </>
  );
}
