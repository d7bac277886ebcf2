// kioskd hall screen: shows the calls of one screen, live, and never loses one.
//
// The page is served at /screens/{id}. It loads /screens/{id}/state, then streams
// /screens/{id}/events?since=<state.seq> (Server-Sent Events: id = the hall-wide seq, event =
// the topic, data = the event's data as JSON). Every event is applied once, in seq order; a
// dropped stream is resumed from the last seq applied (EventSource's own Last-Event-ID retry, or
// a new EventSource with ?since= when the browser gives up), so calls made while it was down
// show afterwards, in order. Each call gets its own moment of highlight, one after another; on a
// screen with voice the announcement /screens/{id}/announcements/{seq}.wav plays during it,
// strictly one at a time. A kiosk browser must allow sound without a click:
//   chromium --kiosk --autoplay-policy=no-user-gesture-required http://HALL:8080/screens/hall
//
// Query options (for technicians and tests): ?hl=MS how long a call stays highlighted (default
// 5000), ?voice=0|1 overrides the screen's voice setting.
//
// window.kioskScreen is a read-only view of what the page holds, for tests driven over the
// DevTools protocol (see Tests/IntegrationTests/Support/cdp.py).
'use strict';
(function () {
  const query = new URLSearchParams(location.search);
  const pathMatch = location.pathname.match(/^(.*\/screens\/)([^/]+)\/?$/);
  const screenId = pathMatch ? decodeURIComponent(pathMatch[2]) : (query.get('screen') || '');
  const base = (pathMatch ? pathMatch[1] : '/screens/') + encodeURIComponent(screenId);

  const HIGHLIGHT_MS = positive(query.get('hl'), 5000);
  const HIGHLIGHT_BACKLOG_MS = Math.min(HIGHLIGHT_MS, 3000); // a backlog (after a reconnect) moves faster
  const KEEP_CALLS = 50;            // calls held in memory (the screen shows `calls` of them)
  const AUDIO_MAX_AGE_MS = 60000;   // an announcement older than this is not played late
  const AUDIO_TIMEOUT_MS = 30000;   // a clip that never ends does not hold the queue
  const RECONCILE_DELAY_MS = 1500;  // waiting counts are re-read this long after a change
  const REFRESH_EVERY_MS = 30000;   // and this often anyway (also the stream's watchdog)
  const MARK_DELAY_MS = 800;        // a reconnect quicker than this shows no mark

  const TOPICS = [
    'ticket.issued', 'ticket.called', 'ticket.recalled', 'ticket.started', 'ticket.finished',
    'ticket.no_show', 'ticket.requeued', 'ticket.transferred', 'ticket.cancelled',
    'window.opened', 'window.paused', 'window.closed', 'day.rolled_over', 'config.reloaded',
    'message',
  ];

  const S = {
    hall: { code: '', name: '' },
    screen: { id: screenId, name: '' },
    limit: 6,
    voice: false,
    notice: '',
    loaded: false,
    lastSeq: 0,          // the last event applied (or the state's seq)
    calls: [],           // newest first: {seq, ticketId, number, category, priority, windowId, windowName, recall, at}
    waiting: new Map(),  // category -> count, in the state's order
    waitingSeq: 0,       // the seq the waiting counts reflect
    categoryNames: new Map(),
    windows: new Map(),  // id -> {id, name, state}
    connected: false,
    highlighted: null,
    highlightLog: [],
    audio: { playing: null, log: [], blocked: false },
    clockOffsetMs: 0,    // server clock - local clock, from the Date header
    hallOffsetMin: null, // the hall's UTC offset, from the timestamps it sends
    streams: 0,          // EventSources opened so far
  };

  const $ = (id) => document.getElementById(id);
  const el = {};

  function positive(text, fallback) {
    const n = Number(text);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  }

  // ---- data ------------------------------------------------------------------------------

  function noteOffset(ts) {
    if (typeof ts !== 'string') return;
    const m = ts.match(/([+-])(\d\d):?(\d\d)$/);
    if (m) S.hallOffsetMin = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3]));
    else if (/Z$/.test(ts)) S.hallOffsetMin = 0;
  }

  function noteCategory(ticket) {
    if (ticket && ticket.category && ticket.categoryName) S.categoryNames.set(ticket.category, ticket.categoryName);
  }

  // One call as the page keeps it, from a /state entry or from a ticket.called/recalled event.
  function callEntry(ticket, win, windowName, recall, at, seq) {
    const winId = win && typeof win === 'object' ? win.id : win;
    const name = (win && typeof win === 'object' ? win.name : windowName) ||
      (S.windows.get(String(winId)) || {}).name || (winId != null ? winId + '号窗口' : '');
    noteOffset(at);
    return {
      seq: seq == null ? null : Number(seq),
      ticketId: ticket.id,
      number: String(ticket.number || ''),
      category: ticket.category || '',
      priority: ticket.priority || 'normal',
      windowId: winId == null ? '' : String(winId),
      windowName: String(name),
      recall: !!recall,
      at: at || null,
      received: Date.now(),
    };
  }

  function applyMeta(st) {
    noteOffset(st.at);
    if (st.hall) S.hall = { code: st.hall.code || '', name: st.hall.name || '' };
    const sc = st.screen || {};
    S.screen = { id: sc.id || screenId, name: sc.name || '' };
    S.limit = Math.max(1, Math.min(20, Number(sc.calls) || 6));
    S.voice = query.has('voice') ? query.get('voice') === '1' : sc.voice === true;
    S.notice = typeof (sc.notice ?? st.notice) === 'string' ? (sc.notice ?? st.notice) : '';
    if (Array.isArray(st.categories)) {
      for (const c of st.categories) if (c && c.id && c.name) S.categoryNames.set(c.id, c.name);
    }
    if (Array.isArray(st.windows)) {
      S.windows = new Map(st.windows.map((w) => [String(w.id), { id: String(w.id), name: w.name, state: w.state }]));
    }
  }

  function applyWaiting(st) {
    if (!st.waiting || typeof st.waiting !== 'object') return;
    if (Number(st.seq) < S.waitingSeq) return; // older than what the counts already reflect
    // In the hall's display order (`categories`), not the object's key order (JSON sorts keys).
    const order = Array.isArray(st.categories) ? st.categories.map((c) => c && c.id).filter((id) => id in st.waiting) : [];
    const keys = order.concat(Object.keys(st.waiting).filter((k) => !order.includes(k)));
    S.waiting = new Map(keys.map((k) => [k, Number(st.waiting[k]) || 0]));
    S.waitingSeq = Number(st.seq) || 0;
  }

  // The whole state: on load, on a new hall-day, and when the hall's log went backwards.
  function applyState(st) {
    applyMeta(st);
    S.calls = (Array.isArray(st.calls) ? st.calls : []).slice(0, KEEP_CALLS)
      .filter((c) => c && c.ticket)
      .map((c) => callEntry(c.ticket, c.window, null, c.recall, c.at, c.seq));
    S.lastSeq = Number(st.seq) || 0;
    S.waitingSeq = 0;
    applyWaiting(st);
    S.loaded = true;
    renderAll();
  }

  function bumpWaiting(category, delta) {
    if (!category || !S.waiting.has(category)) return; // not one of this screen's categories
    S.waiting.set(category, Math.max(0, S.waiting.get(category) + delta));
  }

  // ---- the event stream ---------------------------------------------------------------------

  let source = null;
  let reopenTimer = null;
  let reopenDelay = 1000;
  let markTimer = null;

  function openStream() {
    closeStream();
    S.streams += 1;
    const es = new EventSource(base + '/events?since=' + S.lastSeq);
    source = es;
    es.onopen = () => {
      if (source !== es) return;
      reopenDelay = 1000;
      setConnected(true);
      scheduleReconcile(); // counts may have changed in ways the replay does not spell out
    };
    es.onerror = () => {
      if (source !== es) return;
      setConnected(false);
      // CONNECTING: the browser retries by itself, sending Last-Event-ID. CLOSED: it gave up
      // (an HTTP error, a wrong content type): start again from the last seq applied.
      if (es.readyState === EventSource.CLOSED) scheduleReopen();
    };
    for (const topic of TOPICS) es.addEventListener(topic, onMessage);
  }

  function closeStream() {
    if (source) { source.close(); source = null; }
    clearTimeout(reopenTimer);
  }

  function scheduleReopen() {
    clearTimeout(reopenTimer);
    reopenTimer = setTimeout(() => { openStream(); }, reopenDelay);
    reopenDelay = Math.min(reopenDelay * 2, 15000);
  }

  function setConnected(up) {
    S.connected = up;
    clearTimeout(markTimer);
    if (up) el.link.hidden = true;
    else markTimer = setTimeout(() => { if (!S.connected) el.link.hidden = false; }, MARK_DELAY_MS);
  }

  function onMessage(msg) {
    const seq = msg.lastEventId === '' ? NaN : Number(msg.lastEventId);
    if (Number.isFinite(seq) && seq <= S.lastSeq) return; // seen already (a replay overlapping)
    let data;
    try { data = JSON.parse(msg.data); } catch (e) { return; }
    if (data && typeof data.topic === 'string' && data.data && typeof data.data === 'object') data = data.data;
    if (Number.isFinite(seq)) S.lastSeq = seq;
    applyEvent(msg.type, data || {}, Number.isFinite(seq) ? seq : null);
  }

  function applyEvent(topic, d, seq) {
    const t = d.ticket;
    if (t) { noteCategory(t); noteOffset(t.issuedAt); }
    const fresh = seq == null || seq > S.waitingSeq; // waiting counts do not reflect it yet
    switch (topic) {
      case 'ticket.called':
      case 'ticket.recalled': {
        if (!t) return;
        const recall = topic === 'ticket.recalled';
        const entry = callEntry(t, d.window, d.windowName, recall, d.at || (recall ? null : t.calledAt), seq);
        S.calls.unshift(entry);
        S.calls.length = Math.min(S.calls.length, KEEP_CALLS);
        if (!recall && fresh) bumpWaiting(t.category, -1);
        renderRecent();
        present(entry);
        break;
      }
      case 'ticket.issued':
      case 'ticket.requeued':
        if (t && fresh) bumpWaiting(t.category, +1);
        break;
      case 'ticket.transferred':
        if (t && fresh && t.state === 'waiting') bumpWaiting(t.category, +1);
        scheduleReconcile();
        break;
      case 'ticket.cancelled':
        // A waiting ticket has no window; a called one has. The re-read below settles it anyway.
        if (t && fresh && !t.window) bumpWaiting(t.category, -1);
        scheduleReconcile();
        break;
      case 'window.opened':
      case 'window.paused':
      case 'window.closed':
        if (d.window != null) {
          S.windows.set(String(d.window), { id: String(d.window), name: d.name || String(d.window), state: d.status });
        }
        scheduleReconcile();
        break;
      case 'day.rolled_over':
        resync();
        return;
      case 'config.reloaded':
        scheduleReconcile();
        return;
      default:
        return;
    }
    if (seq != null && fresh && topic.startsWith('ticket.')) S.waitingSeq = seq;
    renderWaiting();
  }

  // ---- /state -------------------------------------------------------------------------------

  async function fetchState() {
    const res = await fetch(base + '/state', { cache: 'no-store', headers: { Accept: 'application/json' } });
    if (!res.ok) throw new Error('state: HTTP ' + res.status);
    const date = Date.parse(res.headers.get('Date') || '');
    if (Number.isFinite(date) && Math.abs(date - Date.now()) > 2000) S.clockOffsetMs = date - Date.now();
    return res.json();
  }

  let loadDelay = 1000;
  async function start() {
    try {
      const st = await fetchState();
      applyState(st);
      loadDelay = 1000;
      openStream();
    } catch (e) {
      setConnected(false);
      setTimeout(start, loadDelay);
      loadDelay = Math.min(loadDelay * 2, 15000);
    }
  }

  // A new hall-day (or a replaced database): everything from /state again, then the stream from there.
  function resync() {
    closeStream();
    clearQueue();
    start();
  }

  let reconcileTimer = null;
  let reconciling = false;
  let suspectSeq = null;
  let behindSeq = null;
  function scheduleReconcile(delay) {
    clearTimeout(reconcileTimer);
    reconcileTimer = setTimeout(reconcile, delay == null ? RECONCILE_DELAY_MS : delay);
  }

  // Re-reads /state for what events do not spell out (waiting counts, screen settings), and
  // checks that the stream is not silently stuck.
  async function reconcile() {
    if (reconciling || !S.loaded) return;
    reconciling = true;
    try {
      const st = await fetchState();
      const seq = Number(st.seq) || 0;
      if (seq < S.lastSeq) {
        // Older than what the stream brought: a read that raced an event, or a hall database that
        // was restored (its seqs will not reach ours again). Twice in a row means the latter.
        if (behindSeq === S.lastSeq) { behindSeq = null; resync(); return; }
        behindSeq = S.lastSeq;
        scheduleReconcile(3000);
        return;
      }
      behindSeq = null;
      const voiceBefore = S.voice;
      applyMeta(st);
      applyWaiting(st);
      if (!voiceBefore && S.voice) S.audio.blocked = false;
      const newest = Array.isArray(st.calls) && st.calls[0] ? Number(st.calls[0].seq) : NaN;
      if (Number.isFinite(newest) && newest > S.lastSeq) {
        // /state knows a call the stream has not brought: once may be a race, twice is a stuck stream.
        if (suspectSeq === S.lastSeq) { suspectSeq = null; openStream(); }
        else { suspectSeq = S.lastSeq; scheduleReconcile(5000); }
      } else {
        suspectSeq = null;
      }
      renderAll();
    } catch (e) {
      // the stream's own error handling shows the mark; the next refresh tries again
    } finally {
      reconciling = false;
    }
  }

  // ---- highlight and voice, one call at a time ---------------------------------------------

  const queue = [];
  let presenting = null;
  let presentTimer = null;
  let lastPresented = null;

  function present(entry) {
    queue.push(entry);
    if (!presenting) presentNext();
  }

  function clearQueue() {
    queue.length = 0;
    clearTimeout(presentTimer);
    presenting = null;
    S.highlighted = null;
  }

  function presentNext() {
    const entry = queue.shift();
    if (!entry) {
      presenting = null;
      S.highlighted = null;
      renderNow();
      renderRecent();
      return;
    }
    presenting = entry;
    lastPresented = entry;
    S.highlighted = entry;
    S.highlightLog.push(entry.seq);
    renderNow();
    renderRecent();
    let timeUp = false;
    let spoken = !S.voice;
    const advance = () => { if (timeUp && spoken && presenting === entry) presentNext(); };
    presentTimer = setTimeout(() => { timeUp = true; advance(); }, queue.length >= 2 ? HIGHLIGHT_BACKLOG_MS : HIGHLIGHT_MS);
    if (!spoken) speak(entry).then(() => { spoken = true; advance(); });
  }

  let currentAudio = null;
  function speak(entry) {
    return new Promise((resolve) => {
      const log = (result) => S.audio.log.push({ seq: entry.seq, number: entry.number, result });
      const age = entry.at ? Date.now() + S.clockOffsetMs - Date.parse(entry.at) : 0;
      if (entry.seq == null || age > AUDIO_MAX_AGE_MS) { log('skipped'); resolve(); return; }
      const audio = new Audio(base + '/announcements/' + entry.seq + '.wav');
      currentAudio = audio;
      let done = false;
      const finish = (result) => {
        if (done) return;
        done = true;
        clearTimeout(guard);
        audio.onended = audio.onerror = null;
        if (result !== 'played') audio.pause();
        S.audio.playing = null;
        currentAudio = null;
        log(result);
        resolve();
      };
      const guard = setTimeout(() => finish('timeout'), AUDIO_TIMEOUT_MS);
      audio.onended = () => finish('played');
      audio.onerror = () => finish('error');
      S.audio.playing = entry.seq;
      const p = audio.play();
      if (p && p.catch) {
        p.catch((err) => {
          if (err && err.name === 'NotAllowedError') { S.audio.blocked = true; renderSoundMark(); finish('blocked'); }
          else finish('error');
        });
      }
    });
  }

  // A click (someone setting up the screen) allows sound where the kiosk flag is missing.
  document.addEventListener('click', () => { S.audio.blocked = false; renderSoundMark(); });

  // ---- drawing ------------------------------------------------------------------------------

  function text(node, value) {
    if (node.textContent !== value) node.textContent = value;
  }

  function make(tag, cls, value) {
    const n = document.createElement(tag);
    if (cls) n.className = cls;
    if (value != null) n.textContent = value;
    return n;
  }

  // Shrinks a one-line text until it fits its box; past the floor it may wrap.
  function fit(node, maxPx, minPx) {
    node.classList.remove('wrap');
    let size = maxPx;
    node.style.fontSize = size + 'px';
    while (node.scrollWidth > node.clientWidth + 1 && size > minPx) {
      size = Math.max(minPx, Math.floor(size * 0.92));
      node.style.fontSize = size + 'px';
    }
    if (node.scrollWidth > node.clientWidth + 1) node.classList.add('wrap');
  }

  const vmin = () => Math.min(window.innerWidth, window.innerHeight) / 100;

  function renderAll() {
    text(el.hallName, S.hall.name || '叫号屏');
    text(el.screenName, S.screen.name && S.screen.name !== S.hall.name ? S.screen.name : '');
    document.title = (S.hall.name ? S.hall.name + ' · ' : '') + (S.screen.name || '叫号屏');
    renderNow();
    renderRecent();
    renderWaiting();
    renderNotice();
    renderSoundMark();
    renderClock();
  }

  function renderNow() {
    const entry = S.highlighted || lastPresented || S.calls[0] || null;
    const lit = !!S.highlighted;
    el.now.classList.toggle('idle', !entry);
    el.now.classList.toggle('recall', !!(entry && entry.recall));
    if (lit && el.now.dataset.seq !== String(entry.seq)) {
      el.now.classList.remove('lit');
      void el.now.offsetWidth; // restart the animation for the next call
    }
    el.now.classList.toggle('lit', lit);
    el.now.dataset.seq = entry ? String(entry.seq) : '';
    text(el.nowLabel, !entry ? '请留意叫号' : lit ? '正在呼叫' : '刚刚呼叫');
    text(el.nowNumber, entry ? entry.number : '—');
    el.nowTo.replaceChildren();
    if (entry) {
      el.nowTo.append(make('span', 'to-word', '请到'), make('span', 'to-window', entry.windowName), make('span', 'to-word', '办理'));
    } else {
      el.nowTo.append(make('span', 'to-word', S.hall.name || ''));
    }
    el.nowRecall.hidden = !(entry && entry.recall);
    const u = vmin();
    fit(el.nowNumber, Math.round(u * 26), Math.round(u * 12));
    // A long window name stands alone (without 请到…办理), on two lines if it must.
    el.nowTo.classList.remove('bare');
    fit(el.nowTo, Math.round(u * 7.5), Math.round(u * 5.5));
    if (el.nowTo.classList.contains('wrap')) {
      el.nowTo.classList.add('bare');
      fit(el.nowTo, Math.round(u * 7.5), Math.round(u * 5));
    }
  }

  function renderRecent() {
    const items = S.calls.slice(0, S.limit).map((c) => {
      const li = make('li', 'call');
      if (S.highlighted && c === S.highlighted) li.classList.add('current');
      else if (queue.includes(c)) li.classList.add('pending');
      li.append(make('span', 'call-number', c.number), make('span', 'call-arrow', '→'), make('span', 'call-window', c.windowName));
      if (c.recall) li.append(make('span', 'call-recall', '重呼'));
      return li;
    });
    for (let i = items.length; i < S.limit; i++) items.push(make('li', 'call empty'));
    el.recent.replaceChildren(...items);
  }

  function renderWaiting() {
    const items = [];
    for (const [cat, count] of S.waiting) {
      const li = make('li', 'cat');
      const head = make('div', 'cat-head');
      head.append(make('span', 'cat-code', cat));
      const name = S.categoryNames.get(cat);
      if (name) head.append(make('span', 'cat-name', name));
      const num = make('div', 'cat-count');
      num.append(make('span', 'cat-n', String(count)), make('span', 'cat-unit', '人'));
      li.append(head, num);
      items.push(li);
    }
    el.waiting.replaceChildren(...items);
    el.waiting.style.setProperty('--cats', String(Math.max(1, items.length)));
  }

  let noticeShown = null;
  function renderNotice() {
    const notice = S.notice.trim();
    el.notice.hidden = !notice;
    if (notice === noticeShown && el.notice.dataset.w === String(window.innerWidth)) return;
    noticeShown = notice;
    el.notice.dataset.w = String(window.innerWidth);
    el.noticeTrack.classList.remove('scroll');
    el.noticeTrack.replaceChildren(make('span', 'notice-text', notice));
    if (!notice) return;
    const first = el.noticeTrack.firstChild;
    if (first.scrollWidth > el.notice.clientWidth) {
      // Two copies side by side move left by one copy's width, so the line loops without a jump.
      el.noticeTrack.append(make('span', 'notice-text', notice));
      const px = first.getBoundingClientRect().width + parseFloat(getComputedStyle(first).paddingRight || '0');
      el.noticeTrack.style.setProperty('--notice-seconds', Math.max(10, px / (vmin() * 9)).toFixed(1) + 's');
      el.noticeTrack.classList.add('scroll');
    }
  }

  function renderSoundMark() {
    el.sound.hidden = !(S.voice && S.audio.blocked);
  }

  const WEEKDAYS = ['日', '一', '二', '三', '四', '五', '六'];
  function renderClock() {
    const now = Date.now() + S.clockOffsetMs;
    let y, mo, d, wd, h, mi;
    if (S.hallOffsetMin != null) {
      const t = new Date(now + S.hallOffsetMin * 60000);
      [y, mo, d, wd, h, mi] = [t.getUTCFullYear(), t.getUTCMonth(), t.getUTCDate(), t.getUTCDay(), t.getUTCHours(), t.getUTCMinutes()];
    } else {
      const t = new Date(now);
      [y, mo, d, wd, h, mi] = [t.getFullYear(), t.getMonth(), t.getDate(), t.getDay(), t.getHours(), t.getMinutes()];
    }
    text(el.clockDate, `${y}年${mo + 1}月${d}日 星期${WEEKDAYS[wd]}`);
    text(el.clockTime, `${String(h).padStart(2, '0')}:${String(mi).padStart(2, '0')}`);
  }

  // ---- the hook for tests ------------------------------------------------------------------

  const copy = (c) => c && ({
    seq: c.seq, number: c.number, category: c.category, priority: c.priority,
    window: c.windowId, windowName: c.windowName, recall: c.recall, at: c.at,
  });

  window.kioskScreen = Object.freeze({
    get screenId() { return screenId; },
    get loaded() { return S.loaded; },
    get lastSeq() { return S.lastSeq; },
    get connected() { return S.connected; },
    get streams() { return S.streams; },
    get voice() { return S.voice; },
    get limit() { return S.limit; },
    get highlighted() { return copy(S.highlighted); },
    calls() { return S.calls.map(copy); },
    shown() { return S.calls.slice(0, S.limit).map(copy); },
    pending() { return queue.map(copy); },
    highlights() { return S.highlightLog.slice(); },
    waiting() { return Object.fromEntries(S.waiting); },
    audio() { return { playing: S.audio.playing, blocked: S.audio.blocked, log: S.audio.log.map((x) => ({ ...x })) }; },
  });

  // ---- start --------------------------------------------------------------------------------

  function init() {
    Object.assign(el, {
      link: $('link'), sound: $('sound'), hallName: $('hall-name'), screenName: $('screen-name'),
      clockDate: $('clock-date'), clockTime: $('clock-time'), now: $('now'), nowLabel: $('now-label'),
      nowNumber: $('now-number'), nowTo: $('now-to'), nowRecall: $('now-recall'), recent: $('recent-list'),
      waiting: $('waiting-list'), notice: $('notice'), noticeTrack: $('notice-track'),
    });
    renderAll();
    setInterval(renderClock, 1000);
    setInterval(() => scheduleReconcile(0), REFRESH_EVERY_MS);
    let resizeTimer = null;
    window.addEventListener('resize', () => {
      clearTimeout(resizeTimer);
      resizeTimer = setTimeout(renderAll, 200);
    });
    start();
  }

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
  else init();
})();
