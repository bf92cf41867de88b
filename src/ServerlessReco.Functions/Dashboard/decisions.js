// What a version's record says the retrain decided, in words an operator reads at a glance: the gate's intervals, the
// candidate families' weights the hold-out chose, and whether content earned its place. Shared by the overview's cards
// and the models table, so both say the same.
import { el, number } from "./api.js";

/**
 * A paired comparison as "+0.0012 ± 0.0030": the nDCG@10 difference and the half-width of the gate's interval
 * (standard errors × standard error; without the count, half the interval the record holds).
 */
export const gateInterval = (comparison, standardErrors) => (comparison
  ? `${comparison.difference >= 0 ? "+" : "−"}${number(Math.abs(comparison.difference), 4)} ± ${number(
    standardErrors === undefined ? (comparison.upper - comparison.lower) / 2 : standardErrors * comparison.standardError, 4)}`
  : "–");

const familyNames = { model: "model", neighbors: "session k-NN", category: "category", repeat: "repeat", popularity: "popularity", transitions: "transitions" };

/** The families with a weight, "model 0.5 · session k-NN 2", or "model alone" when nothing else counts. */
export function weights(blend) {
  const weighed = Object.entries(familyNames).filter(([key]) => blend.weights[key] > 0);
  return weighed.length === 1 && weighed[0][0] === "model"
    ? "model alone"
    : weighed.map(([key, name]) => `${name} ${blend.weights[key]}`).join(" · ");
}

/**
 * The blend's headline (the families with a weight), and the record's reason under it: the hold-out figures that chose
 * the weights beside the model alone's, or why none were chosen.
 */
export const blendSummary = (blend) => (blend ? { value: blend.chosen ? weights(blend) : "model alone", detail: blend.reason } : { value: "–", detail: "" });

/** Whether content is used, its interval against the lists without it when it was challenged, and the reason. */
export function contentSummary(content) {
  if (!content) {
    return { value: "off", detail: "" };
  }
  const interval = content.comparison ? ` ${gateInterval(content.comparison)}` : "";
  return { value: `${content.used ? "used" : "not used"}${interval}`, detail: content.reason };
}

/** A table cell of a summary: the headline, the detail under it. */
export const cell = ({ value, detail }, attributes = {}) => el("span", attributes, value, detail ? el("small", { class: "why" }, detail) : null);
