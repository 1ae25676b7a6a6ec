/**
 * The overview's charts: bar charts as inline SVG (no script, no image
 * request, so the CSP stays `default-src 'none'`). Each bar carries a
 * `<title>` with its figure, which browsers show on hover and screen readers read.
 * @module
 */

import type { SessionHourCount, SessionSizeBucket } from '../core/index.js';
import { formatBytes, formatCount } from './format.js';
import { type Html, html } from './html.js';

/** One bar of a chart. */
export interface ChartBar {
  /** What the bar counts, for its tooltip. */
  readonly label: string;
  readonly value: number;
}

/** What a bar chart shows. */
export interface BarChart {
  /** The chart's accessible name. */
  readonly title: string;
  readonly bars: readonly ChartBar[];
  /** Labels under the first, middle and last bars. */
  readonly axis: readonly [string, string, string];
  /** The CSS class of the bars (`bar` or `bar2`). */
  readonly barClass?: 'bar' | 'bar2';
}

const WIDTH = 720;
const HEIGHT = 200;
const TOP = 20;
const BOTTOM = 26;
const LEFT = 4;

/** A bar chart as an inline `<svg>`, scaled to the largest bar. */
export function renderBarChart(chart: BarChart): Html {
  const count = Math.max(chart.bars.length, 1);
  const max = Math.max(1, ...chart.bars.map((bar) => bar.value));
  const slot = (WIDTH - LEFT * 2) / count;
  const gap = slot > 6 ? 1 : 0;
  const plot = HEIGHT - TOP - BOTTOM;
  const bars = chart.bars.map((bar, index) => {
    const height = bar.value === 0 ? 0 : Math.max(1, (bar.value / max) * plot);
    const x = LEFT + index * slot;
    return html`<rect class="${chart.barClass ?? 'bar'}" x="${x.toFixed(1)}" y="${(TOP + plot - height).toFixed(1)}" width="${Math.max(slot - gap, 0.5).toFixed(1)}" height="${height.toFixed(1)}"><title>${bar.label}: ${formatCount(bar.value)}</title></rect>`;
  });
  const baseline = TOP + plot;
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="${chart.title}" xmlns="http://www.w3.org/2000/svg">
<text x="${LEFT}" y="15">max ${formatCount(max)}</text>
<line x1="${LEFT}" y1="${baseline + 0.5}" x2="${WIDTH - LEFT}" y2="${baseline + 0.5}" stroke="currentColor" stroke-opacity="0.3"/>
${bars}
<text x="${LEFT}" y="${HEIGHT - 6}">${chart.axis[0]}</text>
<text x="${WIDTH / 2}" y="${HEIGHT - 6}" text-anchor="middle">${chart.axis[1]}</text>
<text x="${WIDTH - LEFT}" y="${HEIGHT - 6}" text-anchor="end">${chart.axis[2]}</text>
</svg>`;
}

/** An hour as `12-01 07:00`. */
function formatHour(hour: number): string {
  const iso = new Date(hour).toISOString();
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

/** The chart of sessions per hour (created, or expiring). */
export function renderHourChart(
  title: string,
  hours: readonly SessionHourCount[],
  barClass: 'bar' | 'bar2',
): Html {
  const first = hours[0];
  const middle = hours[Math.floor(hours.length / 2)];
  const last = hours[hours.length - 1];
  return renderBarChart({
    title,
    barClass,
    bars: hours.map((entry) => ({ label: `${formatHour(entry.hour)} UTC`, value: entry.sessions })),
    axis: [
      first ? formatHour(first.hour) : '',
      middle ? formatHour(middle.hour) : '',
      last ? formatHour(last.hour) : '',
    ],
  });
}

/** The label of a size bucket: `≤ 256 B`, `> 64 KiB`. */
export function describeSizeBucket(
  bucket: SessionSizeBucket,
  previous: SessionSizeBucket | undefined,
): string {
  if (bucket.upTo !== null) return `≤ ${formatBytes(bucket.upTo)}`;
  return previous?.upTo == null ? 'any size' : `> ${formatBytes(previous.upTo)}`;
}

/** The size histogram, one bar per bucket, labelled under each bar. */
export function renderSizeChart(buckets: readonly SessionSizeBucket[]): Html {
  const labels = buckets.map((bucket, index) => describeSizeBucket(bucket, buckets[index - 1]));
  const count = Math.max(buckets.length, 1);
  const max = Math.max(1, ...buckets.map((bucket) => bucket.sessions));
  const slot = (WIDTH - LEFT * 2) / count;
  const plot = HEIGHT - TOP - BOTTOM;
  const bars = buckets.map((bucket, index) => {
    const height = bucket.sessions === 0 ? 0 : Math.max(1, (bucket.sessions / max) * plot);
    const x = LEFT + index * slot;
    return html`<rect class="bar" x="${(x + slot * 0.1).toFixed(1)}" y="${(TOP + plot - height).toFixed(1)}" width="${(slot * 0.8).toFixed(1)}" height="${height.toFixed(1)}"><title>${labels[index]}: ${formatCount(bucket.sessions)}</title></rect>
<text x="${(x + slot / 2).toFixed(1)}" y="${TOP + plot - height - 3}" text-anchor="middle">${formatCount(bucket.sessions)}</text>
<text x="${(x + slot / 2).toFixed(1)}" y="${HEIGHT - 6}" text-anchor="middle">${labels[index]}</text>`;
  });
  return html`<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Sessions by data size" xmlns="http://www.w3.org/2000/svg">
${bars}
</svg>`;
}
