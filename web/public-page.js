// What the public link pages (the survey at /s/{token}, the mystery-shop
// audit at /a/{token}) share: no sign-in, nothing from other sites. DOM
// helpers that only ever add text, the link's token, and one way to call
// the API that turns every failure into a Failure with the API's code.

export const $ = (id) => document.getElementById(id);

export function el(tag, props, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children) if (c != null) node.append(c);
  return node;
}

// The token is the last part of the path (/s/TOKEN, /a/TOKEN); anything
// else makes it invalid.
export function linkToken(prefix) {
  const m = new RegExp(`^/${prefix}/([A-Za-z0-9_-]{1,64})/?$`).exec(location.pathname);
  return (m && m[1]) || '';
}

export class Failure extends Error {
  constructor(status, code, message, field) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

export async function call(method, path, body) {
  let res;
  try {
    res = await fetch(`/api/v1${path}`, {
      method,
      headers: body ? { 'Content-Type': 'application/json', Accept: 'application/json' } : { Accept: 'application/json' },
      body: body ? JSON.stringify(body) : undefined,
      credentials: 'omit',
      cache: 'no-store',
    });
  } catch {
    throw new Failure(0, 'network', '');
  }
  let data = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.ok) return data;
  const e = (data && data.error) || {};
  throw new Failure(res.status, e.code || (res.status === 429 ? 'rate_limited' : 'other'), e.message || '', e.field || null);
}
