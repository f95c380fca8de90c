import type { PilotReport } from "./report";

/** Renders the report as one self-contained HTML page (placeholder until the charts land). */
export function renderHtml(report: PilotReport): string {
  const escape = (s: string): string => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  return `<!doctype html><html><head><meta charset="utf-8"><title>Digital tenge pilot</title></head><body><pre>${escape(JSON.stringify(report, null, 2))}</pre></body></html>\n`;
}
