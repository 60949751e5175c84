// kwire sample page: plain JavaScript, no build step.
//
// Four sources refresh on their own timers and never wait on one another: the client's health (the kwire health
// indicator), the brokers as the client sees them, the cluster's metadata, and the request count. The banner is
// made from what they last said, so the badge, the broker rows and the banner agree within one refresh. The live
// view follows a partition over server-sent events.
'use strict';

const POLL_MS = 2000;
/** A refresh that takes longer than this is abandoned and counted as a failure; the next one starts on time. */
const REQUEST_TIMEOUT_MS = 5000;
const LIVE_ROWS = 200;
const $ = (selector) => document.querySelector(selector);

/** Creates an element; children may be strings (as text, never HTML), nodes, or null. */
function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined) continue;
    if (name === 'class') node.className = value;
    else node.setAttribute(name, value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

/** A table cell with the column's name, which narrow screens show beside the value (see .stack in app.css). */
function td(label, attrs, ...children) {
  return el('td', Object.assign({ 'data-label': label }, attrs || {}), ...children);
}

/** An error carrying the problem detail (RFC 9457) the API answered with. */
class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

/**
 * One HTTP request with a deadline. Answers the parsed JSON; throws an ApiError for an error status, unless
 * acceptErrorBody is set and the answer has a JSON body (the health endpoint answers DOWN with a 503 and a body).
 */
async function api(method, path, body, acceptErrorBody) {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), REQUEST_TIMEOUT_MS);
  const options = { method, signal: abort.signal, headers: { Accept: 'application/json, application/problem+json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  try {
    const response = await fetch(path, options);
    const text = await response.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
    if (!response.ok && !(acceptErrorBody && json)) {
      throw new ApiError(response.status, json);
    }
    return json;
  } catch (e) {
    if (e.name === 'AbortError') throw new Error('the app did not answer within ' + REQUEST_TIMEOUT_MS / 1000 + ' s');
    if (e instanceof TypeError) throw new Error('the app cannot be reached (' + e.message + ')');
    throw e;
  } finally {
    clearTimeout(timer);
  }
}

function setResult(node, ok, message) {
  node.className = 'result ' + (ok ? 'ok' : 'error');
  node.textContent = message;
}

function problemText(error) {
  const p = error.problem;
  if (p && p.title && p.detail) return p.title + ' (' + error.status + '): ' + p.detail;
  return error.message;
}

function pill(state) {
  return el('span', { class: 'pill ' + state }, state);
}

// ------------------------------------------------------------------------------------------ sources and banner

/**
 * What each source's last refresh failed with ({text, unreachable}), or null. The banner is drawn from these and the
 * health status; while health says DOWN, "no broker reachable" answers of the API would only repeat it.
 */
const sources = {};
let healthStatus = 'UNKNOWN';
let healthReason = null;

function setSource(name, problem) {
  sources[name] = problem;
  renderBanner();
}

function renderBanner() {
  const lines = [];
  if (healthStatus === 'DOWN') {
    lines.push('Kafka is unreachable: ' + (healthReason || 'the client has no working connection')
      + '. The client keeps reconnecting; this page shows the last known state.');
  }
  for (const problem of Object.values(sources)) {
    if (!problem || (problem.unreachable && healthStatus === 'DOWN') || lines.includes(problem.text)) continue;
    lines.push(problem.text);
  }
  const banner = $('#banner');
  banner.hidden = lines.length === 0;
  banner.replaceChildren(...lines.map((line) => el('div', null, line)));
}

/** Runs one source's refresh every POLL_MS, each after the previous one ended: sources never wait on each other. */
function poll(name, refresh) {
  const run = async () => {
    try {
      await refresh();
      setSource(name, null);
    } catch (e) {
      setSource(name, {
        text: e instanceof ApiError ? problemText(e) : e.message,
        unreachable: e instanceof ApiError && e.status === 503 && e.problem && e.problem.exception === 'NoBrokersAvailableException',
      });
    }
    $('#updated').textContent = new Date().toLocaleTimeString();
    setTimeout(run, POLL_MS);
  };
  run();
}

// ------------------------------------------------------------------------------------------ health

async function refreshHealth() {
  let health;
  try {
    health = await api('GET', 'actuator/health/kwire', undefined, true);
  } catch (e) {
    renderHealth({ status: 'UNKNOWN', details: { reason: e.message } });
    throw e;
  }
  renderHealth(health);
}

function renderHealth(health) {
  const status = (health && health.status) || 'UNKNOWN';
  const details = (health && health.details) || {};
  healthStatus = status;
  healthReason = details.reason || details.lastError || null;
  const node = $('#health');
  node.className = 'pill ' + status;
  node.textContent = status;
  node.title = Object.entries(details).map(([k, v]) => k + ': ' + v).join('\n');
  renderBanner();
}

// ------------------------------------------------------------------------------------------ brokers

/** The broker rows and the connection chips both come from the client's cached state, in one refresh. */
async function refreshBrokers() {
  const [brokers, connections] = await Promise.all([api('GET', 'api/brokers'), api('GET', 'api/connections')]);
  renderBrokers(brokers);
  renderConnections(connections);
}

function renderConnections(connections) {
  const node = $('#connections');
  node.replaceChildren(...Object.entries(connections || {}).map(([id, state]) =>
    el('span', { class: 'chip nowrap' }, Number(id) < 0 ? 'bootstrap ' + id : 'broker ' + id, ' ', pill(state))));
  if (!node.children.length) node.textContent = 'none';
}

function renderBrokers(brokers) {
  const body = $('#brokers-table tbody');
  if (!brokers.length) {
    body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 6 }, 'No brokers known yet.')));
    return;
  }
  // Keep open API lists open across refreshes.
  const open = new Set([...body.querySelectorAll('details[open]')].map((d) => d.dataset.broker));
  body.replaceChildren(...brokers.map((b) => el('tr', { 'data-broker': b.id, 'data-state': b.connectionState },
    td('Id', { class: 'mono' }, b.id),
    td('Address', { class: 'mono' }, el('span', { class: 'nowrap' }, b.host + ':' + b.port)),
    td('Rack', null, b.rack || '—'),
    td('Connection', null, pill(b.connectionState)),
    td('Kafka release', null, b.inferredRelease ? b.inferredRelease + (b.newerThanKnownReleases ? ' or newer' : '') : '—',
      b.error ? el('div', { class: 'result error' }, b.error) : null),
    td('APIs', null, b.apiVersions.length ? (() => {
      const details = el('details', { 'data-broker': String(b.id) },
        el('summary', null, b.apiVersions.length + ' APIs'),
        el('ul', null, b.apiVersions.map((v) =>
          el('li', null, v.name + ' ', el('span', { class: 'mono nowrap' }, 'v' + v.minVersion + '–' + v.maxVersion)))));
      if (open.has(String(b.id))) details.open = true;
      return details;
    })() : '—'))));
}

// ------------------------------------------------------------------------------------------ cluster and topics

async function refreshCluster() {
  let cluster;
  try {
    cluster = await api('GET', 'api/cluster');
  } catch (e) {
    $('#topics-age').textContent = lastClusterTime ? '(last known, ' + lastClusterTime + ')' : '';
    for (const id of ['#cluster-id', '#controller']) $(id).classList.add('stale');
    throw e;
  }
  lastClusterTime = new Date().toLocaleTimeString();
  $('#topics-age').textContent = '';
  for (const id of ['#cluster-id', '#controller']) $(id).classList.remove('stale');
  renderCluster(cluster);
}
let lastClusterTime = null;

function renderCluster(cluster) {
  $('#cluster-id').textContent = cluster.clusterId || '(none)';
  $('#controller').textContent = cluster.controller === null || cluster.controller === undefined
    ? '(none)' : 'broker ' + cluster.controller;

  const topics = cluster.topics || [];
  const body = $('#topics-table tbody');
  if (!topics.length) {
    body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 3 }, 'No topics yet: create one below.')));
  } else {
    body.replaceChildren(...topics.map((t) => el('tr', { 'data-topic': t.name },
      td('Name', { class: 'mono' }, t.name, t.internal ? ' (internal)' : null, t.error ? ' ' : null,
        t.error ? pill('ERROR') : null),
      td('Topic id', { class: 'mono' }, el('span', { class: 'nowrap' }, t.topicId || '')),
      td('Partitions', null, t.partitions.map((p) => el('span', { class: 'part mono', title: 'partition ' + p.partition },
        'p' + p.partition + ': leader ' + p.leader + ' · epoch ' + p.leaderEpoch
        + ' · replicas [' + p.replicas.join(',') + '] · isr [' + p.isr.join(',') + ']'
        + (p.error ? ' · ' + p.error : '')))))));
  }
  $('#topic-names').replaceChildren(...topics.filter((t) => !t.internal).map((t) => el('option', { value: t.name })));
}

async function refreshRequestCount() {
  let metric = null;
  try {
    metric = await api('GET', 'actuator/metrics/kwire.client.requests');
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e; // 404 until the first request has been timed
  }
  const count = metric && (metric.measurements || []).find((m) => m.statistic === 'COUNT');
  $('#request-count').textContent = count ? String(Math.round(count.value)) : '0';
}

// ------------------------------------------------------------------------------------------ records

function recordRow(r, highlight) {
  return el('tr', { 'data-offset': r.offset, class: highlight ? 'fresh' : null },
    td('Offset', { class: 'mono' }, r.offset),
    td('Time', { class: 'mono', title: r.timestampType }, new Date(r.timestamp).toLocaleString()),
    td('Key', { class: 'mono record-key' }, r.key === null ? '—' : r.key),
    td('Value', { class: 'mono record-value' }, r.value === null ? '(null)' : r.value),
    td('Headers', { class: 'mono' }, r.headers.length
      ? r.headers.map((h) => el('div', null, h.key + '=' + (h.value === null ? '' : h.value))) : '—'));
}

// ------------------------------------------------------------------------------------------ live view

const live = { source: null, topic: null, partition: null, from: null, next: null, retry: null, offsets: new Set() };

function showLiveStatus(state, detail) {
  const status = $('#follow-status');
  status.dataset.state = state;
  status.replaceChildren(pill(state), ' ', el('span', { class: 'detail' }, detail));
}

function liveDetail(s) {
  const where = s.topic + '-' + s.partition;
  switch (s.state) {
    case 'LIVE':
      return 'Following ' + where + (s.leader >= 0 ? ' on broker ' + s.leader : '') + ': next offset ' + s.nextOffset
        + ', high watermark ' + s.highWatermark + (s.detail ? ' (' + s.detail + ')' : '') + '.';
    case 'RECONNECTING':
      return 'Reconnecting to ' + where + ' (records resume at offset ' + (s.nextOffset >= 0 ? s.nextOffset : '?')
        + '): ' + (s.detail || 'waiting for the broker');
    case 'FAILED':
      return 'Stopped following ' + where + ': ' + (s.detail || 'failed');
    default:
      return 'Starting to follow ' + where + '…';
  }
}

function openStream(from) {
  const url = 'api/topics/' + encodeURIComponent(live.topic) + '/partitions/' + live.partition
    + '/follow?from=' + encodeURIComponent(from);
  const source = new EventSource(url);
  live.source = source;
  source.addEventListener('status', (event) => {
    const s = JSON.parse(event.data);
    if (s.nextOffset >= 0) live.next = s.nextOffset;
    showLiveStatus(s.state, liveDetail(s));
    if (s.state === 'FAILED') closeStream();
  });
  source.addEventListener('record', (event) => {
    const r = JSON.parse(event.data);
    live.next = r.offset + 1;
    addLiveRecord(r);
  });
  source.onerror = () => {
    if (live.source !== source) return;
    // The app itself is out of reach (restarting, or the stream timed out): reopen where the records stopped.
    closeStream();
    showLiveStatus('RECONNECTING', 'Reconnecting to the app to follow ' + live.topic + '-' + live.partition + '…');
    live.retry = setTimeout(() => openStream(live.next !== null ? String(live.next) : live.from), 1000);
  };
}

function closeStream() {
  if (live.source) live.source.close();
  live.source = null;
  clearTimeout(live.retry);
}

function addLiveRecord(r) {
  if (live.offsets.has(r.offset)) return;
  live.offsets.add(r.offset);
  const body = $('#live-table tbody');
  const empty = body.querySelector('tr.empty');
  if (empty) empty.remove();
  body.prepend(recordRow(r, true));
  while (body.rows.length > LIVE_ROWS) body.lastElementChild.remove();
}

$('#follow-form').addEventListener('submit', (event) => {
  event.preventDefault();
  const form = event.target;
  closeStream();
  live.topic = form.elements.topic.value.trim();
  live.partition = Number(form.elements.partition.value);
  live.from = form.elements.from.value;
  live.next = null;
  live.offsets = new Set();
  $('#live-table tbody').replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 5 }, 'No records yet.')));
  showLiveStatus('STARTING', 'Starting to follow ' + live.topic + '-' + live.partition + '…');
  $('#follow-stop').disabled = false;
  openStream(live.from);
});

$('#follow-stop').addEventListener('click', () => {
  closeStream();
  $('#follow-stop').disabled = true;
  showLiveStatus('STOPPED', 'Stopped following ' + live.topic + '-' + live.partition + '.');
});

// ------------------------------------------------------------------------------------------ forms

$('#create-topic-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const result = $('#create-topic-result');
  const body = {
    name: form.elements.name.value.trim(),
    partitions: Number(form.elements.partitions.value),
    replicationFactor: Number(form.elements.replicationFactor.value),
  };
  try {
    const created = await api('POST', 'api/topics', body);
    setResult(result, true, 'Created topic ' + created.name + ' with ' + created.partitions + ' partition(s).');
    for (const f of [$('#produce-form'), $('#read-form'), $('#follow-form')]) {
      if (!f.elements.topic.value) f.elements.topic.value = created.name;
    }
  } catch (e) {
    setResult(result, false, e instanceof ApiError ? problemText(e) : e.message);
  }
});

function parseHeaders(text) {
  const headers = {};
  for (const line of text.split('\n').map((l) => l.trim()).filter((l) => l)) {
    const eq = line.indexOf('=');
    if (eq <= 0) throw new Error('Headers: "' + line + '" is not name=value');
    headers[line.slice(0, eq).trim()] = line.slice(eq + 1);
  }
  return headers;
}

$('#produce-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  const result = $('#produce-result');
  const topic = form.elements.topic.value.trim();
  const partition = Number(form.elements.partition.value);
  try {
    const record = { key: form.elements.key.value === '' ? null : form.elements.key.value, value: form.elements.value.value,
      headers: parseHeaders(form.elements.headers.value) };
    const produced = await api('POST', 'api/topics/' + encodeURIComponent(topic) + '/partitions/' + partition
      + '/records', [record]);
    setResult(result, true, 'Produced to ' + topic + '-' + partition + ' at offset ' + produced.baseOffset + '.');
    // Read it back: show the last few records up to and including the new one.
    const read = $('#read-form');
    read.elements.topic.value = topic;
    read.elements.partition.value = partition;
    read.elements.offset.value = Math.max(0, produced.baseOffset - 9);
    await readRecords(produced.baseOffset);
  } catch (e) {
    setResult(result, false, e instanceof ApiError ? problemText(e) : e.message);
  }
});

let nextOffset = null;

async function readRecords(highlightOffset) {
  const form = $('#read-form');
  const result = $('#read-result');
  const topic = form.elements.topic.value.trim();
  const partition = Number(form.elements.partition.value);
  const query = new URLSearchParams({ offset: form.elements.offset.value, maxRecords: form.elements.maxRecords.value });
  const body = $('#records-table tbody');
  try {
    const page = await api('GET', 'api/topics/' + encodeURIComponent(topic) + '/partitions/' + partition
      + '/records?' + query);
    nextOffset = page.nextOffset;
    $('#read-next').disabled = false;
    setResult(result, true, page.records.length + ' record(s) from ' + topic + '-' + partition + ' at offset '
      + page.offset + '; high watermark ' + page.highWatermark + ', next offset ' + page.nextOffset + '.');
    if (!page.records.length) {
      body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 5 }, 'No records at this offset.')));
      return;
    }
    body.replaceChildren(...page.records.map((r) => recordRow(r, r.offset === highlightOffset)));
  } catch (e) {
    nextOffset = null;
    $('#read-next').disabled = true;
    body.replaceChildren();
    setResult(result, false, e instanceof ApiError ? problemText(e) : e.message);
  }
}

$('#read-form').addEventListener('submit', (event) => {
  event.preventDefault();
  readRecords(null);
});

$('#read-next').addEventListener('click', () => {
  if (nextOffset === null) return;
  $('#read-form').elements.offset.value = nextOffset;
  readRecords(null);
});

poll('health', refreshHealth);
poll('brokers', refreshBrokers);
poll('cluster', refreshCluster);
poll('requests', refreshRequestCount);
