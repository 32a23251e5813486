/* global window, EventSource, localStorage, requestAnimationFrame */
/**
 * The emulator's live inspector. Everything comes from the control API under
 * /_emulator/: a snapshot at each (re)connection of the event stream, then the
 * stream's `call`, `delivery` and `request` events. No polling.
 */
import { byId, clock, fill, h, shortId } from './dom.js';

const API = '/_emulator';
const STORAGE_KEY = 'graph-comms-emulator.inspector.callbackUri';
/** How much the page keeps: the newest deliveries and requests (older ones are dropped). */
const MAX_DELIVERIES = 5000;
const MAX_REQUESTS = 2000;
/** How many timeline entries are drawn for one call (the newest). */
const MAX_TIMELINE = 400;
const ENDED = new Set(['terminating', 'terminated']);
const KEYS = [
  ['1', 'tone1'], ['2', 'tone2'], ['3', 'tone3'],
  ['4', 'tone4'], ['5', 'tone5'], ['6', 'tone6'],
  ['7', 'tone7'], ['8', 'tone8'], ['9', 'tone9'],
  ['*', 'star'], ['0', 'tone0'], ['#', 'pound'],
];

const state = {
  info: null,
  /** @type {Map<string, object>} call id → CallSnapshot */
  calls: new Map(),
  /** @type {Map<number, object>} seq → delivery snapshot */
  deliveries: new Map(),
  /** Graph requests as they were answered, each with a local `key`. */
  requests: [],
  requestKey: 0,
  selectedCall: null,
  /** 'd:<seq>' or 'r:<key>': what the body pane shows. */
  selectedItem: null,
  /** Which stream connection the current data belongs to, and what it already told since its hello. */
  generation: 0,
  freshCalls: new Set(),
  freshDeliveries: new Set(),
};

// ---------------------------------------------------------------- the control API

async function api(method, path, body) {
  const response = await fetch(`${API}${path}`, {
    method,
    headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let json = null;
  try {
    json = text === '' ? null : JSON.parse(text);
  } catch {
    json = null;
  }
  if (!response.ok) {
    const error = json && typeof json === 'object' && json.error ? json.error : {};
    throw new Error(`${response.status} ${error.code ?? response.statusText}${error.message ? `: ${error.message}` : ''}`);
  }
  return json;
}

/** Runs a control action from a button: the button waits, the outcome shows in the toast. */
async function act(button, what, action) {
  if (button) button.disabled = true;
  try {
    const result = await action();
    toast(typeof what === 'function' ? what(result) : what);
  } catch (error) {
    toast(`${typeof what === 'string' ? what : 'Action'} failed: ${error instanceof Error ? error.message : String(error)}`, true);
  } finally {
    if (button) button.disabled = false;
    render();
  }
}

let toastTimer;
function toast(message, isError = false) {
  const el = byId('toast');
  el.textContent = message;
  el.dataset.kind = isError ? 'error' : 'info';
  el.hidden = false;
  window.clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (el.hidden = true), isError ? 8000 : 3000);
}

// ---------------------------------------------------------------- the event stream

let source = null;
let reopenDelay = 1000;

function connect() {
  setConnection('connecting', 'connecting…');
  source = new EventSource(`${API}/events`);
  source.addEventListener('hello', (event) => {
    reopenDelay = 1000;
    const hello = parse(event.data);
    if (hello === undefined) return;
    state.info = { ...state.info, ...hello };
    setConnection('live', 'live');
    resync();
  });
  source.addEventListener('call', (event) => {
    const call = parse(event.data);
    if (call === undefined || typeof call.id !== 'string') return;
    state.calls.set(call.id, call);
    state.freshCalls.add(call.id);
    if (state.selectedCall === null) selectCall(call.id, false);
    schedule();
  });
  source.addEventListener('delivery', (event) => {
    const delivery = parse(event.data);
    if (delivery === undefined || typeof delivery.seq !== 'number') return;
    state.deliveries.set(delivery.seq, delivery);
    state.freshDeliveries.add(delivery.seq);
    trim();
    schedule();
  });
  source.addEventListener('request', (event) => {
    const request = parse(event.data);
    if (request === undefined || typeof request.path !== 'string' || request.path.startsWith(`${API}/`)) return;
    state.requestKey += 1;
    state.requests.push({ ...request, key: state.requestKey, callId: requestCallId(request.path) });
    if (state.requests.length > MAX_REQUESTS) state.requests.splice(0, state.requests.length - MAX_REQUESTS);
    schedule();
  });
  source.addEventListener('error', () => {
    // The browser reconnects by itself while readyState is CONNECTING; once CLOSED (the
    // emulator answered something else than a stream), the page opens a new one, backing off.
    if (source.readyState === EventSource.CLOSED) {
      setConnection('offline', `offline, retrying in ${Math.round(reopenDelay / 1000)} s`);
      source.close();
      window.setTimeout(connect, reopenDelay);
      reopenDelay = Math.min(reopenDelay * 2, 30000);
    } else {
      setConnection('reconnecting', 'reconnecting…');
    }
  });
}

function parse(data) {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}

function setConnection(kind, label) {
  const el = byId('connection');
  el.dataset.state = kind;
  el.textContent = label;
}

/**
 * After each hello (first connection, or the emulator came back, maybe restarted): the
 * current calls and deliveries. What the stream told since the hello is newer than or as
 * new as the snapshot, so it wins.
 */
async function resync() {
  state.generation += 1;
  const generation = state.generation;
  state.freshCalls = new Set();
  state.freshDeliveries = new Set();
  try {
    const [info, calls, deliveries] = await Promise.all([api('GET', '/info'), api('GET', '/calls'), api('GET', '/deliveries')]);
    if (generation !== state.generation) return;
    state.info = { ...state.info, ...info };
    const nextCalls = new Map((calls?.calls ?? []).map((c) => [c.id, c]));
    for (const id of state.freshCalls) nextCalls.set(id, state.calls.get(id));
    const nextDeliveries = new Map((deliveries?.deliveries ?? []).map((d) => [d.seq, d]));
    for (const seq of state.freshDeliveries) nextDeliveries.set(seq, state.deliveries.get(seq));
    state.calls = nextCalls;
    state.deliveries = new Map([...nextDeliveries].sort((a, b) => a[0] - b[0]));
    trim();
    const fromHash = new URLSearchParams(window.location.hash.slice(1)).get('call');
    if (fromHash !== null && state.calls.has(fromHash)) state.selectedCall = fromHash;
    else if (state.selectedCall === null || !state.calls.has(state.selectedCall)) state.selectedCall = newestCallId();
    prefillCallback();
    renderInfo();
    render();
  } catch (error) {
    toast(`Could not load the emulator's state: ${error instanceof Error ? error.message : String(error)}`, true);
  }
}

function trim() {
  if (state.deliveries.size <= MAX_DELIVERIES) return;
  const extra = state.deliveries.size - MAX_DELIVERIES;
  let dropped = 0;
  for (const seq of state.deliveries.keys()) {
    if (dropped++ >= extra) break;
    state.deliveries.delete(seq);
  }
}

/** The call a Graph request is about, from its path (`.../calls/{id}/...`). */
function requestCallId(path) {
  const match = /\/calls\/([^/?]+)/.exec(path);
  if (match === null) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return match[1];
  }
}

// ---------------------------------------------------------------- rendering

let scheduled = false;
/** Renders once per frame, however many events came. */
function schedule() {
  if (scheduled) return;
  scheduled = true;
  requestAnimationFrame(() => {
    scheduled = false;
    render();
  });
}

function render() {
  renderCalls();
  renderCall();
  renderBody();
}

function renderInfo() {
  const info = state.info ?? {};
  const item = (term, value) => [h('dt', { text: term }), h('dd', { text: value ?? '—', title: value ?? '' })];
  fill(byId('info'), item('Graph', info.baseUrl), item('app', info.appId), item('tenant', info.tenantId));
}

function newestCallId() {
  let newest = null;
  for (const call of state.calls.values()) if (newest === null || call.createdAt > newest.createdAt) newest = call;
  return newest === null ? null : newest.id;
}

function selectCall(id, userChoice = true) {
  state.selectedCall = id;
  if (userChoice) {
    state.selectedItem = null;
    window.history.replaceState(null, '', `#call=${encodeURIComponent(id)}`);
  }
  schedule();
}

function stateBadge(callState) {
  return h('span', { class: 'state', dataset: { state: callState }, text: callState });
}

function renderCalls() {
  const calls = [...state.calls.values()].sort((a, b) => b.createdAt - a.createdAt);
  byId('call-count').textContent = calls.length === 0 ? '' : String(calls.length);
  byId('no-calls').hidden = calls.length > 0;
  const failuresOf = new Map();
  for (const d of state.deliveries.values()) if (isFailure(d)) failuresOf.set(d.callId, (failuresOf.get(d.callId) ?? 0) + 1);
  fill(
    byId('calls'),
    calls.map((call) => {
      const failures = failuresOf.get(call.id) ?? 0;
      return h(
        'li',
        {},
        h(
          'button',
          {
            type: 'button',
            class: `call-item${call.id === state.selectedCall ? ' selected' : ''}`,
            dataset: { callId: call.id, state: call.state },
            'aria-pressed': call.id === state.selectedCall ? 'true' : 'false',
            onclick: () => selectCall(call.id),
          },
          h('span', { class: 'call-line' }, stateBadge(call.state), h('span', { class: 'call-kind', text: `${call.direction === 'incoming' ? '↘ in' : '↗ out'} · ${call.kind}` })),
          h('span', { class: 'call-line' }, h('code', { class: 'call-id', title: call.id, text: shortId(call.id, 13) }), h('span', { class: 'muted small', text: clock(call.createdAt) })),
          h('span', { class: 'call-line small' }, h('span', { class: 'muted', text: caller(call) }), failures > 0 ? h('span', { class: 'fail-count', text: `${failures} failed` }) : null),
        ),
      );
    }),
  );
}

/** Who called, or whom the bot called, from the call resource. */
function caller(call) {
  const resource = call.resource ?? {};
  if (call.direction === 'incoming') return `from ${identityName(resource.source?.identity) ?? 'someone'}`;
  const targets = Array.isArray(resource.targets) ? resource.targets.map((t) => identityName(t.identity)).filter(Boolean) : [];
  return targets.length > 0 ? `to ${targets.join(', ')}` : call.kind === 'meeting' ? 'meeting' : '';
}

const IDENTITY_KINDS = ['user', 'guest', 'phone', 'application', 'applicationInstance', 'device', 'encrypted', 'acsUser', 'spoolUser', 'onPremises'];

function identityName(identity) {
  if (identity === null || typeof identity !== 'object') return null;
  for (const kind of IDENTITY_KINDS) {
    const who = identity[kind];
    if (who && typeof who === 'object') return who.displayName || (who.id ? `${kind} ${shortId(who.id)}` : kind);
  }
  return null;
}

function identityKind(identity) {
  if (identity === null || typeof identity !== 'object') return '';
  return IDENTITY_KINDS.find((kind) => identity[kind] && typeof identity[kind] === 'object') ?? '';
}

function renderCall() {
  const call = state.selectedCall === null ? undefined : state.calls.get(state.selectedCall);
  byId('empty').hidden = call !== undefined;
  byId('call').hidden = call === undefined;
  if (call === undefined) return;
  const ended = ENDED.has(call.state);
  const info = call.resultInfo;
  fill(
    byId('call-header'),
    h('div', { class: 'call-title' }, stateBadge(call.state), h('h2', {}, h('code', { id: 'call-id', text: call.id }))),
    h(
      'dl',
      { class: 'facts' },
      fact('kind', call.kind),
      fact('direction', call.direction),
      fact('callback', call.callbackUri),
      fact('created', clock(call.createdAt)),
      fact('tones', call.toneSubscribed ? 'subscribed' : 'not subscribed'),
      info ? fact('result', `${info.code ?? ''}/${info.subcode ?? ''} ${info.message ?? ''}`) : null,
    ),
  );
  for (const id of ['end-call', 'participant-add', 'participant-name']) byId(id).disabled = ended;
  for (const key of byId('keypad').querySelectorAll('button')) key.disabled = ended;
  byId('tone-hint').textContent = ended ? 'The call has ended.' : call.toneSubscribed ? 'The bot gets each key as toneInfo.' : 'The bot has not subscribed to tones: keys are not sent.';
  renderRoster(call, ended);
  renderOperations(call);
  renderTimeline(call);
}

function fact(term, value) {
  return h('div', {}, h('dt', { text: term }), h('dd', { text: value ?? '—', title: String(value ?? '') }));
}

function renderRoster(call, ended) {
  const participants = Array.isArray(call.participants) ? call.participants : [];
  byId('roster-count').textContent = String(participants.length);
  const appId = state.info?.appId;
  fill(
    byId('roster'),
    participants.length === 0 ? h('tr', {}, h('td', { colspan: '3', class: 'muted', text: 'Nobody.' })) : null,
    participants.map((p) => {
      const identity = p.info?.identity;
      const isBot = identity?.application?.id !== undefined && identity.application.id === appId;
      const muted = p.isMuted === true;
      return h(
        'tr',
        { dataset: { participantId: p.id, muted: String(muted) } },
        h(
          'td',
          {},
          h('span', { class: 'who', text: identityName(identity) ?? '(no identity)' }),
          isBot ? h('span', { class: 'tag', text: 'bot' }) : null,
          p.isInLobby ? h('span', { class: 'tag', text: 'lobby' }) : null,
          h('br'),
          h('span', { class: 'muted small', title: `participant ${p.id}`, text: `${identityKind(identity)} · ${shortId(p.id)}` }),
        ),
        h('td', {}, h('span', { class: `mute ${muted ? 'is-muted' : 'is-live'}`, text: muted ? 'muted' : 'unmuted' })),
        h(
          'td',
          { class: 'actions' },
          h('button', {
            type: 'button',
            class: 'small-button toggle-mute',
            disabled: ended,
            text: muted ? 'Unmute' : 'Mute',
            onclick: (event) =>
              act(event.currentTarget, `${muted ? 'Unmuted' : 'Muted'} ${identityName(identity) ?? p.id}`, () =>
                api('POST', `/calls/${encodeURIComponent(call.id)}/participants/${encodeURIComponent(p.id)}/mute`, { muted: !muted }),
              ),
          }),
          h('button', {
            type: 'button',
            class: 'small-button remove',
            disabled: ended,
            text: 'Remove',
            onclick: (event) =>
              act(event.currentTarget, `Removed ${identityName(identity) ?? p.id}`, () => api('DELETE', `/calls/${encodeURIComponent(call.id)}/participants/${encodeURIComponent(p.id)}`)),
          }),
        ),
      );
    }),
  );
}

function renderOperations(call) {
  const operations = Array.isArray(call.operations) ? call.operations : [];
  const pending = operations.filter((op) => op.status === 'notStarted' || op.status === 'running');
  const finished = operations.filter((op) => !pending.includes(op));
  const item = (op) =>
    h(
      'li',
      { dataset: { operationId: op.id, status: op.status } },
      h('span', { class: 'op-status', dataset: { status: op.status }, text: op.status }),
      h('strong', { text: op.action }),
      op.clientContext ? h('span', { class: 'muted small', title: op.clientContext, text: ` ${shortId(op.clientContext, 24)}` }) : null,
      op.resultInfo ? h('span', { class: 'small result', text: ` ${op.resultInfo.code}/${op.resultInfo.subcode} ${op.resultInfo.message ?? ''}` }) : null,
    );
  fill(byId('ops-pending'), pending.length === 0 ? h('li', { class: 'muted', text: 'None.' }) : pending.map(item));
  fill(byId('ops-finished'), finished.length === 0 ? h('li', { class: 'muted', text: 'None.' }) : finished.map(item));
}

function deliveriesOf(callId) {
  const out = [];
  for (const d of state.deliveries.values()) if (d.callId === callId) out.push(d);
  return out;
}

/** Did the bot fail to take it (an error status, no answer, or a redelivery)? */
function isFailure(d) {
  return d.state === 'failed' || d.state === 'rejected' || d.attempts.some((a) => a.status === null || a.status >= 300);
}

/** `401 invalid_token`, `503 ×3`, `refused`, `timeout`... for one attempt. */
function attemptText(a) {
  if (a.status !== null && a.status !== undefined) return a.botError ? `${a.status} ${a.botError}` : String(a.status);
  if (a.error === 'ECONNREFUSED') return 'refused';
  return a.error ?? 'no answer';
}

function deliveryStatus(d) {
  if (d.dropped) return 'dropped';
  const attempts = Array.isArray(d.attempts) ? d.attempts : [];
  if (attempts.length === 0) return d.state;
  const last = attemptText(attempts[attempts.length - 1]);
  return attempts.length > 1 ? `${last} ×${attempts.length}` : last;
}

/** One line about what a notification says: `updated established`, `roster updated: 2`, `playPrompt completed`. */
function deliverySummary(d) {
  const value = Array.isArray(d.body?.value) ? d.body.value : [];
  return value
    .map((n) => {
      const data = n.resourceData;
      if (d.kind === 'roster') {
        const list = Array.isArray(data) ? data : [];
        return `roster ${n.changeType}: ${list.map((p) => identityName(p.info?.identity) ?? p.id).join(', ') || 'nobody'}`;
      }
      if (d.kind === 'operation') {
        const type = typeof data?.['@odata.type'] === 'string' ? data['@odata.type'].replace('#microsoft.graph.', '').replace(/Operation$/, '') : 'operation';
        return `${type} ${data?.status ?? n.changeType}`;
      }
      const tone = data?.toneInfo?.tone ? ` · key ${data.toneInfo.tone}` : '';
      return `call ${n.changeType}${data?.state ? ` ${data.state}` : ''}${tone}`;
    })
    .join('; ');
}

/** The Graph request that created the call (POST .../calls has no id in its path): same callbackUri, close in time. */
function creationRequest(call) {
  if (call.direction !== 'outgoing') return undefined;
  return state.requests.find(
    (r) => r.callId === null && r.method === 'POST' && r.status === 201 && /\/calls\/?$/.test(r.path) && r.body?.callbackUri === call.callbackUri && Math.abs(r.time - call.createdAt) < 2000,
  );
}

function renderTimeline(call) {
  const entries = [];
  for (const d of deliveriesOf(call.id)) entries.push({ time: d.time, order: 0, key: `d:${d.seq}`, delivery: d });
  const created = creationRequest(call);
  for (const r of state.requests) if (r.callId === call.id || r === created) entries.push({ time: r.time, order: 1, key: `r:${r.key}`, request: r });
  entries.sort((a, b) => a.time - b.time || a.order - b.order);
  const shown = entries.slice(-MAX_TIMELINE);
  fill(
    byId('timeline'),
    entries.length > shown.length ? h('li', { class: 'muted small', text: `${entries.length - shown.length} earlier entries not shown` }) : null,
    shown.length === 0 ? h('li', { class: 'muted', text: 'Nothing yet.' }) : null,
    shown.map((entry) => (entry.delivery ? deliveryRow(entry) : requestRow(entry))),
  );
}

function deliveryRow({ key, delivery: d }) {
  const failed = isFailure(d);
  return h(
    'li',
    { class: `entry delivery${failed ? ' failure' : ''}${key === state.selectedItem ? ' selected' : ''}`, dataset: { seq: d.seq, state: d.state, key } },
    h(
      'button',
      { type: 'button', class: 'entry-button', onclick: () => selectItem(key) },
      h('span', { class: 'time', text: clock(d.time) }),
      h('span', { class: 'dir', title: 'notification to the bot', text: '→' }),
      h('span', { class: 'kind', text: d.kind }),
      h('span', { class: 'summary', text: deliverySummary(d) }),
      d.duplicate ? h('span', { class: 'tag', text: 'duplicate' }) : null,
      h('span', { class: 'delivery-status', dataset: { state: d.state }, text: deliveryStatus(d) }),
    ),
  );
}

function requestRow({ key, request: r }) {
  const failed = r.status >= 400;
  return h(
    'li',
    { class: `entry request${failed ? ' failure' : ''}${key === state.selectedItem ? ' selected' : ''}`, dataset: { key } },
    h(
      'button',
      { type: 'button', class: 'entry-button', onclick: () => selectItem(key) },
      h('span', { class: 'time', text: clock(r.time) }),
      h('span', { class: 'dir', title: "the bot's request to Graph", text: '←' }),
      h('span', { class: 'kind', text: r.method }),
      h('span', { class: 'summary', title: r.path, text: graphPath(r.path) }),
      h('span', { class: 'http-status', dataset: { ok: String(!failed) }, text: String(r.status) }),
    ),
  );
}

/** `/v1.0/communications/calls/{id}/answer` → `…/answer`, for the selected call's timeline. */
function graphPath(path) {
  const match = /\/calls\/[^/]+(\/.*)?$/.exec(path);
  if (match === null) return path;
  return match[1] ? `…${match[1]}` : '…/calls/{id}';
}

function selectItem(key) {
  state.selectedItem = key;
  schedule();
}

function renderBody() {
  const meta = byId('body-meta');
  const pre = byId('body');
  const key = state.selectedItem;
  if (key === null) {
    fill(meta, 'Click a notification or a request.');
    pre.textContent = '';
    return;
  }
  if (key.startsWith('d:')) {
    const d = state.deliveries.get(Number(key.slice(2)));
    if (d === undefined) return;
    fill(
      meta,
      h('p', {}, h('strong', { text: `Notification #${d.seq}` }), ` ${d.kind} · ${d.state}${d.duplicate ? ' · duplicate' : ''}`),
      h('p', { class: 'small', title: d.url, text: `POST ${d.url}` }),
      h(
        'table',
        { class: 'attempts' },
        h('thead', {}, h('tr', {}, h('th', { text: 'attempt' }), h('th', { text: 'at' }), h('th', { text: 'answer' }), h('th', { text: 'ms' }))),
        h(
          'tbody',
          {},
          d.attempts.length === 0 ? h('tr', {}, h('td', { colspan: '4', class: 'muted', text: d.dropped ? 'dropped by a fault' : 'not sent yet' })) : null,
          d.attempts.map((a, i) =>
            h(
              'tr',
              { class: a.status !== null && a.status < 300 ? '' : 'failure' },
              h('td', { text: String(i + 1) }),
              h('td', { text: clock(a.at) }),
              h('td', { text: attemptText(a) + (a.redirectedTo ? ` → ${a.redirectedTo}` : '') }),
              h('td', { text: String(a.latencyMs) }),
            ),
          ),
        ),
      ),
    );
    pre.textContent = JSON.stringify(d.body, null, 2);
    return;
  }
  const r = state.requests.find((x) => `r:${x.key}` === key);
  if (r === undefined) return;
  fill(meta, h('p', {}, h('strong', { text: `${r.method} ${r.status}` }), ` at ${clock(r.time)}`), h('p', { class: 'small', text: r.path }));
  pre.textContent = r.body === undefined ? '(no body)' : JSON.stringify(r.body, null, 2);
}

// ---------------------------------------------------------------- controls

function storedCallback() {
  try {
    return localStorage.getItem(STORAGE_KEY) ?? '';
  } catch {
    return '';
  }
}

function storeCallback(url) {
  try {
    localStorage.setItem(STORAGE_KEY, url);
  } catch {
    // Storage may be off (private windows); the field still holds the URL.
  }
}

/** The last URL used, or else the callbackUri of the newest call. */
function prefillCallback() {
  const input = byId('incoming-url');
  if (input.value !== '') return;
  const newest = newestCallId();
  input.value = storedCallback() || (newest === null ? '' : state.calls.get(newest).callbackUri);
}

function selected() {
  return state.selectedCall === null ? undefined : state.calls.get(state.selectedCall);
}

function setUpControls() {
  byId('incoming-url').value = storedCallback();
  byId('incoming-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const callbackUri = byId('incoming-url').value.trim();
    const displayName = byId('incoming-name').value.trim();
    const kind = byId('incoming-kind').value;
    storeCallback(callbackUri);
    const body = { callbackUri, kind, ...(displayName === '' ? {} : { from: { displayName } }) };
    act(byId('incoming-submit'), (call) => `Incoming call ${shortId(call?.id ?? '', 13)} placed`, async () => {
      const call = await api('POST', '/calls/incoming', body);
      if (call && typeof call.id === 'string') {
        if (!state.calls.has(call.id)) state.calls.set(call.id, call);
        selectCall(call.id);
      }
      return call;
    });
  });

  byId('participant-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const call = selected();
    if (call === undefined) return;
    const input = byId('participant-name');
    const displayName = input.value.trim();
    act(byId('participant-add'), `Added ${displayName || 'a participant'}`, async () => {
      const result = await api('POST', `/calls/${encodeURIComponent(call.id)}/participants`, displayName === '' ? {} : { displayName });
      input.value = '';
      return result;
    });
  });

  byId('end-call').addEventListener('click', (event) => {
    const call = selected();
    if (call === undefined) return;
    act(event.currentTarget, 'Call ended', () => api('POST', `/calls/${encodeURIComponent(call.id)}/end`, {}));
  });

  fill(
    byId('keypad'),
    KEYS.map(([label, tone]) =>
      h('button', {
        type: 'button',
        class: 'key',
        dataset: { tone },
        title: tone,
        text: label,
        onclick: (event) => {
          const call = selected();
          if (call === undefined) return;
          act(
            event.currentTarget,
            (result) => (result?.sequenceId == null ? `Key ${label} pressed: not sent (no subscribeToTone yet)` : `Key ${label} sent (sequence ${result.sequenceId})`),
            () => api('POST', `/calls/${encodeURIComponent(call.id)}/tones`, { tone }),
          );
        },
      }),
    ),
  );

  window.addEventListener('hashchange', () => {
    const id = new URLSearchParams(window.location.hash.slice(1)).get('call');
    if (id !== null && state.calls.has(id)) selectCall(id, false);
  });
}

setUpControls();
renderInfo();
render();
connect();
