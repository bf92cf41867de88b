// The dashboard's shell: the admin key, the views and the status line. Views load when shown, again after the key
// changes or a promotion; a refused key is said plainly and forgotten.
import { adminKey, call, KeyRefused } from "./api.js";
import { item, models, shopper } from "./lookups.js";
import { exploration, overview } from "./views.js";

const status = document.getElementById("status");
const loaders = { overview, exploration, models: () => models(askToPromote), shopper: null, item: null };
const loaded = new Set();
let current = "overview";

function say(message, kind = "info") {
  status.textContent = message;
  status.className = kind;
}

async function run(view, work) {
  const section = document.getElementById(view);
  section.dataset.state = "loading";
  try {
    await work();
    section.dataset.state = "ready";
    say(`Loaded ${view}.`);
  } catch (error) {
    section.dataset.state = "error";
    say(error.message, error instanceof KeyRefused ? "refused" : "error");
    if (error instanceof KeyRefused) {
      loaded.clear();
    }
  }
}

async function show(view) {
  current = view;
  for (const button of document.querySelectorAll("#views button")) {
    button.setAttribute("aria-pressed", String(button.dataset.view === view));
  }
  for (const section of document.querySelectorAll("main section")) {
    section.hidden = section.id !== view;
  }
  if (loaders[view] && !loaded.has(view) && adminKey.get()) {
    loaded.add(view);
    await run(view, loaders[view]);
  }
}

async function askToPromote(version, serving) {
  const dialog = document.getElementById("confirm-promote");
  document.getElementById("confirm-text").textContent =
    `Make ${version} serve instead of ${serving ?? "nothing"}? Every instance switches within its check interval.`;
  dialog.returnValue = "";
  dialog.showModal();
  await new Promise((resolve) => dialog.addEventListener("close", resolve, { once: true }));
  if (dialog.returnValue !== "confirm") {
    say(`Nothing changed: ${serving ?? "no version"} still serves.`);
    return;
  }
  await run("models", async () => {
    const pointer = await call(`manage/models/${encodeURIComponent(version)}/promote`, "POST");
    loaded.delete("overview");
    await models(askToPromote);
    say(`${pointer.version} serves now (it replaced ${pointer.previousVersion ?? "nothing"}).`);
  });
  if (document.getElementById("models").dataset.state === "ready") {
    say(`${version} serves now (it replaced ${serving ?? "nothing"}).`);
  }
}

document.getElementById("key-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const input = document.getElementById("admin-key");
  if (input.value.trim() === "") {
    say("Paste the admin key first.", "refused");
    return;
  }
  adminKey.set(input.value.trim());
  input.value = "";
  loaded.clear();
  await show(current);
});

document.getElementById("forget-key").addEventListener("click", () => {
  adminKey.forget();
  loaded.clear();
  say("The key is forgotten. Paste it again to load the figures.");
});

for (const button of document.querySelectorAll("#views button")) {
  button.addEventListener("click", () => show(button.dataset.view));
}

for (const [form, input, view, load] of [["shopper-form", "shopper-id", "shopper", shopper], ["item-form", "item-id", "item", item]]) {
  document.getElementById(form).addEventListener("submit", (event) => {
    event.preventDefault();
    const id = document.getElementById(input).value.trim();
    if (id) {
      run(view, () => load(id));
    }
  });
}

show(current);
