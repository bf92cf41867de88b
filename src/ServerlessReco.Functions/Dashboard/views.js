// The overview and exploration views: figures of the whole shop.
import { call, card, el, interval, number, percent, replace, table } from "./api.js";
import { dailyChart, versionsChart } from "./charts.js";
import { blendSummary, contentSummary, gateInterval } from "./decisions.js";

export async function overview() {
  const [activity, models, limits] = await Promise.all([call("manage/activity?days=30"), call("manage/models"), call("manage/limits")]);
  const dates = activity.perDay.map((d) => d.date);
  const types = Object.keys(activity.perDay[0]?.events ?? {}).filter((type) => activity.perDay.some((d) => d.events[type] > 0));
  const total = activity.perDay.reduce((sum, d) => sum + Object.values(d.events).reduce((a, b) => a + b, 0), 0);
  const serving = models.versions.find((v) => v.current);
  replace("overview-cards",
    card("Events, 30 days", number(total)),
    card("Active shoppers", number(activity.activeShoppers), "at least one event in 30 days"),
    card("Active items", number(activity.activeItems)),
    card("Catalogue", number(activity.catalogue.items), `${number(activity.catalogue.unavailable)} unavailable`),
    card("Serving model", models.current?.version ?? "none (popularity)", models.current?.reason ?? ""),
    card("Gate decision", serving?.metrics ? (serving.metrics.passedGate ? "passed" : "kept back") : "–", serving?.metrics?.gateReason ?? ""),
    ...decisionCards(serving?.metrics),
    refusalsCard(limits));
  document.getElementById("events-chart").dataset.total = String(total);
  dailyChart("events-chart", dates, types.map((type) => ({ label: type, values: activity.perDay.map((d) => d.events[type]) })));
  const versions = [...models.versions].reverse().filter((v) => v.metrics?.scores).map((v) => ({
    version: v.version,
    current: v.current,
    ndcg: v.metrics.scores.ndcg,
    coverage: v.metrics.scores.coverage,
    seconds: v.metrics.trainingSeconds,
  }));
  versionsChart("models-chart", versions);
}

/** Beside the gate's decision, what the serving version's record says: its interval, its blend, whether content is used. */
function decisionCards(metrics) {
  if (!metrics) {
    return [];
  }
  const gate = metrics.gate;
  const blend = blendSummary(metrics.blend);
  const content = contentSummary(metrics.content);
  return [
    card("Δ nDCG@10 vs popularity", gateInterval(gate?.againstPopularity, gate?.standardErrors),
      gate?.againstChampion ? `vs champion ${gateInterval(gate.againstChampion, gate.standardErrors)}` : "paired per hold-out user"),
    card("Candidate families", blend.value, blend.detail),
    card("Content", content.value, content.detail),
  ];
}

/** Requests the rate limits refused, as counted where they were refused: by this instance since it started, not the app's. */
function refusalsCard(limits) {
  const one = (name, limit) => `${name} ${number(limit.refused)} (${limit.perMinute > 0 ? `${number(limit.perMinute)}/min` : "off"})`;
  const since = limits.since.replace("T", " ").slice(0, 16);
  return card("Rate-limit refusals", number(limits.shopperTokens.refused + limits.clientAddresses.refused),
    `${one("shopper tokens", limits.shopperTokens)}, ${one("client addresses", limits.clientAddresses)}; this instance, since ${since} UTC`);
}

export async function exploration() {
  const [timeline, report] = await Promise.all([call("manage/exploration/daily?days=14"), call("manage/exploration?days=14")]);
  replace("exploration-cards",
    card("Policy", report.policy, `serving rate ${report.explore}`),
    rateCard(report),
    newItemsCard(report.adaptiveRate?.newItems),
    card("Logged slots, 14 days", number(report.loggedSlots)),
    card("Catalogue shown", percent(timeline.shareShown), `${number(timeline.itemsShown)} of ${number(timeline.catalogueItems)} items`),
    card("Unattributed rewards", number(report.online.unattributedRewards), "cite a list but match no slot"));
  const dates = timeline.perDay.map((d) => d.date);
  const keys = [...new Set(timeline.perDay.flatMap((d) => d.rows.filter((r) => r.slotKind !== "all").map((r) => `${r.policy} · ${r.slotKind}`)))].sort();
  const rowOf = (day, key) => day.rows.find((r) => `${r.policy} · ${r.slotKind}` === key && r.impressions > 0);
  const lines = (rate, margin) => keys.map((key) => ({
    label: key,
    values: timeline.perDay.map((d) => rowOf(d, key)?.[rate] ?? null),
    band: {
      lower: timeline.perDay.map((d) => (rowOf(d, key) ? Math.max(0, rowOf(d, key)[rate] - rowOf(d, key)[margin]) : null)),
      upper: timeline.perDay.map((d) => (rowOf(d, key) ? Math.min(1, rowOf(d, key)[rate] + rowOf(d, key)[margin]) : null)),
    },
  }));
  dailyChart("ctr-chart", dates, lines("clickThroughRate", "clickThroughRateMargin"), { percent: true });
  dailyChart("conversion-chart", dates, lines("conversionRate", "conversionRateMargin"), { percent: true });
  replace("online-table", table([
    ["Policy", (r) => r.policy],
    ["Slots", (r) => r.slotKind],
    ["Lists", (r) => number(r.lists)],
    ["Impressions", (r) => number(r.impressions)],
    ["Click-through (95%)", (r) => interval(r.clickThroughRate, r.clickThroughRateMargin)],
    ["Add to cart", (r) => percent(r.addToCartRate)],
    ["Conversion", (r) => percent(r.conversionRate, 2)],
  ], report.online.rows));
  replace("estimates-table", table([
    ["Exploration rate", (e) => el("span", {}, number(e.explore, 2), e.explore === report.explore ? " (serving)" : "")],
    ["IPS ± s.e.", (e) => `${percent(e.ips.value)} ± ${percent(e.ips.standardError)}`],
    ["Self-normalised IPS ± s.e.", (e) => `${percent(e.selfNormalisedIps.value)} ± ${percent(e.selfNormalisedIps.standardError)}`],
    ["Effective sample size", (e) => `${number(e.ips.effectiveSampleSize)} of ${number(e.ips.count)}`],
  ], report.estimates));
  const choice = report.adaptiveRate;
  replace("adaptive-reason", choice ? `${choice.reason} (${number(choice.slots)} logged slots; bounds ${choice.minimum}–${choice.maximum}, cost allowed ${percent(choice.cost)})` : "The rate does not adapt: the configured rate serves.");
  replace("adaptive-table", choice?.evidence?.length ? table([
    ["Exploration rate", (e) => el("span", {}, number(e.explore, 2), e.explore === choice.rate ? " (chosen)" : "", e.explore === choice.previousRate ? " (before)" : "")],
    ["Clicks per slot (SNIPS)", (e) => percent(e.value)],
    ["Δ vs the rate before (95%)", (e) => `${percent(e.gain, 2)} ± ${percent(1.96 * e.gainStandardError, 2)}`],
    ["IPS", (e) => percent(e.ips)],
    ["Effective sample size", (e) => number(e.effectiveSampleSize)],
  ], [...(choice.exploitation ? [choice.exploitation] : []), ...choice.evidence]) : null);
}

/** The rate lists are served at: the one the serving version's retrain chose, or the configured one. */
function rateCard(report) {
  const choice = report.adaptiveRate;
  return card("Exploration rate", number(report.explore, 2),
    choice ? `chosen at retrain (was ${number(choice.previousRate, 2)}, bounds ${choice.minimum}–${choice.maximum})` : `configured (${report.configuredExplore})`);
}

/** The promise that every new item reaches a list on its first day, as the serving version's retrain measured it. */
function newItemsCard(promise) {
  return promise ? card("New items shown on their first day", percent(promise.share), `${number(promise.shownWithinADay)} of ${number(promise.items)} created in the period`) : null;
}
