/**
 * The pay page's script, served as its own file (the page's policy allows no inline script).
 * It runs in the driver's browser: it turns the card into a payment method at the gateway (the
 * card goes from the browser to the gateway, never to us), starts the paid session with that
 * id, then follows the session every `pollMs` until its hold is settled, and shows the receipt.
 * Plain ES2017, no build step, no dependency; every word comes from the page's data (payment-page-text.ts).
 * The session's id is kept in the address's fragment, which browsers never send, so a reload resumes.
 */
export const PAY_PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var main = document.getElementById('pay');
  if (!main) return;
  var cfg = JSON.parse(main.getAttribute('data-config'));
  var T = cfg.text;
  var FINAL = { declined: true, captured: true, released: true, expired: true };
  var $ = function (id) { return document.getElementById(id); };
  var fill = function (template, values) {
    return template.replace(/\{(\w+)\}/g, function (whole, name) { return Object.prototype.hasOwnProperty.call(values, name) ? String(values[name]) : whole; });
  };
  var form = $('card-form');
  var button = $('pay-button');
  var error = $('pay-error');
  var sessionBox = $('session');
  var receipt = $('receipt');
  var stripe = null;
  var cardElement = null;
  var pollTimer = null;

  function UserError(message) { this.message = message; }

  function money(minor) {
    if (minor === null || minor === undefined) return T.none;
    var digits = String(Math.abs(minor)).padStart(cfg.exponent + 1, '0');
    var amount = cfg.exponent === 0 ? digits : digits.slice(0, -cfg.exponent) + '.' + digits.slice(-cfg.exponent);
    return (minor < 0 ? '-' : '') + amount + ' ' + cfg.currency;
  }
  function kwh(wh) { return wh === null || wh === undefined ? T.none : fill(T.kwh, { n: (wh / 1000).toFixed(2) }); }
  function showError(message) {
    if (!error) return;
    error.textContent = message;
    error.hidden = false;
  }
  function busy(on) {
    if (!button) return;
    button.disabled = on;
    if (on) { button.setAttribute('data-label', button.textContent); button.textContent = T.working; }
    else if (button.getAttribute('data-label')) button.textContent = button.getAttribute('data-label');
  }

  async function tokeniseRaw() {
    var number = $('card-number').value.replace(/[\s-]/g, '');
    var expiry = /^(\d{1,2})\s*\/\s*(\d{2}|\d{4})$/.exec($('card-expiry').value.trim());
    var cvc = $('card-cvc').value.trim();
    if (!/^\d{12,19}$/.test(number)) throw new UserError(T.cardNumberInvalid);
    if (!expiry) throw new UserError(T.expiryInvalid);
    if (!/^\d{3,4}$/.test(cvc)) throw new UserError(T.cvcInvalid);
    var body = new URLSearchParams();
    body.set('type', 'card');
    body.set('card[number]', number);
    body.set('card[exp_month]', String(Number(expiry[1])));
    body.set('card[exp_year]', expiry[2].length === 2 ? '20' + expiry[2] : expiry[2]);
    body.set('card[cvc]', cvc);
    var response;
    try {
      response = await fetch(cfg.gateway.url + '/v1/payment_methods', {
        method: 'POST',
        headers: { authorization: 'Bearer ' + cfg.gateway.publishableKey, 'content-type': 'application/x-www-form-urlencoded' },
        body: body,
        credentials: 'omit',
        referrerPolicy: 'no-referrer',
      });
    } catch (e) {
      throw new UserError(T.gatewayUnreachable);
    }
    var answer = await response.json().catch(function () { return {}; });
    if (!response.ok || !answer.id) throw new UserError(cardError(answer.error));
    return answer.id;
  }

  function cardError(err) {
    var code = err && (err.decline_code && T.cardErrors[err.decline_code] ? err.decline_code : err.code);
    return (code && T.cardErrors[code]) || (err && err.message) || T.cardRefused;
  }

  async function tokeniseStripeJs() {
    var result = await stripe.createPaymentMethod({ type: 'card', card: cardElement });
    if (result.error) throw new UserError(cardError(result.error));
    return result.paymentMethod.id;
  }

  async function start(paymentMethod) {
    var response = await fetch(cfg.api, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stationId: cfg.stationId, evseId: cfg.evseId, paymentMethod: paymentMethod }),
    });
    var answer = await response.json().catch(function () { return null; });
    if (response.status === 429) throw new UserError(T.busy);
    if (!response.ok || !answer) throw new UserError(fill(T.startFailed, { detail: (answer && answer.detail) || response.status }));
    return answer;
  }

  function setState(view, message) {
    sessionBox.setAttribute('data-state', view.state);
    sessionBox.setAttribute('data-charging', String(view.charging));
    sessionBox.setAttribute('data-ended', String(view.ended));
    $('session-state').textContent = message;
    $('session-energy').textContent = kwh(view.energyWh);
    $('session-cost').textContent = view.cost === null ? T.none : view.cost + ' ' + view.currency;
    $('session-held').textContent = money(view.heldMinor);
  }

  function render(view) {
    if (view.state === 'declined' && !view.charging) {
      // The card was refused before anything started: the driver may try another card.
      history.replaceState(null, '', location.pathname + location.search);
      sessionBox.hidden = true;
      if (form) form.hidden = false;
      busy(false);
      showError(T.declined);
      return;
    }
    if (form) form.hidden = true;
    sessionBox.hidden = false;
    var message = view.state === 'declined' ? T.declinedStopped
      : view.state === 'expired' ? T.expired
      : view.state === 'released' && !view.charging ? T.released
      : view.state === 'captured' || view.state === 'released' ? T.paid
      : view.ended ? T.finishing
      : view.charging ? T.charging
      : view.state === 'authorizing' ? T.checking
      : T.starting;
    setState(view, message);
    if (view.charging && view.ended && FINAL[view.state]) {
      $('receipt-energy').textContent = kwh(view.energyWh);
      $('receipt-total').textContent = view.cost === null ? T.none : view.cost + ' ' + view.currency;
      $('receipt-captured').textContent = money(view.state === 'captured' ? view.capturedMinor : 0);
      receipt.hidden = false;
    }
  }

  async function poll(paymentId) {
    var view = null;
    try {
      var response = await fetch(cfg.api + '/' + encodeURIComponent(paymentId), { cache: 'no-store' });
      if (response.ok) view = await response.json();
    } catch (e) {
      view = null;
    }
    if (view) {
      render(view);
      if (FINAL[view.state] && (view.ended || !view.charging)) return;
    } else {
      $('session-state').textContent = T.reconnecting;
    }
    pollTimer = setTimeout(function () { poll(paymentId); }, cfg.pollMs);
  }

  function follow(paymentId) {
    if (pollTimer) clearTimeout(pollTimer);
    history.replaceState(null, '', '#payment=' + encodeURIComponent(paymentId));
    poll(paymentId);
  }

  async function submit(event) {
    event.preventDefault();
    if (button && button.disabled) return;
    if (error) error.hidden = true;
    busy(true);
    try {
      var paymentMethod = stripe ? await tokeniseStripeJs() : await tokeniseRaw();
      var view = await start(paymentMethod);
      if (view.state === 'declined' && !view.charging) {
        busy(false);
        showError(T.declined);
        return;
      }
      render(view);
      follow(view.paymentId);
    } catch (e) {
      busy(false);
      showError(e instanceof UserError ? e.message : T.gatewayUnreachable);
    }
  }

  if (form) {
    if (cfg.gateway && cfg.gateway.mode === 'stripe-js') {
      if (typeof window.Stripe !== 'function') {
        showError(T.gatewayUnavailable);
        button.disabled = true;
      } else {
        stripe = window.Stripe(cfg.gateway.publishableKey);
        cardElement = stripe.elements().create('card');
        cardElement.mount('#card-element');
      }
    }
    form.addEventListener('submit', submit);
  }
  var resumed = /^#payment=([0-9a-fA-F-]{36})$/.exec(location.hash);
  if (resumed) {
    if (form) form.hidden = true;
    sessionBox.hidden = false;
    follow(decodeURIComponent(resumed[1]));
  }
})();
`;
