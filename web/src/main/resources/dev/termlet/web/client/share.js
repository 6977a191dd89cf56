// Share links in the browser file client: a "Share" action on every row (a dialog that makes the link), and the
// "My shares" view (the user's links, each with Delete). Only /api/shares is called, through app.js's api (the
// CSRF token, problem documents as messages). No inline script or style: the page's CSP allows neither.

import { addRowAction, api, ask } from './app.js';

const $ = (id) => document.getElementById(id);
const dialog = $('share-dialog');
let sharing = null; // the entry of the open dialog

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function show(id, message) {
  $(id).textContent = message ?? '';
  $(id).hidden = !message;
}

// --- the dialog -----------------------------------------------------------------------------------------------

addRowAction((entry) => {
  const b = el('button', { type: 'button', textContent: 'Share', className: 'share' });
  b.setAttribute('aria-label', `Share ${entry.name}`);
  b.addEventListener('click', () => open(entry));
  return b;
});

function open(entry) {
  sharing = entry;
  $('share-title').textContent = `Share ${entry.name}${entry.directory ? '/' : ''}`;
  for (const o of $('share-mode').options) {
    // a file can only be read; a folder can also take uploads
    o.disabled = o.hidden = !entry.directory && o.value !== 'read';
  }
  $('share-form').reset();
  $('share-days').hidden = true;
  $('share-days').required = false;
  show('share-error', '');
  $('share-form').hidden = false;
  $('share-done').hidden = true;
  dialog.showModal();
  $('share-mode').focus();
}

$('share-expiry').addEventListener('change', () => {
  const days = $('share-expiry').value === 'days';
  $('share-days').hidden = !days;
  $('share-days').required = days;
  if (days) $('share-days').focus();
});

/** The request's body from the form, or a message saying what is wrong with it. */
function spec() {
  const body = { path: sharing.path, mode: $('share-mode').value };
  const expiry = $('share-expiry').value;
  if (expiry === 'days') {
    const days = Number($('share-days').value);
    if (!Number.isInteger(days) || days < 1 || days > 3650) return 'The number of days must be a whole number from 1 to 3650.';
    body.expiresIn = `${days}d`;
  } else if (expiry) {
    body.expiresIn = expiry;
  }
  if ($('share-password').value) body.password = $('share-password').value;
  const max = $('share-max').value.trim();
  if (max) {
    const n = Number(max);
    if (!Number.isInteger(n) || n < 1) return 'Most uses must be a whole number of at least 1, or empty for no limit.';
    body.maxUses = n;
  }
  return body;
}

$('share-form').addEventListener('submit', async (e) => {
  e.preventDefault();
  const body = spec();
  if (typeof body === 'string') return show('share-error', body);
  $('share-create').disabled = true;
  try {
    const share = await api('POST', '/api/shares', body);
    $('share-password').value = '';
    $('share-link').value = share.url;
    $('share-needs-password').hidden = !share.password;
    $('share-copied').textContent = '';
    $('share-form').hidden = true;
    $('share-done').hidden = false;
    $('share-link').focus();
    $('share-link').select();
  } catch (x) {
    if (x.status === 401) dialog.close();
    else show('share-error', x.message);
  } finally {
    $('share-create').disabled = false;
  }
});

for (const b of dialog.querySelectorAll('.share-close')) b.addEventListener('click', () => dialog.close());
dialog.addEventListener('close', () => {
  $('share-password').value = '';
  sharing = null;
});

/**
 * Copies a link: the clipboard where the browser allows it (it may refuse, or never answer while it asks the user),
 * else the text is selected for the user to copy.
 */
async function copy(input, status) {
  status.textContent = '';
  try {
    if (navigator.clipboard?.writeText) {
      const late = new Promise((resolve, reject) => setTimeout(() => reject(new Error('no answer')), 3000));
      await Promise.race([navigator.clipboard.writeText(input.value), late]);
      status.textContent = 'Copied.';
      return;
    }
  } catch { /* no clipboard here: select instead */ }
  input.focus();
  input.select();
  status.textContent = 'Selected: press Ctrl+C (⌘C on a Mac) to copy it.';
}

$('share-copy').addEventListener('click', () => copy($('share-link'), $('share-copied')));

// --- my shares ------------------------------------------------------------------------------------------------

function showShares(on) {
  $('shares').hidden = !on;
  if (!$('who').hidden) $('files').hidden = on;
  if (on) $('error').hidden = true;
}

async function loadShares() {
  try {
    const list = await api('GET', '/api/shares');
    list.sort((a, b) => a.path.localeCompare(b.path) || a.created.localeCompare(b.created));
    $('share-list').replaceChildren(...list.map(shareRow));
    $('shares-empty').hidden = list.length > 0;
    show('shares-error', '');
  } catch (x) {
    if (x.status === 401) showShares(false);
    else show('shares-error', x.message);
  }
}

function shareRow(s) {
  const expired = s.expires && new Date(s.expires) <= new Date();
  const expires = s.expires ? (expired ? 'expired' : new Date(s.expires).toLocaleString()) : 'never';
  const left = s.maxUses ? Math.max(0, s.maxUses - s.uses) : null;
  const url = el('input', { value: s.url, readOnly: true, className: 'share-url' });
  url.setAttribute('aria-label', `Link of ${s.path}`);
  const copied = el('span', { className: 'hint' });
  copied.setAttribute('role', 'status');
  const copyButton = el('button', { type: 'button', textContent: 'Copy', className: 'copy' });
  copyButton.setAttribute('aria-label', `Copy the link of ${s.path}`);
  copyButton.addEventListener('click', () => copy(url, copied));
  const del = el('button', { type: 'button', textContent: 'Delete', className: 'delete' });
  del.setAttribute('aria-label', `Delete the share link of ${s.path}`);
  del.addEventListener('click', () => remove(s));
  const tr = el('tr', {},
    el('td', { className: 'name', textContent: s.path + (s.directory && s.path !== '/' ? '/' : '') }),
    el('td', { className: 'mode', textContent: s.mode + (s.password ? ', password' : '') }),
    el('td', { className: 'expires', textContent: expires }),
    el('td', { className: 'left', textContent: left === null ? 'no limit' : left ? String(left) : '0 (used up)' }),
    el('td', { className: 'link' }, url, copyButton, copied),
    el('td', { className: 'actions' }, del));
  tr.dataset.id = s.id;
  tr.dataset.path = s.path;
  return tr;
}

async function remove(s) {
  if (!(await ask(`Delete the share link of ${s.path}? The link stops working at once.`, { ok: 'Delete' }))) return;
  try {
    await api('DELETE', `/api/shares/${encodeURIComponent(s.id)}`);
  } catch (x) {
    if (x.status !== 404) {
      if (x.status !== 401) show('shares-error', x.message);
      return;
    }
  }
  await loadShares();
}

$('my-shares').addEventListener('click', () => {
  showShares(true);
  loadShares();
});
$('shares-back').addEventListener('click', () => showShares(false));
window.addEventListener('hashchange', () => showShares(false));
document.addEventListener('termlet:session', (e) => {
  showShares(false);
  if (dialog.open) dialog.close();
  // a server with share links turned off has no /api/shares: then the page offers none
  if (e.detail) api('GET', '/api/shares').then(() => off(false), (x) => off(x.status === 404));
});

const off = (yes) => document.body.classList.toggle('shares-off', yes);
