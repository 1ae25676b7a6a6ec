/**
 * `npm run bench:chart`: draws `bench/results/latest.json` (from `npm run bench`)
 * as `bench/results/throughput.svg`, the chart in the README: for every
 * competitor with a session layer, its throughput as a share of its own bare
 * framework's, one bar per route. Longer is better; 1.0 is "free".
 *
 * Plain SVG written by hand, so the chart needs no plotting package.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Report } from './report.js';

const INPUT = fileURLToPath(new URL('./results/latest.json', import.meta.url));
const OUTPUT = fileURLToPath(new URL('./results/throughput.svg', import.meta.url));

const ROUTE_COLOURS: Readonly<Record<string, string>> = {
  hit: '#1f6feb',
  read: '#2da44e',
  plain: '#bf8700',
};
const BAR = 9;
const GAP = 2;
const GROUP_GAP = 12;
const LABEL_WIDTH = 250;
const PLOT_WIDTH = 420;
const TOP = 48;

/** Escapes text for SVG. */
function escapeXml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** The SVG of the report's ratios. */
export function drawThroughputChart(report: Report): string {
  const routes = report.config.routes;
  const withSessions = report.competitors.filter((c) => c.baseline !== null);
  const ratio = (competitor: string, route: string): number | null =>
    report.medians.find((m) => m.competitor === competitor && m.route === route)?.ratio ?? null;
  const groupHeight = routes.length * (BAR + GAP) + GROUP_GAP;
  const height = TOP + withSessions.length * groupHeight + 40;
  const width = LABEL_WIDTH + PLOT_WIDTH + 70;
  const x = (value: number) => LABEL_WIDTH + (Math.min(value, 1.2) / 1.2) * PLOT_WIDTH;
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" role="img" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`,
    '<title>Session throughput as a share of the bare framework, per competitor and route</title>',
    `<rect width="100%" height="100%" fill="#ffffff"/>`,
    `<text x="10" y="18" font-size="13" font-weight="bold">Throughput with sessions ÷ the same framework bare (1.0 = no cost; longer is better)</text>`,
    `<text x="10" y="34" fill="#57606a">${escapeXml(`${report.date.slice(0, 10)} · Node ${report.node} · ${report.machine.cores} cores · medians of ${report.config.rounds} rounds × ${report.config.durationSec} s`)}</text>`,
  );
  for (const tick of [0, 0.25, 0.5, 0.75, 1]) {
    parts.push(
      `<line x1="${x(tick)}" x2="${x(tick)}" y1="${TOP - 4}" y2="${height - 34}" stroke="${tick === 1 ? '#8c959f' : '#d0d7de'}"/>`,
      `<text x="${x(tick)}" y="${height - 22}" text-anchor="middle" fill="#57606a">${tick}</text>`,
    );
  }
  withSessions.forEach((competitor, index) => {
    const top = TOP + index * groupHeight;
    parts.push(
      `<text x="${LABEL_WIDTH - 8}" y="${top + (routes.length * (BAR + GAP)) / 2 + 4}" text-anchor="end">${escapeXml(`${competitor.name} (${competitor.framework})`)}</text>`,
    );
    routes.forEach((route, routeIndex) => {
      const value = ratio(competitor.name, route);
      const y = top + routeIndex * (BAR + GAP);
      if (value === null) return;
      parts.push(
        `<rect x="${LABEL_WIDTH}" y="${y}" width="${Math.max(0, x(value) - LABEL_WIDTH)}" height="${BAR}" fill="${ROUTE_COLOURS[route] ?? '#6e7781'}"/>`,
        `<text x="${x(value) + 4}" y="${y + BAR - 1}" font-size="9" fill="#24292f">${value.toFixed(2)}</text>`,
      );
    });
  });
  routes.forEach((route, index) => {
    const left = LABEL_WIDTH + index * 90;
    parts.push(
      `<rect x="${left}" y="${height - 14}" width="10" height="10" fill="${ROUTE_COLOURS[route] ?? '#6e7781'}"/>`,
      `<text x="${left + 14}" y="${height - 5}">/${route}</text>`,
    );
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = JSON.parse(readFileSync(INPUT, 'utf8')) as Report;
  writeFileSync(OUTPUT, drawThroughputChart(report));
  process.stdout.write(`wrote ${OUTPUT}\n`);
}
