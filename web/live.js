// The live stream of one location's events (GET /api/v1/stream), shared by
// whatever shows orders: one EventSource per location, however many views
// listen. EventSource reconnects by itself and resends the last event id,
// so the server replays what was missed. Views reload what they show when
// the stream (re)opens and when the server says `reset` (too much missed).

import { api } from './api.js';

const EVENTS = [
  'order.placed', 'order.accepted', 'order.ready', 'order.served', 'order.cancelled', 'order.late',
  'alert.raised', 'alert.cleared', 'case.opened', 'check.recorded',
];
const REOPEN_MS = 5000; // after the server refused the stream outright

const streams = new Map(); // location id -> { source, listeners, status, timer }

function each(stream, fn) {
  for (const l of [...stream.listeners]) {
    try {
      fn(l);
    } catch (err) {
      console.error(err); // one view's bug must not stop the others updating
    }
  }
}

function setStatus(stream, status) {
  stream.status = status;
  each(stream, (l) => l.onStatus && l.onStatus(status));
}

function connect(locationId, stream) {
  const source = new EventSource(`/api/v1/stream?location_id=${encodeURIComponent(locationId)}`);
  stream.source = source;
  source.addEventListener('hello', () => {
    setStatus(stream, 'live');
    each(stream, (l) => l.onReload && l.onReload());
  });
  source.addEventListener('reset', () => each(stream, (l) => l.onReload && l.onReload()));
  for (const type of EVENTS) {
    source.addEventListener(type, (e) => {
      let event;
      try {
        event = JSON.parse(e.data);
      } catch {
        return;
      }
      each(stream, (l) => l.onEvent && l.onEvent(type, event));
    });
  }
  source.addEventListener('error', () => {
    if (source.readyState === EventSource.CONNECTING) {
      setStatus(stream, 'reconnecting');
      return;
    }
    // Closed for good (an error status, such as an ended session): ask for
    // something cheap, so an ended session shows the sign-in, and try again.
    setStatus(stream, 'offline');
    source.close();
    api.get('/locations').catch(() => {});
    clearTimeout(stream.timer);
    stream.timer = setTimeout(() => {
      if (streams.get(locationId) === stream) connect(locationId, stream);
    }, REOPEN_MS);
  });
}

// Listens to a location's events: onEvent(type, event), onReload() when
// the view should fetch afresh, onStatus('connecting' | 'live' |
// 'reconnecting' | 'offline'). Returns a function that stops listening.
export function listen(locationId, listener) {
  let stream = streams.get(locationId);
  if (!stream) {
    stream = { source: null, listeners: new Set(), status: 'connecting', timer: null };
    streams.set(locationId, stream);
    connect(locationId, stream);
  }
  stream.listeners.add(listener);
  if (listener.onStatus) listener.onStatus(stream.status);
  return () => {
    stream.listeners.delete(listener);
    if (stream.listeners.size > 0) return;
    clearTimeout(stream.timer);
    if (stream.source) stream.source.close();
    streams.delete(locationId);
  };
}
