// Small DOM helpers. Data always enters the page as text nodes: h() never
// parses markup, and refuses inline handlers and style attributes (the CSP
// would block them anyway).

export function h(tag, props, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(props || {})) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'class') el.className = value;
    else if (key === 'text') el.textContent = value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key.startsWith('on') && typeof value === 'function') {
      el.addEventListener(key.slice(2), value);
    } else if (key.startsWith('on') || key === 'style') {
      throw new Error(`h(): attribute ${key} is not allowed`);
    } else {
      el.setAttribute(key, value === true ? '' : String(value));
    }
  }
  appendAll(el, children);
  return el;
}

function appendAll(el, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function $(id) {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el;
}

export function setText(el, text) {
  el.textContent = text == null ? '' : String(text);
}

export function show(el, visible = true) {
  el.hidden = !visible;
}

// Field errors: every input sits in a .field with a .field-error below it.
export function clearFormErrors(form) {
  for (const el of form.querySelectorAll('[aria-invalid="true"]')) {
    el.removeAttribute('aria-invalid');
  }
  for (const el of form.querySelectorAll('.field-error, .form-error')) {
    el.textContent = '';
    el.hidden = true;
  }
}

// Shows message next to the control named `name`; returns false when the
// form has no such control, so the caller can show a form-level error.
export function setFieldError(form, name, message) {
  const control = name ? form.elements.namedItem(name) : null;
  if (!control || !(control instanceof Element)) return false;
  const field = control.closest('.field');
  const slot = field && field.querySelector('.field-error');
  if (!slot) return false;
  control.setAttribute('aria-invalid', 'true');
  slot.textContent = message;
  slot.hidden = false;
  return true;
}

// Typing in, or choosing within, a field that shows an error clears it.
export function clearFieldErrorsOnInput(form) {
  const clear = (event) => {
    const field = event.target instanceof Element ? event.target.closest('.field') : null;
    if (!field || !form.contains(field)) return;
    for (const el of [field, ...field.querySelectorAll('[aria-invalid="true"]')]) {
      el.removeAttribute('aria-invalid');
    }
    const slot = field.querySelector('.field-error');
    if (slot) {
      slot.textContent = '';
      slot.hidden = true;
    }
  };
  form.addEventListener('input', clear);
  form.addEventListener('change', clear);
}

export function setFormError(el, message) {
  el.textContent = message || '';
  el.hidden = !message;
}

export function focusFirstInvalid(form) {
  const el = form.querySelector('[aria-invalid="true"]');
  if (el) el.focus();
  return Boolean(el);
}

// Disables the submit button while a request is in flight and restores it.
export async function busy(form, work) {
  const buttons = form.querySelectorAll('button');
  form.setAttribute('aria-busy', 'true');
  for (const b of buttons) b.disabled = true;
  try {
    return await work();
  } finally {
    form.removeAttribute('aria-busy');
    for (const b of buttons) b.disabled = false;
  }
}

// A modal yes/no question in the page's own <dialog>: keyboard and screen
// reader friendly, Escape cancels, and nothing the CSP would block. Resolves
// true when confirmed.
export function confirmDialog({ title, text, ok }) {
  const dialog = $('confirm-dialog');
  setText($('confirm-title'), title);
  setText($('confirm-text'), text);
  setText($('confirm-ok'), ok);
  dialog.returnValue = '';
  dialog.showModal();
  return new Promise((resolve) => {
    dialog.addEventListener('close', () => resolve(dialog.returnValue === 'confirm'), { once: true });
  });
}

// A stroked 24×24 icon from path data, decorative (hidden from screen readers).
const SVG_NS = 'http://www.w3.org/2000/svg';
export const ICONS = {
  pin: ['M12 17v5', 'M9 10.76a2 2 0 0 1-1.11 1.79l-1.78.9A2 2 0 0 0 5 15.24V16a1 1 0 0 0 1 1h12a1 1 0 0 0 1-1v-.76a2 2 0 0 0-1.11-1.79l-1.78-.9A2 2 0 0 1 15 10.76V7a1 1 0 0 1 1-1 2 2 0 0 0 0-4H8a2 2 0 0 0 0 4 1 1 0 0 1 1 1z'],
  check: ['M20 6 9 17l-5-5'],
  camera: ['M14.5 4h-5L7.5 7H4a2 2 0 0 0-2 2v9a2 2 0 0 0 2 2h16a2 2 0 0 0 2-2V9a2 2 0 0 0-2-2h-3.5z', 'M12 16.5a3.5 3.5 0 1 0 0-7 3.5 3.5 0 0 0 0 7z'],
  warning: ['M10.29 3.86 1.82 18a2 2 0 0 0 1.71 3h16.94a2 2 0 0 0 1.71-3L13.71 3.86a2 2 0 0 0-3.42 0z', 'M12 9v4', 'M12 17h.01'],
};

export function icon(name, size = 18) {
  const svg = document.createElementNS(SVG_NS, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('width', String(size));
  svg.setAttribute('height', String(size));
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  svg.setAttribute('fill', 'none');
  svg.setAttribute('stroke', 'currentColor');
  svg.setAttribute('stroke-width', '2');
  svg.setAttribute('stroke-linecap', 'round');
  svg.setAttribute('stroke-linejoin', 'round');
  svg.setAttribute('class', `icon icon-${name}`);
  for (const d of ICONS[name] || []) {
    const path = document.createElementNS(SVG_NS, 'path');
    path.setAttribute('d', d);
    svg.append(path);
  }
  return svg;
}
