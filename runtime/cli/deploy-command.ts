import { createNodeRegistry } from '../../nodes/registry';
import type { Lang } from '../model';
import { describeProblem } from '../model';
import { dataDir, isLocked } from '../site/data-dir';
import { DeployRejected, deployOffline } from '../site/site-runtime';
import { readJsonFile } from './read-json';
import type { Remote } from './remote';
import { callApi, printApiError } from './remote';

/** Deploys a signed bundle to a running runtime (--to) or into a stopped one's folder (--data). */
export async function deployCommand(file: string, target: { remote?: Remote; data?: string }, lang: Lang, print: (line: string) => void): Promise<number> {
  const envelope = readJsonFile(file);
  if (target.remote) {
    const answer = await callApi(target.remote, 'POST', 'api/deployments', envelope);
    if (answer.status !== 201) {
      printApiError(answer, lang, print);
      return 1;
    }
    const d = (answer.body as { deployment: { sequence: number; id: string; hash: string; probationUntil?: number } }).deployment;
    print(lang === 'zh'
      ? `已部署 ${d.id}（序号 ${d.sequence}，${d.hash}）；试运行至 ${d.probationUntil ? new Date(d.probationUntil).toISOString() : '—'}，期间出错会自动回退`
      : `deployed ${d.id} (sequence ${d.sequence}, ${d.hash}); on probation until ${d.probationUntil ? new Date(d.probationUntil).toISOString() : '—'}: a fault before then reverts it`);
    return 0;
  }
  const dir = dataDir(target.data!);
  const pid = isLocked(dir);
  if (pid !== undefined) {
    print(lang === 'zh' ? `运行时正在运行（进程 ${pid}）：请用 --to 在线部署，或先停止它` : `the runtime is running (pid ${pid}): deploy with --to, or stop it first`);
    return 1;
  }
  try {
    const record = deployOffline(dir, createNodeRegistry(), envelope, Date.now());
    print(lang === 'zh'
      ? `已放入 ${target.data}：${record.id}（序号 ${record.sequence}）将在运行时下次启动时运行；若无法启动，会自动回到上一个正常的部署`
      : `placed in ${target.data}: ${record.id} (sequence ${record.sequence}) runs at the runtime's next start; if it does not start, the runtime goes back to the last good one`);
    return 0;
  } catch (err) {
    if (!(err instanceof DeployRejected)) throw err;
    print(lang === 'zh' ? `部署被拒绝（${err.code}）：` : `deploy refused (${err.code}):`);
    for (const p of err.problems) print(`  ${describeProblem(p, lang)}`);
    return 1;
  }
}

export async function rollbackCommand(remote: Remote, lang: Lang, print: (line: string) => void): Promise<number> {
  const answer = await callApi(remote, 'POST', 'api/deployments/rollback');
  if (answer.status !== 200) {
    printApiError(answer, lang, print);
    return 1;
  }
  const d = (answer.body as { deployment: { sequence: number; id: string } }).deployment;
  print(lang === 'zh' ? `已回滚到 ${d.id}（序号 ${d.sequence}）` : `rolled back to ${d.id} (sequence ${d.sequence})`);
  return 0;
}
