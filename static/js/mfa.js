// Starts allauth's WebAuthn forms (static/mfa/js/webauthn.js, shipped by django-allauth) from
// data-* attributes, so that the MFA pages need no inline <script> (templates/mfa/).
//   <div data-allauth-webauthn="addForm" data-ids-add="…" data-ids-credential="…" …>
// Every data-ids-NAME attribute becomes ids.NAME of the form's options.
(function () {
  'use strict'
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('[data-allauth-webauthn]').forEach(function (element) {
      const forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms
      const start = forms && forms[element.dataset.allauthWebauthn]
      if (typeof start !== 'function') return
      const ids = {}
      Object.keys(element.dataset).forEach(function (key) {
        if (key.startsWith('ids') && key.length > 3) {
          ids[key.charAt(3).toLowerCase() + key.slice(4)] = element.dataset[key]
        }
      })
      start({ ids: ids })
    })
  })
})()
