import type { SiteStatus } from '../site/site-runtime';
import type { Lang } from '../model';
import { formatStats } from './live-console';
import type { Remote } from './remote';
import { callApi, printApiError } from './remote';

/** Prints what a runtime runs: the deployment, the last good one, and every node's counters. */
export async function statusCommand(remote: Remote, options: { lang: Lang; json: boolean }, print: (line: string) => void): Promise<number> {
  const answer = await callApi(remote, 'GET', 'api/status');
  if (answer.status !== 200) {
    printApiError(answer, options.lang, print);
    return 1;
  }
  if (options.json) {
    print(JSON.stringify(answer.body, null, 2));
    return 0;
  }
  const s = answer.body as SiteStatus;
  const zh = options.lang === 'zh';
  const d = s.deployment;
  print(`${zh ? '站点' : 'site'}: ${s.site ?? '—'}`);
  print(d
    ? `${zh ? '部署' : 'deployment'}: ${d.id} (${zh ? '序号' : 'sequence'} ${d.sequence}, ${d.status}, ${d.hash}) ${zh ? '自' : 'since'} ${d.since ? new Date(d.since).toISOString() : '—'}`
    : zh ? '部署：无' : 'deployment: none');
  print(`${zh ? '上一个正常的部署' : 'last known good'}: ${s.lastKnownGood ? `${s.lastKnownGood.id} (${s.lastKnownGood.sequence})` : '—'}`);
  if (s.nodes.length > 0) print(formatStats(s.nodes, options.lang));
  return 0;
}
