// The call-analytics dashboard: a client of the public API, nothing more. The key is kept in
// sessionStorage (this tab only) and sent in the Authorization header; never in an address, a
// cookie or a log line. Every value from the API is written with textContent, never as HTML.
'use strict';

(() => {
  const KEY = 'call-analytics.api-key';
  const $ = (id) => document.getElementById(id);
  const state = {granularity: 'day', cursors: [null], page: 0, search: null, chart: null, lastFocus: null};

  // ---- the API -------------------------------------------------------------------------------

  class ApiError extends Error {
    constructor(status, message) {
      super(message);
      this.status = status;
    }
  }

  async function api(path, params) {
    const response = await fetch(url(path, params), {headers: {Authorization: 'Bearer ' + sessionStorage.getItem(KEY)}});
    let body = null;
    try {
      body = await response.json();
    } catch (e) {
      // not JSON: answered below by the status alone
    }
    if (!response.ok || !body || body.success !== true) {
      throw new ApiError(response.status, body && body.message ? body.message : 'The server answered ' + response.status);
    }
    return body.data;
  }

  function url(path, params) {
    const query = new URLSearchParams();
    for (const [name, value] of Object.entries(params || {})) {
      if (value !== undefined && value !== null && String(value).trim() !== '') {
        query.set(name, String(value).trim());
      }
    }
    const text = query.toString();
    return text ? path + '?' + text : path;
  }

  // ---- signing in ----------------------------------------------------------------------------

  function showSignIn(message) {
    $('main').hidden = true;
    $('sign-out').hidden = true;
    $('sign-in').hidden = false;
    const error = $('key-error');
    error.hidden = !message;
    error.textContent = message || '';
    $('api-key').value = '';
    $('api-key').focus();
  }

  /** Shows the dashboard of the key, then its latest calls; or the sign-in form again, saying why not. */
  async function signIn(key) {
    sessionStorage.setItem(KEY, key);
    try {
      await refresh();
    } catch (e) {
      sessionStorage.removeItem(KEY);
      if (e instanceof ApiError && e.status === 401) {
        showSignIn('That API key was not accepted: ' + e.message + '. Check it and paste it again.');
      } else if (e instanceof ApiError && e.status === 403) {
        showSignIn('That key cannot read analytics: ' + e.message + '.');
      } else {
        showSignIn('The dashboard could not be loaded: ' + e.message);
      }
      return;
    }
    $('sign-in').hidden = true;
    $('main').hidden = false;
    $('sign-out').hidden = false;
    await search(true);
  }

  // ---- the analytics -------------------------------------------------------------------------

  function rangeParams() {
    return {start_date: $('start-date').value, end_date: $('end-date').value, timezone: $('timezone').value};
  }

  async function refresh() {
    const range = rangeParams();
    const [dashboard, assistants, numbers] = await Promise.all([
      api('/analytics/dashboard', range),
      api('/analytics/calls/by-assistant', range),
      api('/analytics/calls/by-phone-number', range)]);
    showTotals(dashboard);
    showRows($('assistants-table'), assistants.assistants, (a) => [a.assistant_name || a.assistant_id, a.total_calls,
      a.total_duration_minutes, a.avg_duration_minutes]);
    showRows($('numbers-table'), numbers.phone_numbers, (n) => [n.phone_number, n.total_calls, n.total_duration_minutes,
      n.avg_duration_minutes]);
    fillAssistants(assistants.assistants);
    await showTime();
    $('error').hidden = true;
    $('status').textContent = 'Dashboard updated';
  }

  function showTotals(d) {
    $('total-calls').textContent = number(d.total_calls);
    $('total-minutes').textContent = number(d.total_duration_minutes);
    $('total-hours').textContent = number(d.total_duration_hours);
    $('avg-minutes').textContent = number(d.avg_duration_minutes);
    $('calls-today').textContent = number(d.calls_today);
    $('calls-week').textContent = number(d.calls_this_week);
    $('calls-month').textContent = number(d.calls_this_month);
    $('range-label').textContent = d.date_range.start_date.slice(0, 10) + ' to ' + d.date_range.end_date.slice(0, 10)
      + (d.timezone ? ' (' + d.timezone + ')' : '');
  }

  async function showTime() {
    const data = await api('/analytics/calls/by-time', Object.assign(rangeParams(), {granularity: state.granularity, fill: 'zero'}));
    const series = data.time_series;
    showRows($('time-table'), series, (b) => [b.date, b.total_calls, b.total_duration_minutes]);
    const labels = series.map((b) => b.date);
    const calls = series.map((b) => b.total_calls);
    const minutes = series.map((b) => Number(b.total_duration_minutes));
    if (typeof Chart === 'undefined') {
      return; // the table above holds the same figures
    }
    if (state.chart) {
      state.chart.data.labels = labels;
      state.chart.data.datasets[0].data = calls;
      state.chart.data.datasets[1].data = minutes;
      state.chart.update();
      return;
    }
    state.chart = new Chart($('chart'), {
      data: {
        labels,
        datasets: [
          {type: 'bar', label: 'Calls', data: calls, backgroundColor: '#0b5cad', yAxisID: 'calls'},
          {type: 'line', label: 'Minutes', data: minutes, borderColor: '#a4161a', backgroundColor: '#a4161a', yAxisID: 'minutes'}]
      },
      options: {
        maintainAspectRatio: false,
        animation: false,
        interaction: {mode: 'index', intersect: false},
        scales: {
          calls: {type: 'linear', position: 'left', beginAtZero: true, title: {display: true, text: 'Calls'}},
          minutes: {type: 'linear', position: 'right', beginAtZero: true, grid: {drawOnChartArea: false},
            title: {display: true, text: 'Minutes'}}
        }
      }
    });
  }

  function showRows(table, items, cells) {
    const body = table.tBodies[0];
    body.replaceChildren();
    for (const item of items) {
      const row = body.insertRow();
      cells(item).forEach((value, i) => {
        const cell = i === 0 ? document.createElement('th') : document.createElement('td');
        if (i === 0) {
          cell.scope = 'row';
        } else {
          cell.className = 'num';
        }
        cell.textContent = i === 0 ? String(value) : number(value);
        row.appendChild(cell);
      });
    }
    if (items.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = table.tHead.rows[0].cells.length;
      cell.textContent = 'No calls in this range.';
    }
  }

  function number(value) {
    if (value === null || value === undefined) {
      return '–';
    }
    const [whole, fraction] = String(value).split('.');
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
    return fraction === undefined ? grouped : grouped + '.' + fraction;
  }

  function fillAssistants(assistants) {
    const select = $('f-assistant');
    const chosen = select.value;
    select.replaceChildren(new Option('Any', ''));
    for (const a of assistants) {
      select.add(new Option(a.assistant_name || a.assistant_id, a.assistant_id));
    }
    select.value = chosen;
  }

  // ---- call search ---------------------------------------------------------------------------

  function searchParams() {
    const params = {};
    for (const element of $('search').elements) {
      if (element.name) {
        params[element.name] = element.value;
      }
    }
    params.timezone = $('timezone').value;
    return params;
  }

  async function search(fromStart) {
    if (fromStart) {
      state.search = searchParams();
      state.cursors = [null];
      state.page = 0;
    }
    const error = $('search-error');
    try {
      const data = await api('/calls', Object.assign({}, state.search, {limit: 20, cursor: state.cursors[state.page]}));
      error.hidden = true;
      showCalls(data.calls);
      state.cursors.length = state.page + 1;
      if (data.next) {
        state.cursors.push(data.next);
      }
      $('prev').disabled = state.page === 0;
      $('next').disabled = !data.next;
      $('page-label').textContent = 'Page ' + (state.page + 1);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        sessionStorage.removeItem(KEY);
        showSignIn('Your API key is no longer accepted: ' + e.message + '.');
        return;
      }
      error.textContent = e.message;
      error.hidden = false;
    }
  }

  function showCalls(calls) {
    const body = $('results').tBodies[0];
    body.replaceChildren();
    for (const call of calls) {
      const row = body.insertRow();
      row.dataset.room = call.room_name;
      const started = document.createElement('th');
      started.scope = 'row';
      started.textContent = call.started_at.replace('T', ' ').replace('.000Z', '').replace('Z', '');
      row.appendChild(started);
      for (const value of [call.assistant_name || call.assistant_id, call.to_number || '–', call.call_status]) {
        row.insertCell().textContent = value;
      }
      for (const value of [call.call_duration_minutes, call.call_cost]) {
        const cell = row.insertCell();
        cell.className = 'num';
        cell.textContent = number(value);
      }
      const open = document.createElement('button');
      open.type = 'button';
      open.className = 'link';
      open.textContent = 'Transcript';
      open.setAttribute('aria-label', 'Transcript of the call of ' + started.textContent);
      open.addEventListener('click', () => openPanel(call, open));
      row.insertCell().appendChild(open);
    }
    if (calls.length === 0) {
      const cell = body.insertRow().insertCell();
      cell.colSpan = 7;
      cell.textContent = 'No calls match.';
    }
  }

  function openPanel(call, opener) {
    state.lastFocus = opener;
    $('panel-title').textContent = 'Call ' + call.room_name;
    const details = $('call-details');
    details.replaceChildren();
    for (const [label, value] of [['Assistant', call.assistant_name || call.assistant_id], ['To', call.to_number],
      ['Status', call.call_status + (call.call_status_reason ? ' (' + call.call_status_reason + ')' : '')],
      ['SIP', call.sip_status_code ? call.sip_status_code + ' ' + (call.sip_status_text || '') : null],
      ['Started', call.started_at], ['Answered', call.answered_at], ['Ended', call.ended_at],
      ['Minutes', call.call_duration_minutes], ['Cost', call.call_cost], ['Recording', call.recording_path]]) {
      const term = document.createElement('dt');
      term.textContent = label;
      const description = document.createElement('dd');
      description.textContent = value === null || value === undefined ? '–' : String(value);
      details.append(term, description);
    }
    const list = $('transcript');
    list.replaceChildren();
    for (const line of call.transcripts) {
      const item = document.createElement('li');
      if (line.matched) {
        item.className = 'matched';
      }
      const speaker = document.createElement('span');
      speaker.className = 'speaker';
      speaker.textContent = (line.speaker || 'unknown') + ':';
      item.append(speaker, document.createTextNode(line.text || ''));
      if (line.matched) {
        const tag = document.createElement('span');
        tag.className = 'tag';
        tag.textContent = '(matches)';
        item.appendChild(tag);
      }
      list.appendChild(item);
    }
    if (call.transcripts.length === 0) {
      list.appendChild(Object.assign(document.createElement('li'), {textContent: 'No transcript.'}));
    }
    $('panel').hidden = false;
    $('close-panel').focus();
  }

  function closePanel() {
    $('panel').hidden = true;
    if (state.lastFocus) {
      state.lastFocus.focus();
    }
  }

  // ---- export --------------------------------------------------------------------------------

  async function exportCsv() {
    const button = $('export');
    const error = $('search-error');
    button.disabled = true;
    try {
      const params = Object.assign(searchParams(), {format: 'csv'});
      const response = await fetch(url('/calls/export', params), {headers: {Authorization: 'Bearer ' + sessionStorage.getItem(KEY)}});
      if (!response.ok) {
        let message = 'The export failed (' + response.status + ')';
        try {
          message = (await response.json()).message;
        } catch (e) {
          // keep the status
        }
        throw new Error(message);
      }
      const name = /filename="([^"]+)"/.exec(response.headers.get('Content-Disposition') || '');
      const link = document.createElement('a');
      link.href = URL.createObjectURL(await response.blob());
      link.download = name ? name[1] : 'calls.csv';
      document.body.appendChild(link);
      link.click();
      link.remove();
      setTimeout(() => URL.revokeObjectURL(link.href), 60000);
      error.hidden = true;
      $('status').textContent = 'Export downloaded';
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    } finally {
      button.disabled = false;
    }
  }

  // ---- wiring --------------------------------------------------------------------------------

  function fillChoices() {
    const zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
    const select = $('timezone');
    for (const zone of zones.includes('UTC') ? zones : ['UTC'].concat(zones)) {
      select.add(new Option(zone, zone));
    }
    const statuses = $('f-status');
    for (const status of ['completed', 'busy', 'no_answer', 'failed', 'rejected', 'cancelled', 'unreachable', 'timeout',
      'initiated', 'answered']) {
      statuses.add(new Option(status.replace('_', ' '), status));
    }
  }

  function report(e) {
    if (e instanceof ApiError && e.status === 401) {
      sessionStorage.removeItem(KEY);
      showSignIn('Your API key is no longer accepted: ' + e.message + '.');
      return;
    }
    $('error').textContent = e.message;
    $('error').hidden = false;
  }

  document.addEventListener('DOMContentLoaded', () => {
    fillChoices();
    $('key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = $('api-key').value.trim();
      if (!key) {
        showSignIn('Paste an API key first.');
        return;
      }
      signIn(key);
    });
    $('sign-out').addEventListener('click', () => {
      sessionStorage.removeItem(KEY);
      showSignIn('');
    });
    $('range').addEventListener('submit', (event) => {
      event.preventDefault();
      refresh().catch(report);
    });
    for (const radio of document.querySelectorAll('input[name=granularity]')) {
      radio.addEventListener('change', () => {
        state.granularity = radio.value;
        showTime().catch(report);
      });
    }
    $('search').addEventListener('submit', (event) => {
      event.preventDefault();
      search(true);
    });
    $('prev').addEventListener('click', () => {
      state.page = Math.max(0, state.page - 1);
      search(false);
    });
    $('next').addEventListener('click', () => {
      state.page += 1;
      search(false);
    });
    $('export').addEventListener('click', exportCsv);
    $('close-panel').addEventListener('click', closePanel);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && !$('panel').hidden) {
        closePanel();
      }
    });
    const key = sessionStorage.getItem(KEY);
    if (key) {
      signIn(key);
    } else {
      showSignIn('');
    }
  });

  // read by the browser tests: the chart's points as drawn
  window.callAnalytics = {chartPoints: () => (state.chart ? state.chart.data.labels.length : -1)};
})();
