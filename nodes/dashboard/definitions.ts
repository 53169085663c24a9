// The dashboard widget kinds by type id: the dashboard server and app look them up here.
import type { NodeDefinition } from '../sdk';
import { alarmListDefinition } from './alarm-list/definition';
import { barChartDefinition } from './bar-chart/definition';
import { deviceGridDefinition } from './device-grid/definition';
import { gaugeDefinition } from './gauge/definition';
import { lineChartDefinition } from './line-chart/definition';
import { stateTimelineDefinition } from './state-timeline/definition';
import { statDefinition } from './stat/definition';
import { tableDefinition } from './table/definition';
import { textDefinition } from './text/definition';

export const WIDGET_DEFINITIONS: Readonly<Record<string, NodeDefinition>> = Object.freeze({
  gauge: gaugeDefinition,
  stat: statDefinition,
  'line-chart': lineChartDefinition,
  'bar-chart': barChartDefinition,
  table: tableDefinition,
  'state-timeline': stateTimelineDefinition,
  'device-grid': deviceGridDefinition,
  'alarm-list': alarmListDefinition,
  text: textDefinition,
} as Record<string, NodeDefinition>);

export type WidgetKind = 'gauge' | 'stat' | 'line-chart' | 'bar-chart' | 'table' | 'state-timeline' | 'device-grid' | 'alarm-list' | 'text';

export const isWidgetKind = (type: string): type is WidgetKind => Object.hasOwn(WIDGET_DEFINITIONS, type);
