// The one place the UI talks to the JSON API: adds the CSRF header to
// mutating requests and turns error bodies into ApiError, so views switch on
// error.code and show error.message without parsing responses themselves.

const MUTATING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

let csrfToken = null;
let sessionLostHandler = null;

export class ApiError extends Error {
  constructor(status, code, message, field = null) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export function setCsrfToken(token) {
  csrfToken = token || null;
}

// Called when a request made with a session gets 401: the session expired or
// was revoked elsewhere. Session endpoints themselves are exempt.
export function onSessionLost(handler) {
  sessionLostHandler = handler;
}

export function isAbort(err) {
  return err instanceof DOMException && err.name === 'AbortError';
}

function queryString(query) {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v !== undefined && v !== null && v !== '') params.set(k, String(v));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

export async function request(method, path, { body, query, signal } = {}) {
  const headers = { Accept: 'application/json' };
  const init = { method, headers, credentials: 'same-origin', cache: 'no-store', signal };
  if (MUTATING.has(method)) {
    headers['Content-Type'] = 'application/json';
    if (csrfToken) headers['X-CSRF-Token'] = csrfToken;
  }
  if (body !== undefined) init.body = JSON.stringify(body);

  let res;
  try {
    res = await fetch(`/api/v1${path}${queryString(query)}`, init);
  } catch (err) {
    if (isAbort(err)) throw err;
    throw new ApiError(0, 'network', 'Can’t reach the server. Check the connection and try again.');
  }

  if (res.status === 204) return null;

  let data = null;
  const type = res.headers.get('Content-Type') || '';
  if (type.includes('json')) {
    try {
      data = await res.json();
    } catch (err) {
      if (isAbort(err)) throw err;
      data = null;
    }
  }

  if (res.ok) return data;

  const e = data && data.error ? data.error : {};
  const message = e.message || `The server answered ${res.status} ${res.statusText}`.trim();
  const error = new ApiError(
    res.status,
    e.code || `http_${res.status}`,
    message.charAt(0).toUpperCase() + message.slice(1), // shown as a sentence
    e.field || null,
  );
  if (res.status === 401 && !path.startsWith('/session') && sessionLostHandler) {
    sessionLostHandler(error);
  }
  throw error;
}

export const api = {
  get: (path, opts) => request('GET', path, opts),
  post: (path, body, opts) => request('POST', path, { ...opts, body }),
  put: (path, body, opts) => request('PUT', path, { ...opts, body }),
  patch: (path, body, opts) => request('PATCH', path, { ...opts, body }),
  del: (path, opts) => request('DELETE', path, opts),
};
