import { api } from '../api';
import { useLang } from '../i18n/language';
import type { IndustryAnswer } from './library-types';
import { useApi } from './ui/use-api';

/** An industry code with its name from the catalog (GET /api/industries?code=), e.g. "C3443 阀门和旋塞制造". */
export function IndustryLabel({ code }: { code: string }) {
  const { text } = useLang();
  const entry = useApi((signal) => api.get<IndustryAnswer>('/api/industries', { signal, query: { code } }), [code]);
  return (
    <span>
      <span className="mono">{code}</span> {entry.data ? text(entry.data.entry.name) : null}
    </span>
  );
}
