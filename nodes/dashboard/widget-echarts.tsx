// ECharts, only the parts the widgets draw with, and a hook that keeps one chart per element.
import { useEffect, useRef, useState } from 'react';
import { BarChart, GaugeChart, LineChart } from 'echarts/charts';
import { AriaComponent, DataZoomComponent, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import type { EChartsCoreOption, EChartsType } from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import type { Lang } from './widget-format';

echarts.use([LineChart, BarChart, GaugeChart, GridComponent, TooltipComponent, DataZoomComponent, LegendComponent, MarkLineComponent, AriaComponent, CanvasRenderer]);

export type { EChartsCoreOption, EChartsType };

/**
 * Draws `option` into the returned element's chart. The chart is made once, resized with its
 * box, updated in place (no animation: a dashboard redraws every second and should not shimmer
 * or burn CPU), and disposed with the element.
 */
export function useEChart(option: EChartsCoreOption, lang: Lang, onChart?: (chart: EChartsType) => void) {
  const ref = useRef<HTMLDivElement>(null);
  const chart = useRef<EChartsType | null>(null);
  const [size, setSize] = useState({ width: 0, height: 0 });
  useEffect(() => {
    const el = ref.current;
    if (!el) return undefined;
    const c = echarts.init(el, null, { renderer: 'canvas', locale: lang === 'zh' ? 'ZH' : 'EN' });
    chart.current = c;
    onChart?.(c);
    const observer = new ResizeObserver(() => {
      c.resize();
      setSize((s) => (s.width === el.clientWidth && s.height === el.clientHeight ? s : { width: el.clientWidth, height: el.clientHeight }));
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      c.dispose();
      chart.current = null;
    };
    // Rebuilt only for another language (the chart's own texts); `onChart` is read once.
  }, [lang]);
  useEffect(() => {
    chart.current?.setOption(option, { lazyUpdate: true });
  }, [option, lang]);
  /** `size`: the chart's box, for options that depend on room (labels on a small dial). */
  return { ref, chart, size };
}
