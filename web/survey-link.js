// "Survey link" on the guest card's latest visit: asks the server for a
// one-minute survey link for that visit and shows it with its QR code, for
// the guest to scan at the counter or for a receipt. The server keeps only
// the token's hash, so the link can be shown this once.

import { api } from './api.js';
import { $, setFormError, setText, show } from './dom.js';
import { dateOnly } from './format.js';

const COPIED_MS = 2000;

export function createSurveyLink() {
  const dialog = $('survey-dialog');
  const status = $('survey-dialog-status');
  const linkBox = $('survey-dialog-link');
  const url = $('survey-dialog-url');
  const qr = $('survey-dialog-qr');
  const copy = $('survey-dialog-copy');
  const error = $('survey-dialog-error');
  let copiedTimer = null;

  $('survey-dialog-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => {
    qr.removeAttribute('src');
    url.value = '';
  });

  copy.addEventListener('click', async () => {
    url.select();
    try {
      await navigator.clipboard.writeText(url.value);
    } catch {
      // Not a secure context: the text is selected for a manual copy.
      return;
    }
    setText(copy, 'Copied');
    clearTimeout(copiedTimer);
    copiedTimer = setTimeout(() => setText(copy, 'Copy'), COPIED_MS);
  });

  function conflictText(err) {
    if (err.field === 'visit_id' && /already/i.test(err.message)) {
      return 'This visit already has a survey link. It was shown when it was made and can’t be shown again.';
    }
    return `No new survey for this guest yet: ${err.message}`;
  }

  // visit: the Visit; guestName for the title.
  async function open(visit, guestName) {
    setText($('survey-dialog-title'), guestName ? `Survey link for ${guestName}` : 'Survey link');
    setText(status, 'Making the link…');
    show(linkBox, false);
    setFormError(error, '');
    setText(copy, 'Copy');
    if (!dialog.open) dialog.showModal();
    let survey;
    try {
      survey = await api.post('/surveys', { visit_id: visit.id });
    } catch (err) {
      setText(status, '');
      setFormError(error, err.code === 'conflict' ? conflictText(err) : err.message);
      return null;
    }
    const full = new URL(survey.url, location.origin).href;
    url.value = full;
    qr.setAttribute('src', survey.qr);
    setText(status, 'Let the guest scan the code, or copy the link into a message or receipt.');
    setText($('survey-dialog-note'), survey.expires_at
      ? `Works once, until ${dateOnly(survey.expires_at)}. It is shown only now.`
      : 'Works once. It is shown only now.');
    show(linkBox, true);
    copy.focus();
    return survey;
  }

  return { open };
}
