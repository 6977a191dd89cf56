// Termlet's browser file client: a plain ES module on /api/session and /api/files. No inline script or style
// anywhere (the page's CSP allows neither): the DOM is built with createElement and styled through classes.

const $ = (id) => document.getElementById(id);
const state = { user: null, csrf: null, dir: '/', entries: [] };
const rowActionHooks = [];

/**
 * Adds an action to every row of the listing (the hook point of other features, such as share links).
 * @param {(entry: {name: string, path: string, directory: boolean, size: number, modified: string},
 *          api: typeof api) => HTMLElement | null} hook makes the row's control, or null for none
 */
export function addRowAction(hook) {
  rowActionHooks.push(hook);
  if (state.user) render();
}

/** A refusal of the server: its status and the message of its problem document. */
class Problem extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

function messageOf(status, text) {
  try {
    const p = JSON.parse(text);
    if (p.detail || p.title) return p.detail ? `${p.title}: ${p.detail}` : p.title;
  } catch { /* not a problem document */ }
  return `The server answered ${status}.`;
}

/** Calls the server; the CSRF token goes with every change. Throws a Problem on a refusal. */
export async function api(method, url, body) {
  const headers = {};
  if (method !== 'GET') headers['X-CSRF-Token'] = state.csrf ?? '';
  const init = { method, headers };
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(body);
  }
  let r;
  try {
    r = await fetch(url, init);
  } catch {
    throw new Problem(0, 'The server cannot be reached.');
  }
  if (!r.ok) {
    const problem = new Problem(r.status, messageOf(r.status, await r.text()));
    if (r.status === 401 && state.user) showLogin('Your login has ended: please log in again.');
    throw problem;
  }
  return r.status === 204 ? null : r.json();
}

export const fileUrl = (op, path) => `/api/files/${op}?path=${encodeURIComponent(path)}`;
const join = (dir, name) => (dir === '/' ? '' : dir) + '/' + name;

function el(tag, props = {}, ...children) {
  const e = Object.assign(document.createElement(tag), props);
  e.append(...children);
  return e;
}

function showError(message) {
  $('error').textContent = message;
  $('error').hidden = !message;
}

// --- login ----------------------------------------------------------------------------------------------------

/** Tells the other modules (share.js) that a user logged in (detail: the name) or out (detail: null). */
const announce = () => document.dispatchEvent(new CustomEvent('termlet:session', { detail: state.user }));

function showLogin(message = '') {
  Object.assign(state, { user: null, csrf: null, entries: [] });
  announce();
  $('files').hidden = true;
  $('who').hidden = true;
  $('login').hidden = false;
  showError(message);
  $('login-user').focus();
}

function loggedIn(session) {
  Object.assign(state, { user: session.user, csrf: session.csrf });
  $('user-name').textContent = session.user;
  $('login').hidden = true;
  $('who').hidden = false;
  $('files').hidden = false;
  showError('');
  announce();
  load(dirFromHash());
}

$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  try {
    const s = await api('POST', '/api/session', { user: $('login-user').value, password: $('login-password').value });
    loggedIn(s);
  } catch (x) {
    showError(x.message);
  } finally {
    $('login-password').value = '';
  }
});

$('logout').addEventListener('click', async () => {
  try {
    await api('DELETE', '/api/session');
  } catch { /* ended already */ }
  history.replaceState(null, '', '/');
  showLogin();
});

// --- browsing -------------------------------------------------------------------------------------------------

function dirFromHash() {
  try {
    return location.hash.length > 1 ? location.hash.slice(1).split('/').map(decodeURIComponent).join('/') : '/';
  } catch {
    return '/';
  }
}

const dirHash = (dir) => '#' + dir.split('/').map(encodeURIComponent).join('/');

async function load(dir) {
  try {
    const r = await api('GET', fileUrl('list', dir));
    state.dir = r.path;
    state.entries = r.entries.sort((a, b) => (b.directory - a.directory) || a.name.localeCompare(b.name));
    render();
    showError('');
  } catch (x) {
    if (x.status !== 401) showError(x.message);
  }
}

window.addEventListener('hashchange', () => state.user && load(dirFromHash()));

function render() {
  const crumbs = [el('li', {}, el('a', { href: '#/', textContent: state.user }))];
  let at = '';
  for (const part of state.dir.split('/').filter(Boolean)) {
    at += '/' + part;
    crumbs.push(el('li', {}, el('a', { href: dirHash(at), textContent: part })));
  }
  crumbs.at(-1).firstChild.setAttribute('aria-current', 'page');
  $('crumbs').replaceChildren(...crumbs);
  $('zip-folder').href = fileUrl('zip', state.dir);
  $('entries').replaceChildren(...state.entries.map(row));
  $('empty').hidden = state.entries.length > 0;
}

function row(entry) {
  const name = entry.directory
    ? el('a', { href: dirHash(entry.path), textContent: entry.name + '/', className: 'dir' })
    : el('a', { href: fileUrl('download', entry.path), textContent: entry.name, download: '' });
  const tr = el('tr', {},
    el('td', { className: 'name' }, name),
    el('td', { className: 'size' }, entry.directory ? '' : size(entry.size)),
    el('td', { className: 'modified' }, new Date(entry.modified).toLocaleString()),
    el('td', { className: 'actions' }, ...actions(entry)));
  tr.dataset.name = entry.name;
  return tr;
}

function actions(entry) {
  const out = [
    entry.directory
      ? link('Zip', 'zip', fileUrl('zip', entry.path), `Download ${entry.name} as a zip`)
      : link('Download', 'download', fileUrl('download', entry.path), `Download ${entry.name}`),
    button('Rename', 'rename', `Rename ${entry.name}`, () => rename(entry)),
    button('Delete', 'delete', `Delete ${entry.name}`, () => remove(entry)),
  ];
  for (const hook of rowActionHooks) {
    const control = hook(entry, api);
    if (control) out.push(control);
  }
  return out;
}

function link(text, className, href, label) {
  const a = el('a', { href, textContent: text, className: 'button ' + className, download: '' });
  a.setAttribute('aria-label', label);
  return a;
}

function button(text, className, label, onClick) {
  const b = el('button', { type: 'button', textContent: text, className });
  b.setAttribute('aria-label', label);
  b.addEventListener('click', onClick);
  return b;
}

function size(n) {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return (i ? n.toFixed(1) : n) + ' ' + units[i];
}

// --- changes --------------------------------------------------------------------------------------------------

/** Asks in the page's dialog: a name when value is given (resolves to it, or null), else yes or no. */
export function ask(text, { value = null, ok = 'OK' } = {}) {
  const dialog = $('dialog');
  const input = $('dialog-input');
  const naming = value !== null;
  $('dialog-text').textContent = text;
  $('dialog-field').hidden = !naming;
  input.required = naming;
  input.value = value ?? '';
  $('dialog-ok').textContent = ok;
  dialog.returnValue = '';
  dialog.showModal();
  if (naming) input.select();
  return new Promise((resolve) => dialog.addEventListener('close', () => {
    const yes = dialog.returnValue === 'ok';
    resolve(naming ? (yes ? input.value.trim() : null) : yes);
  }, { once: true }));
}

$('dialog-cancel').addEventListener('click', () => $('dialog').close('cancel'));

function checkName(name) {
  if (name === '.' || name === '..' || name.includes('/')) {
    showError(`"${name}" cannot be a name: no "/", and not "." or "..".`);
    return false;
  }
  return true;
}

async function change(work) {
  try {
    await work();
    await load(state.dir);
  } catch (x) {
    if (x.status !== 401) showError(x.message);
  }
}

$('new-folder').addEventListener('click', async () => {
  const name = await ask('Name of the new folder:', { value: '', ok: 'Create' });
  if (name && checkName(name)) await change(() => api('POST', '/api/files/mkdir', { path: join(state.dir, name) }));
});

async function rename(entry) {
  const name = await ask(`New name of ${entry.name}:`, { value: entry.name, ok: 'Rename' });
  if (!name || name === entry.name || !checkName(name)) return;
  await change(() => api('POST', '/api/files/move', { from: entry.path, to: join(state.dir, name) }));
}

async function remove(entry) {
  const what = entry.directory ? `the folder ${entry.name} and everything in it` : entry.name;
  if (await ask(`Delete ${what}?`, { ok: 'Delete' })) {
    await change(() => api('POST', '/api/files/delete', { path: entry.path }));
  }
}

// --- uploads: one request per file, one after another, each with its progress bar ----------------------------

async function upload(files) {
  const dir = state.dir;
  const jobs = [];
  for (const file of files) {
    let overwrite = false;
    if (state.entries.some((e) => e.name === file.name)) {
      if (!(await ask(`Replace ${file.name}?`, { ok: 'Replace' }))) continue;
      overwrite = true;
    }
    jobs.push({ file, overwrite, item: progressItem(file) });
  }
  let failed = 0;
  for (const job of jobs) {
    if (!(await send(job, dir))) failed++;
  }
  if (state.user) {
    await load(state.dir);
    if (failed) showError(`${failed} of ${jobs.length} uploads failed.`);
  }
}

function progressItem(file) {
  for (const done of document.querySelectorAll('#uploads .done')) done.remove();
  const bar = el('progress', { max: file.size || 1, value: 0 });
  bar.setAttribute('aria-label', `Upload of ${file.name}`);
  const status = el('span', { className: 'status', textContent: 'waiting' });
  const li = el('li', {}, el('span', { className: 'name', textContent: file.name }), bar, status);
  li.dataset.name = file.name;
  $('uploads').append(li);
  return { li, bar, status };
}

function send({ file, overwrite, item }, dir) {
  return new Promise((resolve) => {
    const x = new XMLHttpRequest();
    const finish = (ok, text) => {
      item.status.textContent = text;
      item.li.classList.add(ok ? 'done' : 'failed');
      if (ok) item.bar.value = item.bar.max;
      resolve(ok);
    };
    x.open('PUT', fileUrl('upload', join(dir, file.name)) + (overwrite ? '&overwrite=true' : ''));
    x.setRequestHeader('X-CSRF-Token', state.csrf ?? '');
    x.setRequestHeader('Content-Type', 'application/octet-stream');
    x.upload.addEventListener('progress', (e) => {
      if (e.lengthComputable) {
        item.bar.max = e.total || 1;
        item.bar.value = e.loaded;
      }
    });
    x.addEventListener('load', () => {
      if (x.status >= 200 && x.status < 300) return finish(true, 'done');
      if (x.status === 401) showLogin('Your login has ended: please log in again.');
      finish(false, messageOf(x.status, x.responseText));
    });
    x.addEventListener('error', () => finish(false, 'The connection failed.'));
    item.status.textContent = 'uploading';
    x.send(file);
  });
}

$('upload').addEventListener('click', () => $('upload-input').click());
$('upload-input').addEventListener('change', (e) => {
  const files = [...e.target.files];
  e.target.value = '';
  if (files.length) upload(files);
});

// files dropped anywhere on the page; a drop never makes the browser open the file instead
document.addEventListener('dragover', (e) => {
  e.preventDefault();
  if (state.user && e.dataTransfer?.types.includes('Files')) document.body.classList.add('dropping');
});
document.addEventListener('dragleave', (e) => {
  if (!e.relatedTarget) document.body.classList.remove('dropping');
});
document.addEventListener('drop', (e) => {
  e.preventDefault();
  document.body.classList.remove('dropping');
  const files = [...(e.dataTransfer?.files ?? [])];
  if (state.user && files.length) upload(files);
});

// --- start: logged in already (a reload), or the login form --------------------------------------------------

api('GET', '/api/session').then(loggedIn, () => showLogin());
