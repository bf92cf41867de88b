// The admin key, the API calls and small DOM helpers. The key lives in this tab's sessionStorage only, and nothing
// here writes to the console: neither the key nor a shopper id may end up in a log or in localStorage.
const keyName = "reco.adminKey";

export class KeyRefused extends Error {}

export const adminKey = {
  get: () => sessionStorage.getItem(keyName),
  set: (key) => sessionStorage.setItem(keyName, key),
  forget: () => sessionStorage.removeItem(keyName),
};

/** GET or POST a manage/ route (relative to /api/dashboard, so under the host's route prefix); JSON back. */
export async function call(path, method = "GET") {
  const key = adminKey.get();
  if (!key) {
    throw new KeyRefused("No admin key yet: paste it above.");
  }
  const response = await fetch(path, { method, headers: { "x-functions-key": key }, cache: "no-store", referrerPolicy: "no-referrer" });
  if (response.status === 401 || response.status === 403) {
    adminKey.forget();
    throw new KeyRefused(`The admin key was refused (HTTP ${response.status}). Paste the Function app's master key ` +
      "(az functionapp keys list --query masterKey); locally, the key of LocalHost:AdminKey.");
  }
  const body = response.headers.get("content-type")?.includes("json") ? await response.json() : null;
  if (!response.ok) {
    const errors = body?.errors?.map((e) => `${e.field}: ${e.message}`).join("; ");
    throw new Error(`${body?.title ?? `HTTP ${response.status}`}${body?.detail ? `: ${body.detail}` : ""}${errors ? ` (${errors})` : ""}`);
  }
  return body;
}

/** An element with attributes and children (strings become text nodes: data is never parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value !== null && value !== undefined && value !== false) {
      element.setAttribute(name, value === true ? "" : String(value));
    }
  }
  for (const child of children.flat(Infinity)) {
    if (child !== null && child !== undefined) {
      element.append(child instanceof Node ? child : String(child));
    }
  }
  return element;
}

/** A table of rows; columns are [heading, row => cell]. */
export function table(columns, rows, attributes = {}) {
  return el("table", attributes,
    el("thead", {}, el("tr", {}, columns.map(([heading]) => el("th", { scope: "col" }, heading)))),
    el("tbody", {}, rows.map((row) => el("tr", {}, columns.map(([, cell]) => el("td", {}, cell(row)))))));
}

export function card(label, value, detail) {
  return el("div", { class: "card" }, el("span", { class: "label" }, label), el("strong", {}, value), detail ? el("small", {}, detail) : null);
}

export function replace(id, ...children) {
  const target = document.getElementById(id);
  target.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined));
  return target;
}

export const number = (value, digits = 0) =>
  value === null || value === undefined ? "–" : Number(value).toLocaleString("en", { maximumFractionDigits: digits, minimumFractionDigits: digits });

export const percent = (value, digits = 1) => `${number(100 * value, digits)}%`;

export const interval = (rate, margin) => `${percent(rate)} ± ${percent(margin)}`;
