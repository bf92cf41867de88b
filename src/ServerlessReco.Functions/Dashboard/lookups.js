// The views about one thing: a shopper, an item, the model versions (with promote and rollback).
import { call, el, number, replace, table } from "./api.js";
import { dailyChart } from "./charts.js";
import { blendSummary, cell, contentSummary, gateInterval } from "./decisions.js";

const listColumns = [
  ["#", (item) => String(item.rank)],
  ["Item", (item) => el("span", {}, item.title ?? item.itemId, el("small", { class: "id" }, ` ${item.itemId}`))],
  ["Reason", (item) => el("span", { class: `reason ${item.reasonKind}` }, item.reason)],
  ["Slot", (item) => el("span", { class: `slot ${item.slotKind}` }, item.slotKind)],
  // A long-tail explore slot's propensity can be well under 0.001: three significant digits, not three decimals.
  ["Propensity", (item) => Number(item.propensity).toPrecision(3)],
];

function list(answer, attributes) {
  const items = answer.items.map((item, index) => ({ ...item, rank: index + 1 }));
  return [
    el("p", { class: "note" }, `${answer.source}${answer.modelVersion ? ` ${answer.modelVersion}` : ""}, ${answer.policy ?? ""}`),
    table(listColumns, items, attributes),
  ];
}

export async function shopper(userId) {
  const answer = await call(`manage/users/${encodeURIComponent(userId)}`);
  replace("shopper-list", list(answer.recommendations, { "data-list": "now" }));
  replace("shopper-greedy", list(answer.withoutExploration, { "data-list": "greedy" }));
  replace("shopper-events", answer.recentEvents.length === 0
    ? el("p", { class: "note" }, "No recent events: a newcomer gets trending and new arrivals.")
    : table([
      ["When (UTC)", (e) => e.timestamp.replace("T", " ").slice(0, 19)],
      ["Type", (e) => e.type],
      ["Item", (e) => e.itemId],
      ["From list", (e) => e.recommendationId ?? ""],
    ], answer.recentEvents));
}

export async function item(itemId) {
  const answer = await call(`manage/items/${encodeURIComponent(itemId)}`);
  const record = answer.item;
  replace("item-record", el("dl", {},
    ["itemId", "title", "category", "price", "available", "createdAt"].map((field) => [el("dt", {}, field), el("dd", {}, String(record[field] ?? "–"))]),
    el("dt", {}, "tags"), el("dd", {}, (record.tags ?? []).join(", ") || "–"),
    el("dt", {}, "trending rank in category"), el("dd", {}, answer.trend.trendingRank ? `#${answer.trend.trendingRank}` : "not in the top 100")));
  replace("item-similar", table(listColumns.slice(0, 3), answer.similar.map((s, index) => ({ ...s, rank: index + 1 }))));
  document.getElementById("item-trend-title").textContent =
    `Events per day: ${record.itemId} beside its category (${answer.trend.category ?? "none"})`;
  dailyChart("item-chart", answer.trend.perDay.map((d) => d.date), [
    { label: record.itemId, values: answer.trend.perDay.map((d) => d.item) },
    { label: `category ${answer.trend.category ?? "(none)"}`, values: answer.trend.perDay.map((d) => d.category) },
  ]);
}

/** The chosen kind, and under it every kind fitted on the hold-out with its nDCG@10 when auto chose among several. */
function kind(metrics) {
  const candidates = metrics?.modelCandidates ?? [];
  return cell({
    value: metrics?.modelKind ?? "",
    detail: candidates.length > 1 ? `of ${candidates.map((c) => `${c.modelKind} ${number(c.scores.ndcg, 4)}`).join(", ")}` : "",
  });
}

/** The versions table; <paramref name="promote"/> asks for confirmation and makes a version serve. */
export async function models(promote) {
  const answer = await call("manage/models");
  replace("models-table", table([
    ["Version", (v) => el("code", {}, v.version)],
    ["Trained (UTC)", (v) => (v.metrics?.trainedAt ?? "").replace("T", " ").slice(0, 19)],
    ["Kind", (v) => kind(v.metrics)],
    ["nDCG@10", (v) => number(v.metrics?.scores?.ndcg, 4)],
    ["Coverage", (v) => number(v.metrics?.scores?.coverage, 3)],
    ["Training s", (v) => number(v.metrics?.trainingSeconds, 1)],
    ["Δ nDCG vs champion", (v) => gateInterval(v.metrics?.gate?.againstChampion, v.metrics?.gate?.standardErrors)],
    ["Δ nDCG vs popularity", (v) => gateInterval(v.metrics?.gate?.againstPopularity, v.metrics?.gate?.standardErrors)],
    ["Gate", (v) => (v.metrics ? `${v.metrics.passedGate ? "passed" : "kept back"}: ${v.metrics.gateReason ?? ""}` : "")],
    ["Blend", (v) => cell(blendSummary(v.metrics?.blend), { "data-blend": "" })],
    ["Content", (v) => cell(contentSummary(v.metrics?.content), { "data-content": "" })],
    ["Serving", (v) => (v.current
      ? el("strong", { class: "serving" }, "serving")
      : el("button", { type: "button", "data-promote": v.version, disabled: !v.complete }, "Make it serve"))],
  ], answer.versions, { "data-current": answer.current?.version ?? "" }));
  for (const button of document.querySelectorAll("#models-table button[data-promote]")) {
    button.addEventListener("click", () => promote(button.dataset.promote, answer.current?.version));
  }
}
