import type { Lang } from '../model';
import { dataDir, isLocked } from '../site/data-dir';
import { createStore } from '../store/store';
import type { Remote } from './remote';
import { callApi, printApiError } from './remote';

export interface PurgeRange {
  readonly from?: number;
  readonly to?: number;
  readonly device?: string;
}

function describe(range: PurgeRange, lang: Lang): string {
  const parts = [
    range.device ? (lang === 'zh' ? `设备 ${range.device}` : `device ${range.device}`) : (lang === 'zh' ? '所有设备' : 'every device'),
    range.from !== undefined ? `${lang === 'zh' ? '自' : 'from'} ${new Date(range.from).toISOString()}` : '',
    range.to !== undefined ? `${lang === 'zh' ? '至' : 'until'} ${new Date(range.to).toISOString()}` : '',
  ];
  return parts.filter(Boolean).join(' ');
}

/** Destroys the data of a time range and/or a device, online (--to) or in a stopped runtime's folder (--data). */
export async function purgeCommand(range: PurgeRange, target: { remote?: Remote; data?: string }, options: { lang: Lang; yes: boolean }, print: (line: string) => void): Promise<number> {
  const { lang } = options;
  if (range.from === undefined && range.to === undefined && range.device === undefined) {
    print(lang === 'zh' ? '请用 --since/--until 指定时间范围，或用 --device 指定设备' : 'name a range with --since/--until, or a device with --device');
    return 2;
  }
  if (!options.yes) {
    print(lang === 'zh' ? `将永久删除 ${describe(range, lang)} 的数据点、汇总、事件和报警；确认请加 --yes` : `this destroys the points, rollups, events and alarms of ${describe(range, lang)}; add --yes to go ahead`);
    return 2;
  }
  let purged: Record<string, number>;
  if (target.remote) {
    const answer = await callApi(target.remote, 'POST', 'api/purge', range);
    if (answer.status !== 200) {
      printApiError(answer, lang, print);
      return 1;
    }
    purged = (answer.body as { purged: Record<string, number> }).purged;
  } else {
    const dir = dataDir(target.data!);
    const pid = isLocked(dir);
    if (pid !== undefined) {
      print(lang === 'zh' ? `运行时正在运行（进程 ${pid}）：请用 --to 在线清除` : `the runtime is running (pid ${pid}): purge with --to`);
      return 1;
    }
    const store = createStore({ file: dir.database });
    try {
      purged = { ...(await store.purge(range)) };
    } finally {
      store.close();
    }
  }
  print(lang === 'zh'
    ? `已删除 ${describe(range, lang)}：数据点 ${purged.points}，分钟汇总 ${purged.rollup1m}，小时汇总 ${purged.rollup1h}，事件 ${purged.events}，报警 ${purged.alarms}`
    : `destroyed ${describe(range, lang)}: ${purged.points} points, ${purged.rollup1m} minute and ${purged.rollup1h} hour rollups, ${purged.events} events, ${purged.alarms} alarms`);
  return 0;
}
