import { parseApiError } from '../api';

/**
 * POST /api/sites/:id/offline-bundle and save the answer as the file the studio names
 * (Content-Disposition); the API client reads JSON only, so this one request is made here.
 */
export async function downloadBundle(siteId: string): Promise<string> {
  const res = await fetch(`/api/sites/${encodeURIComponent(siteId)}/offline-bundle`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { Accept: 'application/json', 'Content-Type': 'application/json' },
    body: '{}',
  });
  const text = await res.text();
  if (!res.ok) {
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      body = undefined;
    }
    throw parseApiError(res.status, body, res.statusText);
  }
  const file = /filename="([^"]+)"/.exec(res.headers.get('Content-Disposition') ?? '')?.[1] ?? `${siteId}.json`;
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const a = document.createElement('a');
  a.href = url;
  a.download = file;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return file;
}
