'use strict';
// The visitor's page of a share link. It reads the link's token from the address; every call goes to the same
// origin, and the visit's cookie (HttpOnly) is sent by the browser.
(function () {
  const token = location.pathname.split('/')[2];
  const base = '/s/' + encodeURIComponent(token);
  const $ = (id) => document.getElementById(id);
  let info = null;

  function status(text, error) {
    const s = $('status');
    s.textContent = text || '';
    s.className = error ? 'detail error' : 'detail';
  }

  async function problem(r) {
    try {
      const p = await r.json();
      return p.detail || p.title || ('error ' + r.status);
    } catch (e) {
      return 'error ' + r.status;
    }
  }

  function size(n) {
    if (n < 1024) return n + ' B';
    const units = ['KiB', 'MiB', 'GiB', 'TiB'];
    let v = n;
    let i = -1;
    do { v /= 1024; i++; } while (v >= 1024 && i < units.length - 1);
    return v.toFixed(1) + ' ' + units[i];
  }

  async function start() {
    const r = await fetch(base + '/api/info', { credentials: 'same-origin' });
    if (!r.ok) { status(await problem(r), true); return; }
    info = await r.json();
    if (info.password && !info.opened) {
      $('password-form').hidden = false;
      $('password').focus();
      return;
    }
    if (!info.opened) {
      const a = await fetch(base + '/api/auth', { method: 'POST', credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json' }, body: '{}' });
      if (!a.ok) { status(await problem(a), true); return; }
    }
    show();
  }

  function show() {
    $('title').textContent = info.name;
    if (!info.directory) {
      $('file').hidden = false;
      $('file-link').href = base + '/file';
      return;
    }
    if (info.mode !== 'upload-only') {
      $('folder').hidden = false;
      browse('/');
    } else {
      status('Drop your files here. Files already here are not shown and cannot be replaced.');
    }
    if (info.mode !== 'read') {
      $('upload').hidden = false;
    }
  }

  let current = '/';

  async function browse(path) {
    const r = await fetch(base + '/api/list?path=' + encodeURIComponent(path), { credentials: 'same-origin' });
    if (!r.ok) { status(await problem(r), true); return; }
    const listing = await r.json();
    current = listing.path;
    $('zip-link').href = base + '/zip?path=' + encodeURIComponent(current);
    const crumbs = $('crumbs');
    crumbs.replaceChildren();
    const parts = current.split('/').filter((p) => p);
    const top = document.createElement('a');
    top.href = '#';
    top.textContent = info.name;
    top.addEventListener('click', (e) => { e.preventDefault(); browse('/'); });
    crumbs.append(top);
    let acc = '';
    for (const p of parts) {
      acc += '/' + p;
      const target = acc;
      const a = document.createElement('a');
      a.href = '#';
      a.textContent = p;
      a.addEventListener('click', (e) => { e.preventDefault(); browse(target); });
      crumbs.append(' / ', a);
    }
    const body = $('entries').tBodies[0];
    body.replaceChildren();
    for (const en of listing.entries) {
      const tr = document.createElement('tr');
      const name = document.createElement('td');
      const a = document.createElement('a');
      a.textContent = en.name + (en.directory ? '/' : '');
      if (en.directory) {
        a.href = '#';
        a.addEventListener('click', (e) => { e.preventDefault(); browse(en.path); });
      } else {
        a.href = base + '/file?path=' + encodeURIComponent(en.path);
      }
      name.append(a);
      const sz = document.createElement('td');
      sz.className = 'size';
      sz.textContent = en.directory ? '' : size(en.size);
      const mod = document.createElement('td');
      mod.textContent = new Date(en.modified).toLocaleString();
      tr.append(name, sz, mod);
      body.append(tr);
    }
  }

  $('password-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const r = await fetch(base + '/api/auth', { method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ password: $('password').value }) });
    $('password').value = '';
    if (!r.ok) { status(await problem(r), true); return; }
    $('password-form').hidden = true;
    status('');
    const again = await fetch(base + '/api/info', { credentials: 'same-origin' });
    info = await again.json();
    show();
  });

  $('upload-form').addEventListener('submit', async (e) => {
    e.preventDefault();
    const files = Array.from($('upload-files').files);
    const dir = info.mode === 'upload-only' ? '/' : current;
    for (const f of files) {
      const path = (dir === '/' ? '' : dir) + '/' + f.name;
      status('Uploading ' + f.name + '…');
      const r = await fetch(base + '/file?path=' + encodeURIComponent(path), { method: 'PUT',
        credentials: 'same-origin', headers: { 'Content-Type': 'application/octet-stream' }, body: f });
      const li = document.createElement('li');
      li.textContent = f.name + ': ' + (r.ok ? 'uploaded' : await problem(r));
      $('uploaded').append(li);
    }
    status('');
    $('upload-files').value = '';
    if (info.mode === 'write') browse(current);
  });

  start().catch(() => status('The share could not be loaded.', true));
}());
