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
