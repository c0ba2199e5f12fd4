// okrbot playground: a small Slack-like page over the fake Slack. It only
// shows what the server rendered from the bot's Block Kit and sends back
// what a person does: commands, clicks, choices, modal submissions.
"use strict";

const $ = (sel, root = document) => root.querySelector(sel);
const $$ = (sel, root = document) => [...root.querySelectorAll(sel)];

const st = {
  user: localStorage.getItem("okrbot-user") || "UANA",
  conv: localStorage.getItem("okrbot-conv") || "",
  tab: localStorage.getItem("okrbot-tab") || "messages",
  state: null,
  modalID: "",
  touched: {}, // view id → block → action → value typed by the person
};

async function api(path, body) {
  const opts = body === undefined ? {} : { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) };
  const r = await fetch(path, opts);
  if (!r.ok) throw new Error(await r.text());
  return r.json();
}

function q(params) {
  return new URLSearchParams({ user: st.user, ...params }).toString();
}

// refresh fetches and draws everything the page shows.
let refreshing = null, again = false;
async function refresh() {
  if (refreshing) { again = true; return refreshing; }
  refreshing = (async () => {
    try {
      st.state = await api("/api/state?" + q({}));
      drawChrome();
      if (st.tab === "home") await drawHome(); else await drawConversation();
      await drawModal();
    } catch (e) {
      showBanner(String(e));
    }
  })();
  await refreshing;
  refreshing = null;
  if (again) { again = false; return refresh(); }
}

function drawChrome() {
  const s = st.state;
  $("#workspace").textContent = s.WorkspaceName + " · okrbot playground";
  const sel = $("#person");
  sel.innerHTML = "";
  for (const p of s.People) {
    const o = document.createElement("option");
    o.value = p.ID;
    o.textContent = `${p.Name} (${p.Workspace}, ${p.Timezone}${p.Admin ? ", admin" : ""})`;
    o.selected = p.ID === st.user;
    sel.append(o);
  }
  $("#clock").textContent = "🕙 " + s.Me.Now;
  const convs = s.Conversations;
  if (!convs.some(c => c.ID === st.conv)) st.conv = s.Latest || convs[0].ID;
  const list = (ul, kinds) => {
    ul.innerHTML = "";
    for (const c of convs.filter(c => kinds.includes(c.Kind))) {
      const li = document.createElement("li");
      const a = document.createElement("a");
      a.href = "#";
      a.dataset.conv = c.ID;
      a.textContent = c.Kind === "dm" ? "okrbot" : (c.Kind === "private" ? "🔒 " : "# ") + c.Name;
      if (st.tab === "messages" && c.ID === st.conv) a.classList.add("active");
      li.append(a);
      ul.append(li);
    }
  };
  list($("#channels"), ["channel", "private"]);
  list($("#dms"), ["dm"]);
  $("#home-tab").classList.toggle("active", st.tab === "home");
  const conv = convs.find(c => c.ID === st.conv);
  $("#title").textContent = st.tab === "home" ? "okrbot · Home" : conv.Kind === "dm" ? "okrbot" : "# " + conv.Name;
  $("#messages").hidden = st.tab === "home";
  $("#home").hidden = st.tab !== "home";
  $("#composer-form").hidden = st.tab === "home";
  $("#composer").placeholder = conv.Kind === "dm" ? "Message okrbot, or /okr …" : `Message #${conv.Name}, or /okr …`;
  if (s.Refused && s.Refused.length) showBanner(s.Refused.join("\n")); else hideBanner();
}

function showBanner(text) {
  const b = $("#banner");
  b.textContent = text;
  b.hidden = false;
}
function hideBanner() { $("#banner").hidden = true; }

async function drawConversation() {
  const msgs = await api("/api/conversation?" + q({ id: st.conv }));
  const box = $("#messages");
  const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  box.innerHTML = "";
  for (const m of msgs || []) box.append(messageEl(m));
  if (atBottom || !box.dataset.conv || box.dataset.conv !== st.conv) box.scrollTop = box.scrollHeight;
  box.dataset.conv = st.conv;
}

function messageEl(m, reply) {
  const el = document.createElement("div");
  el.className = "msg" + (m.Ephemeral ? " ephemeral" : "") + (reply ? " reply" : "");
  el.dataset.msg = "";
  el.dataset.channel = st.conv;
  el.dataset.ts = m.TS;
  const head = document.createElement("div");
  head.className = "msg-head";
  const who = document.createElement("b");
  who.textContent = m.Author || "someone";
  const when = document.createElement("span");
  when.className = "when";
  when.textContent = m.Time + (m.Edited ? " (edited)" : "");
  head.append(who);
  if (m.Bot) { const app = document.createElement("span"); app.className = "app"; app.textContent = "APP"; head.append(app); }
  head.append(when);
  if (m.Ephemeral) { const e = document.createElement("span"); e.className = "only-you"; e.textContent = "Only visible to you"; head.append(e); }
  el.append(head);
  const body = document.createElement("div");
  body.className = "msg-body";
  body.innerHTML = m.HTML || ""; // rendered and escaped by the server
  el.append(body);
  for (const f of m.Files || []) {
    if (!/\.(png|jpe?g|gif)$/i.test(f.Name || "")) { // an export: a download link
      const a = document.createElement("a");
      a.className = "file-link";
      a.href = "/api/file/" + encodeURIComponent(f.ID);
      a.download = f.Name || "";
      a.textContent = "\u{1F4E6} " + (f.Title || f.Name || "file");
      el.append(a);
      continue;
    }
    const img = document.createElement("img");
    img.className = "file";
    img.src = "/api/file/" + encodeURIComponent(f.ID);
    img.alt = f.Alt || f.Title || "";
    img.title = f.Title || "";
    el.append(img);
  }
  if (m.Replies && m.Replies.length) {
    const t = document.createElement("div");
    t.className = "thread";
    const n = document.createElement("div");
    n.className = "thread-count";
    n.textContent = `${m.Replies.length} ${m.Replies.length === 1 ? "reply" : "replies"}`;
    t.append(n);
    for (const r of m.Replies) t.append(messageEl(r, true));
    el.append(t);
  }
  return el;
}

async function drawHome(opened) {
  const v = await api("/api/home?" + q(opened ? { opened: "1" } : {}));
  const box = $("#home");
  if (!v) { box.innerHTML = "<p class=\"muted\">Loading App Home…</p>"; return; }
  box.dataset.view = v.ID;
  box.innerHTML = v.HTML;
}

async function drawModal() {
  const v = await api("/api/modal?" + q({}));
  const overlay = $("#overlay");
  if (!v) { overlay.hidden = true; st.modalID = ""; return; }
  const form = $("#modal");
  const same = st.modalID === v.ID && form.dataset.hash === v.Hash;
  if (same) return; // nothing changed: keep what is being typed
  st.modalID = v.ID;
  form.dataset.view = v.ID;
  form.dataset.hash = v.Hash;
  $("#modal-title").textContent = v.Title;
  $("#modal-body").innerHTML = v.HTML;
  $("#modal-close").textContent = v.Close || "Cancel";
  $("#modal-submit").textContent = v.Submit || "Submit";
  $("#modal-submit").hidden = !v.Submit;
  $("#modal-error").hidden = true;
  restoreTyped(v.ID);
  overlay.hidden = false;
}

// collect reads a modal's inputs as Slack's view state would hold them.
function collect(root) {
  const out = {};
  for (const el of $$("[data-input]", root)) {
    const b = el.dataset.blockId, a = el.dataset.actionId, kind = el.dataset.kind;
    let v;
    if (kind === "radio_buttons") {
      const c = $("input:checked", el);
      v = c ? c.value : "";
    } else if (kind === "checkboxes") {
      v = $$("input:checked", el).map(c => c.value);
    } else if (el.multiple) {
      v = [...el.selectedOptions].map(o => o.value).filter(Boolean);
    } else {
      v = el.value;
    }
    (out[b] = out[b] || {})[a] = v;
  }
  return out;
}

// Slack keeps what a person typed when a view is updated with the same
// block and action ids: so does the page.
function rememberTyped(el) {
  const input = el.closest("[data-input]");
  if (!input || !st.modalID) return;
  const all = collect(input.parentElement);
  const b = input.dataset.blockId, a = input.dataset.actionId;
  const t = (st.touched[st.modalID] = st.touched[st.modalID] || {});
  (t[b] = t[b] || {})[a] = all[b][a];
}

function restoreTyped(viewID) {
  const t = st.touched[viewID] || {};
  for (const el of $$("[data-input]", $("#modal-body"))) {
    const v = (t[el.dataset.blockId] || {})[el.dataset.actionId];
    if (v === undefined) continue;
    const kind = el.dataset.kind;
    if (kind === "radio_buttons" || kind === "checkboxes") {
      for (const c of $$("input", el)) c.checked = Array.isArray(v) ? v.includes(c.value) : c.value === v;
    } else if (el.multiple) {
      for (const o of el.options) o.selected = v.includes(o.value);
    } else {
      el.value = v;
    }
  }
}

async function act(el, value) {
  try {
    await doAct(el, value);
  } catch (e) {
    showBanner("That did not work: " + e.message);
  }
}

async function doAct(el, value) {
  const body = { User: st.user, ActionID: el.dataset.actionId, Value: value };
  const msg = el.closest("[data-msg]");
  const view = el.closest("[data-view]");
  if (msg) { body.Channel = msg.dataset.channel; body.TS = msg.dataset.ts; }
  else if (view) { body.View = view.dataset.view; }
  if (view && view.id === "modal") body.Typed = collect($("#modal-body"));
  const ans = await api("/api/act", body);
  if (ans.Error) showBanner(ans.Error);
}

document.addEventListener("click", async e => {
  const t = e.target;
  if (t.matches("button[data-act]")) { e.preventDefault(); await act(t, t.dataset.value || ""); return; }
  const conv = t.closest("[data-conv]");
  if (conv) { e.preventDefault(); st.tab = "messages"; st.conv = conv.dataset.conv; save(); await refresh(); return; }
  if (t.closest("[data-home]")) { e.preventDefault(); st.tab = "home"; save(); await drawHome(true); await refresh(); return; }
  if (t.matches("[data-jump]")) {
    t.disabled = true;
    try { const ans = await api("/api/clock", { User: st.user, Jump: t.dataset.jump }); if (ans.Error) showBanner(ans.Error); }
    finally { t.disabled = false; }
    await refresh();
    return;
  }
  if (t.matches("img.file")) { const lb = $("#lightbox"); $("img", lb).src = t.src; $("img", lb).alt = t.alt; lb.hidden = false; return; }
  if (t.closest("#lightbox")) { $("#lightbox").hidden = true; return; }
  if (t.id === "modal-close" || t.id === "modal-x") {
    await api("/api/close", { User: st.user, View: st.modalID });
    delete st.touched[st.modalID];
    await refresh();
  }
});

document.addEventListener("change", async e => {
  const t = e.target;
  if (t.matches("select[data-act], input[data-act]")) {
    if (!t.value) return;
    const v = t.value;
    if (t.matches(".bk-overflow")) t.value = "";
    await act(t, v);
    return;
  }
  rememberTyped(t);
});
document.addEventListener("input", e => rememberTyped(e.target));

$("#modal").addEventListener("submit", async e => {
  e.preventDefault();
  for (const el of $$("[data-error-for]", $("#modal-body"))) { el.textContent = ""; }
  $("#modal-error").hidden = true;
  const typed = collect($("#modal-body"));
  const ans = await api("/api/submit", { User: st.user, View: st.modalID, Typed: typed });
  if (ans.Error) { $("#modal-error").textContent = ans.Error; $("#modal-error").hidden = false; return; }
  const errs = ans.Errors || {};
  for (const [block, text] of Object.entries(errs)) {
    const el = $(`[data-error-for="${CSS.escape(block)}"]`, $("#modal-body"));
    if (el) el.textContent = text; else { $("#modal-error").textContent = text; $("#modal-error").hidden = false; }
  }
  if (!Object.keys(errs).length) delete st.touched[st.modalID];
  await refresh();
});

$("#person").addEventListener("change", async e => {
  st.user = e.target.value;
  st.touched = {};
  st.modalID = "";
  save();
  await refresh();
});

const composer = $("#composer");
composer.addEventListener("input", () => {
  const v = composer.value;
  const hint = $("#hint");
  if (v.startsWith("/") && "/okr ".startsWith(v.slice(0, 5)) || v.startsWith("/okr")) {
    hint.textContent = "/okr  " + st.state.UsageHint;
    hint.hidden = false;
  } else {
    hint.hidden = true;
  }
});
$("#composer-form").addEventListener("submit", async e => {
  e.preventDefault();
  const text = composer.value;
  if (!text.trim()) return;
  composer.value = "";
  $("#hint").hidden = true;
  const err = $("#composer-error");
  err.hidden = true;
  const ans = await api("/api/send", { User: st.user, Channel: st.conv, Text: text });
  if (ans.Error) { err.textContent = ans.Error; err.hidden = false; }
  await refresh();
});

function save() {
  localStorage.setItem("okrbot-user", st.user);
  localStorage.setItem("okrbot-conv", st.conv);
  localStorage.setItem("okrbot-tab", st.tab);
}

const events = new EventSource("/api/events");
events.addEventListener("change", () => refresh());

refresh();
