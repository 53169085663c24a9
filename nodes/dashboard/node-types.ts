// The dashboard widget node types, for tests and tools that need the list (the registry is nodes/index.ts).
import type { AnyNodeType } from '../sdk';
import { alarmList } from './alarm-list/runtime';
import { barChart } from './bar-chart/runtime';
import { deviceGrid } from './device-grid/runtime';
import { gauge } from './gauge/runtime';
import { lineChart } from './line-chart/runtime';
import { stateTimeline } from './state-timeline/runtime';
import { stat } from './stat/runtime';
import { table } from './table/runtime';
import { text } from './text/runtime';

export const DASHBOARD_NODE_TYPES: readonly AnyNodeType[] = [gauge, stat, lineChart, barChart, table, stateTimeline, deviceGrid, alarmList, text];
