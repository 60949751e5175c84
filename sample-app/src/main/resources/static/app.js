// kwire sample page: plain JavaScript, no build step. Polls the API every 2 s and drives the three forms.
'use strict';

const POLL_MS = 2000;
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

/** An error carrying the problem detail (RFC 9457) the API answered with. */
class ApiError extends Error {
  constructor(status, problem) {
    super((problem && (problem.detail || problem.title)) || ('HTTP ' + status));
    this.status = status;
    this.problem = problem;
  }
}

async function api(method, path, body) {
  const options = { method, headers: { Accept: 'application/json, application/problem+json' } };
  if (body !== undefined) {
    options.headers['Content-Type'] = 'application/json';
    options.body = JSON.stringify(body);
  }
  const response = await fetch(path, options);
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { /* not JSON */ }
  // The health endpoint answers 503 with a body when the client is DOWN: that is an answer, not an error.
  if (!response.ok && !(path.includes('/actuator/health') && json)) {
    throw new ApiError(response.status, json);
  }
  return json;
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

// ------------------------------------------------------------------------------------------ live view

function renderCluster(cluster) {
  $('#cluster-id').textContent = cluster.clusterId || '(none)';
  $('#controller').textContent = cluster.controller === null || cluster.controller === undefined
    ? '(none)' : 'broker ' + cluster.controller;

  const connections = $('#connections');
  connections.replaceChildren(...Object.entries(cluster.connections || {}).map(([id, state]) =>
    el('span', { class: 'chip' }, Number(id) < 0 ? 'bootstrap ' + id : 'broker ' + id, ' ', pill(state))));
  if (!connections.children.length) connections.textContent = 'none';

  const topics = cluster.topics || [];
  const body = $('#topics-table tbody');
  if (!topics.length) {
    body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 3 }, 'No topics yet: create one below.')));
  } else {
    body.replaceChildren(...topics.map((t) => el('tr', { 'data-topic': t.name },
      el('td', { class: 'mono' }, t.name, t.internal ? ' (internal)' : null, t.error ? ' ' : null,
        t.error ? pill('ERROR') : null),
      el('td', { class: 'mono' }, t.topicId || ''),
      el('td', null, t.partitions.map((p) => el('span', { class: 'part mono', title: 'partition ' + p.partition },
        'p' + p.partition + ': leader ' + p.leader + ' · epoch ' + p.leaderEpoch
        + ' · replicas [' + p.replicas.join(',') + '] · isr [' + p.isr.join(',') + ']'
        + (p.error ? ' · ' + p.error : '')))))));
  }
  $('#topic-names').replaceChildren(...topics.filter((t) => !t.internal).map((t) => el('option', { value: t.name })));
}

function renderBrokers(brokers) {
  const body = $('#brokers-table tbody');
  if (!brokers.length) {
    body.replaceChildren(el('tr', { class: 'empty' }, el('td', { colspan: 6 }, 'No brokers known yet.')));
    return;
  }
  // Keep open API lists open across refreshes.
  const open = new Set([...body.querySelectorAll('details[open]')].map((d) => d.dataset.broker));
  body.replaceChildren(...brokers.map((b) => el('tr', { 'data-broker': b.id },
    el('td', { class: 'mono' }, b.id),
    el('td', { class: 'mono' }, b.host + ':' + b.port),
    el('td', null, b.rack || '—'),
    el('td', null, pill(b.connectionState)),
    el('td', null, b.inferredRelease ? b.inferredRelease + (b.newerThanKnownReleases ? ' or newer' : '') : '—',
      b.error ? el('div', { class: 'result error' }, b.error) : null),
    el('td', null, b.apiVersions.length ? (() => {
      const details = el('details', { 'data-broker': String(b.id) },
        el('summary', null, b.apiVersions.length + ' APIs'),
        el('ul', null, b.apiVersions.map((v) =>
          el('li', null, v.name + ' ', el('span', { class: 'mono' }, 'v' + v.minVersion + '–' + v.maxVersion)))));
      if (open.has(String(b.id))) details.open = true;
      return details;
    })() : '—'))));
}

function renderHealth(health) {
  const status = (health && health.status) || 'UNKNOWN';
  const node = $('#health');
  node.className = 'pill ' + status;
  node.textContent = status;
  const details = (health && health.details) || {};
  node.title = Object.entries(details).map(([k, v]) => k + ': ' + v).join('\n');
}

function renderRequestCount(metric) {
  const count = metric && (metric.measurements || []).find((m) => m.statistic === 'COUNT');
  $('#request-count').textContent = count ? String(Math.round(count.value)) : '0';
}

let polling = false;
async function refresh() {
  if (polling) return;
  polling = true;
  const problems = [];
  const settle = async (promise, render) => {
    try { render(await promise); } catch (e) { problems.push(problemText(e)); }
  };
  await Promise.all([
    settle(api('GET', 'api/cluster'), renderCluster),
    settle(api('GET', 'api/brokers'), renderBrokers),
    settle(api('GET', 'actuator/health/kwire'), renderHealth),
    // 404 until the first request has been timed: show 0 then.
    api('GET', 'actuator/metrics/kwire.client.requests').then(renderRequestCount, () => renderRequestCount(null)),
  ]);
  const banner = $('#banner');
  banner.hidden = problems.length === 0;
  banner.textContent = problems.join(' · ');
  $('#updated').textContent = new Date().toLocaleTimeString();
  polling = false;
}

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
    for (const f of [$('#produce-form'), $('#read-form')]) {
      if (!f.elements.topic.value) f.elements.topic.value = created.name;
    }
    refresh();
  } catch (e) {
    setResult(result, false, problemText(e));
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
    body.replaceChildren(...page.records.map((r) => el('tr',
      { 'data-offset': r.offset, class: r.offset === highlightOffset ? 'fresh' : null },
      el('td', { class: 'mono' }, r.offset),
      el('td', { class: 'mono', title: r.timestampType }, new Date(r.timestamp).toLocaleString()),
      el('td', { class: 'mono record-key' }, r.key === null ? '—' : r.key),
      el('td', { class: 'mono record-value' }, r.value === null ? '(null)' : r.value),
      el('td', { class: 'mono' }, r.headers.map((h) => el('div', null, h.key + '=' + (h.value === null ? '' : h.value)))))));
  } catch (e) {
    nextOffset = null;
    $('#read-next').disabled = true;
    body.replaceChildren();
    setResult(result, false, problemText(e));
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

refresh();
setInterval(refresh, POLL_MS);
