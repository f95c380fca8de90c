/**
 * Inline SVG charts for the pilot's HTML report: no library, no external resources. Values are Numbers for drawing
 * only; the tables beside the charts show the report's exact decimal strings.
 */

/** Escapes a string for HTML text and attribute values (both quote kinds included). */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/** A decimal string ("1234.56", "-5") as a Number for drawing; anything else draws as 0. */
export function drawingNumber(decimal: string): number {
  if (!/^-?\d+(\.\d+)?$/.test(decimal.trim())) return 0;
  const n = Number(decimal);
  return Number.isFinite(n) ? n : 0;
}

/** A decimal integer string as a bigint; anything else counts as 0. */
export function parseBigInt(decimal: string): bigint {
  return /^\d+$/.test(decimal.trim()) ? BigInt(decimal.trim()) : 0n;
}

/** Groups the integer digits of a decimal string by thousands, keeping every digit: "1234567.8" → "1,234,567.8". */
export function groupDigits(decimal: string): string {
  const match = /^(-?)(\d+)(\.\d+)?$/.exec(decimal.trim());
  if (!match) return decimal;
  return `${match[1]}${match[2].replace(/\B(?=(\d{3})+(?!\d))/g, ",")}${match[3] ?? ""}`;
}

/** A short axis label: 1200 → "1.2k", 3500000 → "3.5M". */
export function compactNumber(value: number): string {
  const units: [number, string][] = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  const abs = Math.abs(value);
  for (const [size, suffix] of units) {
    if (abs >= size) return `${trimZeros((value / size).toFixed(abs / size >= 100 ? 0 : 2))}${suffix}`;
  }
  return trimZeros(value.toFixed(abs >= 100 || Number.isInteger(value) ? 0 : 2));
}

function trimZeros(text: string): string {
  return text.includes(".") ? text.replace(/\.?0+$/, "") : text;
}

/**
 * Round axis ticks from 0 to at least `max` (at most 6 of them); `integer` keeps the step whole (counts).
 * An empty or all-zero series gets the axis 0..1.
 */
export function niceTicks(max: number, integer = false): number[] {
  if (!(max > 0) || !Number.isFinite(max)) return [0, 1];
  const magnitude = 10 ** Math.floor(Math.log10(max / 4));
  let step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => max / s <= 5) ?? 10 * magnitude;
  if (integer) step = Math.max(1, Math.ceil(step));
  const count = Math.ceil(max / step - 1e-9);
  return Array.from({ length: count + 1 }, (_, i) => Number((i * step).toPrecision(12)));
}

/** Cuts a label to `max` characters with an ellipsis. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** One point or bar: its short label, the value to draw, and the tooltip shown on hover. */
export interface Datum {
  label: string;
  value: number;
  tooltip: string;
}

/** Default chart width in SVG units: a full-width card shows it at about 1:1. */
const WIDTH = 1080;

/** A number rounded for SVG coordinates. */
function r(n: number): string {
  return String(Math.round(n * 10) / 10);
}

function svgOpen(name: string, width: number, height: number, title: string): string {
  return (
    `<svg class="chart" data-chart="${escapeHtml(name)}" viewBox="0 0 ${width} ${height}" role="img" ` +
    `aria-label="${escapeHtml(title)}" preserveAspectRatio="xMidYMid meet">`
  );
}

function yAxis(ticks: number[], scale: (v: number) => number, left: number, right: number): string {
  return ticks
    .map((t) => {
      const y = r(scale(t));
      return (
        `<line class="grid" x1="${left}" x2="${right}" y1="${y}" y2="${y}"/>` +
        `<text class="tick" x="${left - 8}" y="${y}" text-anchor="end" dominant-baseline="middle">${escapeHtml(compactNumber(t))}</text>`
      );
    })
    .join("");
}

/** Labels every k-th x position so that at most ~24 labels show. */
function labelEvery(count: number): number {
  return Math.max(1, Math.ceil(count / 24));
}

/**
 * A line and area chart, one point per datum, evenly spaced along x.
 * @param name `data-chart` attribute (tests and styles find the chart by it).
 * @param unit Shown above the y axis.
 */
export function areaChart(name: string, data: Datum[], unit: string, title: string): string {
  const height = 280;
  const [left, right, top, bottom] = [72, WIDTH - 24, 28, height - 40];
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)));
  const max = ticks[ticks.length - 1];
  const y = (v: number): number => bottom - (Math.max(0, v) / max) * (bottom - top);
  const x = (i: number): number =>
    data.length === 1 ? (left + right) / 2 : left + 12 + (i * (right - left - 24)) / (data.length - 1);
  const points = data.map((d, i) => [x(i), y(d.value)] as const);
  const line = points.map(([px, py], i) => `${i === 0 ? "M" : "L"}${r(px)},${r(py)}`).join(" ");
  const area =
    points.length > 0 ? `${line} L${r(points[points.length - 1][0])},${bottom} L${r(points[0][0])},${bottom} Z` : "";
  const every = labelEvery(data.length);
  const gradient = `${name}-fill`;
  return (
    svgOpen(name, WIDTH, height, title) +
    `<defs><linearGradient id="${escapeHtml(gradient)}" x1="0" x2="0" y1="0" y2="1">` +
    `<stop offset="0%" stop-color="#00afca" stop-opacity="0.45"/><stop offset="100%" stop-color="#00afca" stop-opacity="0.03"/>` +
    `</linearGradient></defs>` +
    `<text class="unit" x="${left}" y="14">${escapeHtml(unit)}</text>` +
    yAxis(ticks, y, left, right) +
    `<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>` +
    (area ? `<path class="area" d="${area}" fill="url(#${escapeHtml(gradient)})"/>` : "") +
    (points.length > 1 ? `<path class="line" d="${line}"/>` : "") +
    points
      .map(
        ([px, py], i) =>
          `<g class="point"><title>${escapeHtml(data[i].tooltip)}</title>` +
          `<circle cx="${r(px)}" cy="${r(py)}" r="5"/>` +
          (i % every === 0 || i === data.length - 1
            ? `<text class="xlabel" x="${r(px)}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(data[i].label)}</text>`
            : "") +
          `</g>`,
      )
      .join("") +
    `<text class="axis-title" x="${(left + right) / 2}" y="${height - 4}" text-anchor="middle">step</text>` +
    `</svg>`
  );
}

/** Layout of a horizontal bar chart. */
export interface BarLayout {
  /** Total width in SVG units. */
  width: number;
  /** Room for the labels left of the bars. */
  labelWidth: number;
  /** Bar colours, cycled. */
  colors: string[];
}

/**
 * Horizontal bars, one row per datum, with the label on the left and the formatted value after the bar.
 * @param values Formatted values printed after each bar (same order as `data`).
 */
export function horizontalBars(
  name: string,
  data: Datum[],
  values: string[],
  title: string,
  layout: Partial<BarLayout> = {},
): string {
  const { width: total = WIDTH, labelWidth = 300, colors = ["#0b3d91"] } = layout;
  const row = 28;
  const [left, right, top] = [labelWidth, total - 96, 8];
  const maxChars = Math.max(8, Math.floor((labelWidth - 14) / 6.5));
  const height = top * 2 + Math.max(1, data.length) * row;
  const max = Math.max(0, ...data.map((d) => d.value));
  const width = (v: number): number => (max > 0 ? (Math.max(0, v) / max) * (right - left) : 0);
  return (
    svgOpen(name, total, height, title) +
    `<line class="axis" x1="${left}" x2="${left}" y1="${top}" y2="${height - top}"/>` +
    data
      .map((d, i) => {
        const y = top + i * row;
        const w = width(d.value);
        return (
          `<g class="bar"><title>${escapeHtml(d.tooltip)}</title>` +
          `<text class="label" x="${left - 10}" y="${r(y + row / 2)}" text-anchor="end" dominant-baseline="middle">${escapeHtml(truncate(d.label, maxChars))}</text>` +
          `<rect x="${left}" y="${r(y + 5)}" width="${r(Math.max(w, 1.5))}" height="${row - 10}" rx="3" fill="${colors[i % colors.length]}"/>` +
          `<text class="value" x="${r(left + Math.max(w, 1.5) + 6)}" y="${r(y + row / 2)}" dominant-baseline="middle">${escapeHtml(values[i] ?? "")}</text>` +
          `</g>`
        );
      })
      .join("") +
    `</svg>`
  );
}

/** Vertical bars, one per datum, evenly spaced, with the value above each bar when there is room. */
export function verticalBars(name: string, data: Datum[], unit: string, title: string, width = WIDTH): string {
  const height = 240;
  const [left, right, top, bottom] = [64, width - 16, 28, height - 40];
  const ticks = niceTicks(Math.max(0, ...data.map((d) => d.value)), true);
  const max = ticks[ticks.length - 1];
  const y = (v: number): number => bottom - (Math.max(0, v) / max) * (bottom - top);
  const slot = (right - left) / Math.max(1, data.length);
  const barWidth = Math.min(56, slot * 0.7);
  const every = labelEvery(data.length);
  const showValues = slot >= 34;
  return (
    svgOpen(name, width, height, title) +
    `<text class="unit" x="${left}" y="14">${escapeHtml(unit)}</text>` +
    yAxis(ticks, y, left, right) +
    `<line class="axis" x1="${left}" x2="${right}" y1="${bottom}" y2="${bottom}"/>` +
    data
      .map((d, i) => {
        const cx = left + slot * (i + 0.5);
        const by = y(d.value);
        return (
          `<g class="bar"><title>${escapeHtml(d.tooltip)}</title>` +
          `<rect x="${r(cx - barWidth / 2)}" y="${r(by)}" width="${r(barWidth)}" height="${r(bottom - by)}" rx="3"/>` +
          (showValues
            ? `<text class="value" x="${r(cx)}" y="${r(by - 6)}" text-anchor="middle">${escapeHtml(compactNumber(d.value))}</text>`
            : "") +
          (i % every === 0 || i === data.length - 1
            ? `<text class="xlabel" x="${r(cx)}" y="${bottom + 18}" text-anchor="middle">${escapeHtml(d.label)}</text>`
            : "") +
          `</g>`
        );
      })
      .join("") +
    `<text class="axis-title" x="${(left + right) / 2}" y="${height - 4}" text-anchor="middle">step</text>` +
    `</svg>`
  );
}
