// Charts drawn by uPlot (loaded by the page from its own assets). Each chart's container records what it drew
// (data-series, data-points), so a reader of the page, and the browser tests, can tell a drawn chart from an empty box.
const palette = ["#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#be185d", "#65a30d"];

export const colour = (index) => palette[index % palette.length];

const charts = new Map();

function draw(id, options, data, seriesCount) {
  const target = document.getElementById(id);
  charts.get(id)?.destroy();
  target.replaceChildren();
  const width = Math.max(320, target.clientWidth || 800);
  const chart = new uPlot({ width, height: 260, ...options }, data, target);
  charts.set(id, chart);
  target.dataset.series = String(seriesCount);
  target.dataset.points = String(data.slice(1).reduce((sum, values) => sum + values.filter((v) => v !== null).length, 0));
}

/** Days on x (ISO dates), one line per series: [{ label, values, band: { lower, upper } | undefined }]. */
export function dailyChart(id, dates, lines, { percent = false } = {}) {
  const xs = dates.map((date) => Date.parse(`${date}T00:00:00Z`) / 1000);
  const data = [xs];
  const series = [{}];
  const bands = [];
  lines.forEach((line, index) => {
    const stroke = colour(index);
    data.push(line.values);
    series.push({ label: line.label, stroke, width: 2, spanGaps: false, value: (u, v) => format(v, percent) });
    if (line.band) {
      const lineIndex = series.length - 1;
      data.push(line.band.upper, line.band.lower);
      series.push({ label: `${line.label} 95% high`, stroke, width: 0.5, dash: [4, 4], value: (u, v) => format(v, percent) });
      series.push({ label: `${line.label} 95% low`, stroke, width: 0.5, dash: [4, 4], value: (u, v) => format(v, percent) });
      bands.push({ series: [lineIndex + 1, lineIndex + 2], fill: `${stroke}22` });
    }
  });
  draw(id, {
    series,
    bands,
    axes: [{}, { values: (u, ticks) => ticks.map((t) => format(t, percent)), size: 60 }],
    scales: { x: { time: true } },
  }, data, lines.length);
}

/** One point per model version: nDCG@10 and coverage on the left axis, training seconds on the right, the serving one ringed. */
export function versionsChart(id, versions) {
  const xs = versions.map((_, index) => index);
  const serving = versions.map((v) => (v.current ? v.ndcg : null));
  const data = [xs, versions.map((v) => v.ndcg), versions.map((v) => v.coverage), versions.map((v) => v.seconds), serving];
  draw(id, {
    scales: { x: { time: false }, score: { range: [0, 1] }, seconds: {} },
    series: [
      { label: "version", value: (u, i) => versions[i]?.version ?? "" },
      { label: "nDCG@10", stroke: colour(0), width: 2, scale: "score", points: { show: true } },
      { label: "coverage", stroke: colour(2), width: 2, scale: "score", points: { show: true } },
      { label: "training s", stroke: colour(4), width: 2, dash: [6, 4], scale: "seconds", points: { show: true } },
      { label: "serving", stroke: "#111827", width: 0, scale: "score", paths: () => null, points: { show: true, size: 16, width: 3, fill: "transparent" } },
    ],
    axes: [
      { values: (u, ticks) => ticks.map((t) => (Number.isInteger(t) ? shortVersion(versions[t]?.version) : "")), size: 40 },
      { scale: "score", values: (u, ticks) => ticks.map((t) => t.toFixed(2)) },
      { scale: "seconds", side: 1, values: (u, ticks) => ticks.map((t) => `${t}s`), grid: { show: false } },
    ],
  }, data, 3);
}

const shortVersion = (version) => (version ?? "").slice(0, 13);

function format(value, percent) {
  if (value === null || value === undefined) {
    return "–";
  }
  return percent ? `${(100 * value).toFixed(1)}%` : Number(value).toLocaleString("en", { maximumFractionDigits: 2 });
}
