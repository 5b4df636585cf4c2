/* LADO Intake web chat. No framework, no build step, no third-party code.
 *
 * Talks to the JSON API documented in docs/chat-api.md: starts a conversation, then
 * sends messages over a WebSocket (falling back to HTTP POST, and to polling the
 * stored turns after a network error). Replies are added to a role="log" live region
 * so screen readers announce them. Everything is rendered with textContent.
 */
(function () {
  "use strict";

  var STORE = "lado-chat";
  var log = document.getElementById("chat-log");
  if (!log) { return; }
  var form = document.getElementById("chat-form");
  var input = document.getElementById("chat-input");
  var count = document.getElementById("chat-count");
  var choices = document.getElementById("chat-choices");
  var statusLine = document.getElementById("chat-status");
  var startPanel = document.getElementById("chat-start");
  var startButton = document.getElementById("start-button");
  var sendButton = document.getElementById("send-button");
  var resumeForm = document.getElementById("resume-form");
  var resumeError = document.getElementById("resume-error");
  var section = document.querySelector(".chat");
  var limit = parseInt(section && section.getAttribute("data-text-limit"), 10) || 5000;

  var session = null;   // {id, token}
  var ws = null;
  var wsReady = false;
  var waiting = false;
  var lastTurn = 0;

  function el(tag, className, text) {
    var node = document.createElement(tag);
    if (className) { node.className = className; }
    if (text !== undefined && text !== null) { node.textContent = text; }
    return node;
  }

  function setStatus(text) { statusLine.textContent = text || ""; }

  function save() {
    try {
      if (session) { sessionStorage.setItem(STORE, JSON.stringify(session)); }
      else { sessionStorage.removeItem(STORE); }
    } catch (e) { /* private mode: the conversation still works, it just is not kept */ }
  }

  function load() {
    try { return JSON.parse(sessionStorage.getItem(STORE) || "null"); } catch (e) { return null; }
  }

  function addMine(text) {
    var item = el("li", "me");
    item.appendChild(el("span", "who", "You"));
    item.appendChild(el("p", "text", text));
    log.appendChild(item);
  }

  function renderSummary(item, summary) {
    item.appendChild(el("h3", null, "Check your answers"));
    var list = el("dl", "summary chat-summary");
    summary.forEach(function (row) {
      var div = el("div", "summary-row");
      div.appendChild(el("dt", null, row.label));
      var dd = el("dd", null, row.answer + " ");
      var change = el("button", "link-button", "Change");
      change.type = "button";
      change.appendChild(el("span", "visually-hidden", " " + row.label));
      change.addEventListener("click", function () {
        send(row.change, null, "Change " + row.label.toLowerCase());
      });
      dd.appendChild(change);
      div.appendChild(dd);
      list.appendChild(div);
    });
    item.appendChild(list);
  }

  function renderTurn(turn) {
    lastTurn = Math.max(lastTurn, turn.turn || 0);
    var item = el("li", turn.urgent ? "bot urgent" : "bot");
    if (turn.expects) { item.setAttribute("data-expects", turn.expects); }
    item.setAttribute("data-step", turn.step || "");
    item.appendChild(el("span", "who", "LADO Intake"));
    var summaryShown = false;
    turn.messages.forEach(function (message) {
      if (turn.summary && turn.summary.length && message.indexOf("Please check your answers") === 0) {
        renderSummary(item, turn.summary);
        summaryShown = true;
        return;
      }
      item.appendChild(el("p", "text", message));
    });
    if (turn.summary && turn.summary.length && !summaryShown) { renderSummary(item, turn.summary); }
    if (turn.done && turn.reference) {
      var ref = el("p", "text");
      ref.appendChild(document.createTextNode("Your reference: "));
      ref.appendChild(el("strong", "reference", turn.reference));
      item.appendChild(ref);
    }
    log.appendChild(item);
    renderChoices(turn);
  }

  function renderChoices(turn) {
    choices.textContent = "";
    var list = (turn.choices || []).slice();
    var buttons = [];
    list.forEach(function (choice) {
      var b = el("button", "button", choice.label);
      b.type = "button";
      b.addEventListener("click", function () { send(choice.value, null, choice.label); });
      buttons.push(b);
    });
    if (turn.done || turn.ended) {
      var again = el("button", "button", "Start a new report");
      again.type = "button";
      again.addEventListener("click", restart);
      buttons.push(again);
    }
    buttons.forEach(function (b) { choices.appendChild(b); });
    choices.hidden = buttons.length === 0;
  }

  function showComposer() {
    startPanel.hidden = true;
    form.hidden = false;
  }

  function showStart() {
    startPanel.hidden = false;
    form.hidden = true;
    choices.hidden = true;
  }

  function busy(on) {
    waiting = on;
    sendButton.disabled = on;
    setStatus(on ? "Sending…" : "");
  }

  function api(method, path, body) {
    var headers = {"Accept": "application/json"};
    if (body !== undefined) { headers["Content-Type"] = "application/json"; }
    if (session) { headers["Authorization"] = "Bearer " + session.token; }
    return fetch(path, {
      method: method, headers: headers, credentials: "same-origin",
      body: body === undefined ? undefined : JSON.stringify(body)
    }).then(function (response) {
      return response.json().catch(function () { return {}; }).then(function (data) {
        if (!response.ok) {
          var error = new Error(data.error || "The request failed.");
          error.status = response.status;
          throw error;
        }
        return data;
      });
    });
  }

  function forget(message) {
    session = null;
    save();
    if (ws) { ws.close(); ws = null; }
    wsReady = false;
    showStart();
    setStatus(message);
  }

  function connect() {
    if (!("WebSocket" in window) || !session) { return; }
    var scheme = location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + location.host + "/api/chat/conversations/" +
      encodeURIComponent(session.id) + "/ws");
    ws = socket;
    socket.onopen = function () { socket.send(JSON.stringify({type: "auth", token: session.token})); };
    socket.onmessage = function (event) {
      var data;
      try { data = JSON.parse(event.data); } catch (e) { return; }
      if (data.type === "ready") { wsReady = true; return; }
      if (data.type === "turn") { busy(false); renderTurn(data.turn); refocus(); return; }
      if (data.type === "error") {
        busy(false);
        if (data.status === 401) { forget(data.error); return; }
        setStatus(data.error);
      }
    };
    socket.onclose = function () {
      if (ws === socket) { ws = null; wsReady = false; }
      if (waiting) { catchUp(0); }
    };
  }

  function refocus() {
    if (!form.hidden && document.activeElement !== input &&
        (document.activeElement === document.body || !document.body.contains(document.activeElement))) {
      input.focus();
    }
  }

  function catchUp(attempt) {
    if (!session) { return; }
    api("GET", "/api/chat/conversations/" + encodeURIComponent(session.id) + "/turns?after=" + lastTurn)
      .then(function (data) {
        if (data.turns.length) {
          busy(false);
          data.turns.forEach(function (t) {
            renderTurn({turn: t.turn, messages: [t.text], choices: []});
          });
          renderChoices(data.current);
        } else if (attempt < 5) {
          setTimeout(function () { catchUp(attempt + 1); }, 2000);
        } else {
          busy(false);
          setStatus("We could not reach the service. Your messages are saved; please try again.");
        }
      })
      .catch(function (error) {
        if (error.status === 401) { forget(error.message); return; }
        if (attempt < 5) { setTimeout(function () { catchUp(attempt + 1); }, 2000); }
        else { busy(false); setStatus(error.message); }
      });
  }

  function send(text, value, shown) {
    if (!session || waiting) { return; }
    if (text && text.length > limit) {
      setStatus("Your message is longer than " + limit.toLocaleString("en-GB") + " characters.");
      return;
    }
    addMine(shown || text);
    choices.textContent = "";
    choices.hidden = true;
    busy(true);
    var message = {text: text || ""};
    if (value) { message.value = value; }
    if (ws && wsReady && ws.readyState === WebSocket.OPEN) {
      message.type = "message";
      ws.send(JSON.stringify(message));
      refocus();
      return;
    }
    api("POST", "/api/chat/conversations/" + encodeURIComponent(session.id) + "/messages", message)
      .then(function (data) { busy(false); renderTurn(data.turn); refocus(); })
      .catch(function (error) {
        if (error.status === 401) { forget(error.message); return; }
        if (error.status) { busy(false); setStatus(error.message); return; }
        catchUp(0);
      });
    refocus();
  }

  function begin(data) {
    session = {id: data.conversation_id, token: data.token};
    save();
    log.textContent = "";
    lastTurn = 0;
    showComposer();
    renderTurn(data.turn);
    connect();
    input.focus();
  }

  function start() {
    setStatus("Starting…");
    startButton.disabled = true;
    api("POST", "/api/chat/conversations", {})
      .then(function (data) { setStatus(""); begin(data); })
      .catch(function (error) { setStatus(error.message); })
      .then(function () { startButton.disabled = false; });
  }

  function restart() { forget(""); start(); }

  function restore(saved) {
    session = saved;
    api("GET", "/api/chat/conversations/" + encodeURIComponent(saved.id) + "/turns")
      .then(function (data) {
        showComposer();
        data.turns.slice(0, -1).forEach(function (t) {
          renderTurn({turn: t.turn, messages: [t.text], choices: []});
        });
        renderTurn(data.current);
        connect();
      })
      .catch(function () { forget(""); });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value.trim();
    if (!text) { setStatus("Type a message first."); input.focus(); return; }
    input.value = "";
    updateCount();
    send(text, null, text);
  });

  input.addEventListener("keydown", function (event) {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit ? form.requestSubmit() : form.dispatchEvent(new Event("submit"));
    }
  });

  function updateCount() {
    count.textContent = input.value.length.toLocaleString("en-GB") + " of " +
      limit.toLocaleString("en-GB") + " characters";
  }
  input.addEventListener("input", updateCount);

  startButton.addEventListener("click", start);

  resumeForm.addEventListener("submit", function (event) {
    event.preventDefault();
    resumeError.textContent = "";
    var reference = document.getElementById("resume-reference").value.trim();
    var code = document.getElementById("resume-code").value.trim();
    if (!reference || !code) { resumeError.textContent = "Enter your reference and code."; return; }
    session = null;
    api("POST", "/api/chat/resume", {reference: reference, code: code})
      .then(begin)
      .catch(function (error) { resumeError.textContent = error.message; });
  });

  var saved = load();
  if (saved && saved.id && saved.token) { restore(saved); } else { showStart(); }
})();
