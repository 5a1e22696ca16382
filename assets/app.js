// Pomerium Console: small progressive enhancements. Every page works without this file; it only
// adds modals, copy buttons, toast dismissal, the namespace filter and the CSRF header for htmx.
(function () {
  'use strict';

  var nativeCommands = typeof HTMLButtonElement !== 'undefined' && 'commandForElement' in HTMLButtonElement.prototype;

  function byId(id) { return id ? document.getElementById(id) : null; }

  function openModal(dialog) {
    if (dialog && typeof dialog.showModal === 'function' && !dialog.open) dialog.showModal();
  }

  // each calls fn for root and its descendants matching sel: htmx:load fires on the swapped
  // element itself, which may be the toast or dialog to enhance.
  function each(root, sel, fn) {
    if (root.matches && root.matches(sel)) fn(root);
    root.querySelectorAll(sel).forEach(fn);
  }

  // Elements marked data-js-only are useless without JavaScript, so they ship hidden.
  function enhance(root) {
    each(root, '[data-js-only][hidden]', function (el) { el.hidden = false; });
    each(root, 'dialog[data-modal-autoopen]', function (d) {
      // A <dialog open> rendered by the server is non-modal; reopen it modally for focus trapping.
      if (d.open && !d.matches(':modal')) d.close();
      openModal(d);
    });
    each(root, '.toast[data-autodismiss]', function (t) {
      var ms = Number(t.getAttribute('data-autodismiss')) || 5000;
      // htmx also fires htmx:load for the initial page, so a toast must be scheduled only once.
      t.removeAttribute('data-autodismiss');
      setTimeout(function () { dismissToast(t); }, ms);
    });
  }

  function dismissToast(toast) {
    if (!toast || !toast.isConnected) return;
    toast.classList.add('leaving');
    setTimeout(function () { toast.remove(); }, 200);
  }

  function copy(button) {
    var target = byId(button.getAttribute('data-copy-target'));
    if (!target) return;
    var text = 'value' in target ? target.value : target.textContent;
    var done = function () {
      var label = button.querySelector('[data-copy-label]');
      if (!label) return;
      var before = label.textContent;
      label.textContent = 'Copied';
      setTimeout(function () { label.textContent = before; }, 1500);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(target, done); });
    } else {
      fallbackCopy(target, done);
    }
  }

  // Plain-HTTP consoles have no async clipboard API; selecting the field still lets the user copy.
  function fallbackCopy(target, done) {
    if (typeof target.select === 'function') target.select();
    try { if (document.execCommand('copy')) done(); } catch (e) { /* the text stays selected */ }
  }

  // Filters a flat, depth-annotated tree list; ancestors of a match stay visible for context.
  function filterList(input) {
    var list = byId(input.getAttribute('data-filter-list'));
    if (!list) return;
    var q = input.value.trim().toLowerCase();
    var items = Array.prototype.slice.call(list.querySelectorAll('li[data-filter-text]'));
    var show = items.map(function (li) { return q === '' || li.getAttribute('data-filter-text').indexOf(q) !== -1; });
    if (q !== '') {
      items.forEach(function (li, i) {
        if (!show[i]) return;
        var depth = Number(li.getAttribute('data-depth'));
        for (var j = i - 1; j >= 0 && depth > 0; j--) {
          var d = Number(items[j].getAttribute('data-depth'));
          if (d < depth) { show[j] = true; depth = d; }
        }
      });
    }
    var visible = 0;
    items.forEach(function (li, i) { li.hidden = !show[i]; if (show[i]) visible++; });
    var empty = list.querySelector('[data-filter-empty]');
    if (empty) empty.hidden = visible !== 0;
  }

  document.addEventListener('click', function (e) {
    var t = e.target;
    if (!(t instanceof Element)) return;
    var opener = t.closest('[data-modal-open]');
    if (opener && !(nativeCommands && opener.hasAttribute('commandfor'))) {
      e.preventDefault();
      openModal(byId(opener.getAttribute('data-modal-open')));
      return;
    }
    var closer = t.closest('[data-modal-close]');
    if (closer && !(nativeCommands && closer.hasAttribute('commandfor'))) {
      var dialog = closer.closest('dialog');
      if (dialog) dialog.close();
      return;
    }
    if (t.tagName === 'DIALOG' && t.open) {
      // A click on the backdrop lands on the dialog element itself.
      var r = t.getBoundingClientRect();
      if (e.clientX < r.left || e.clientX > r.right || e.clientY < r.top || e.clientY > r.bottom) t.close();
      return;
    }
    var copyButton = t.closest('[data-copy-target]');
    if (copyButton) { copy(copyButton); return; }
    var toastClose = t.closest('[data-toast-close]');
    if (toastClose) { dismissToast(toastClose.closest('.toast')); return; }
    // Clicking elsewhere closes open dropdowns, as menus do.
    document.querySelectorAll('details.dropdown[open]').forEach(function (d) {
      if (!d.contains(t)) d.open = false;
    });
  });

  document.addEventListener('input', function (e) {
    var t = e.target;
    if (t instanceof Element && t.hasAttribute('data-filter-list')) filterList(t);
  });

  document.addEventListener('keydown', function (e) {
    if (e.key !== 'Escape') return;
    var open = document.activeElement && document.activeElement.closest('details.dropdown[open]');
    if (open) {
      open.open = false;
      var summary = open.querySelector('summary');
      if (summary) summary.focus();
    }
  });

  document.addEventListener('toggle', function (e) {
    var d = e.target;
    if (!(d instanceof HTMLDetailsElement) || !d.open || !d.classList.contains('dropdown')) return;
    var filter = d.querySelector('[data-filter-list]');
    if (filter) filter.focus();
  }, true);

  document.addEventListener('htmx:configRequest', function (e) {
    var meta = document.querySelector('meta[name="csrf-token"]');
    if (meta && meta.content) e.detail.headers['X-CSRF-Token'] = meta.content;
  });

  document.addEventListener('htmx:sendError', function () {
    var region = byId('toasts');
    if (!region) return;
    var toast = document.createElement('div');
    toast.className = 'toast toast-error';
    toast.setAttribute('role', 'alert');
    var body = document.createElement('div');
    body.className = 'toast-body';
    body.textContent = 'The console could not be reached. Check your connection and try again.';
    toast.appendChild(body);
    region.appendChild(toast);
    setTimeout(function () { dismissToast(toast); }, 8000);
  });

  document.addEventListener('htmx:load', function (e) { enhance(e.target); });
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', function () { enhance(document); });
  } else {
    enhance(document);
  }
})();
