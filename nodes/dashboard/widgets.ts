// The browser parts of the dashboard widgets, by kind: the dashboard app draws pages with these.
import { alarmListWidget } from './alarm-list/widget';
import { barChartWidget } from './bar-chart/widget';
import { deviceGridWidget } from './device-grid/widget';
import { gaugeWidget } from './gauge/widget';
import { lineChartWidget } from './line-chart/widget';
import { stateTimelineWidget } from './state-timeline/widget';
import { statWidget } from './stat/widget';
import { tableWidget } from './table/widget';
import { textWidget } from './text/widget';
import type { WidgetModule } from './widget-host';

export const WIDGETS: Readonly<Record<string, WidgetModule>> = Object.fromEntries(
  [gaugeWidget, statWidget, lineChartWidget, barChartWidget, tableWidget, stateTimelineWidget, deviceGridWidget, alarmListWidget, textWidget].map((w) => [w.kind, w]),
);
