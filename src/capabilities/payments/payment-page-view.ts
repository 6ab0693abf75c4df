/**
 * The pay page's HTML (core): rendered on the server, small, no inline script or style, so the
 * page can be sent with a strict Content-Security-Policy (payment-page.ts). What the script needs
 * (the station, the gateway's public key, the words it shows) travels as JSON in a data
 * attribute. Card fields carry no `name`: even a form the browser submitted by itself (script
 * blocked, `form-action 'none'` ignored) would send no card data to this server.
 * Addresses are relative to the page (/pay/{station}/{evse}), so a proxy may serve it under a path.
 */
import { currencyExponent } from '../../kernel/decimal.ts';
import type { BrowserGateway, PriceLine } from './payment-page.ts';
import { minorText } from './payment-page.ts';
import { fillText, PAY_PAGE_TEXT, type PayPageText } from './payment-page-text.ts';

export interface PayPageModel {
  stationId: string;
  evseId: number;
  /** The EVSE's neutral status (Available, Occupied, ...), null when never reported. */
  evseStatus: string | null;
  /** Why no card form is offered, or null when it is. */
  blocked: 'payments-off' | 'no-tariff' | 'offline' | 'out-of-service' | null;
  /** The price before paying; null without a tariff. */
  offer: { currency: string; lines: PriceLine[]; note: string | null; holdMinor: number } | null;
  gateway: BrowserGateway | null;
  pollMs: number;
}

/** Where the page's own files are, relative to a page at /pay/{station}/{evse} or /p/{code}. */
export interface PageAssets {
  script: string;
  style: string;
  icon: string;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch] as string);
}

/** The document's head; `scripts` in order (the gateway's before ours, which uses it). */
function head(title: string, assets: PageAssets, scripts: string[], text: PayPageText): string {
  return (
    `<!doctype html><html lang="${text.lang}"><head><meta charset="utf-8">` +
    '<meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<meta name="referrer" content="no-referrer">' +
    `<title>${escapeHtml(title)}</title>` +
    `<link rel="icon" href="${escapeHtml(assets.icon)}" type="image/svg+xml">` +
    `<link rel="stylesheet" href="${escapeHtml(assets.style)}">` +
    scripts.map((src) => `<script src="${escapeHtml(src)}" defer></script>`).join('') +
    '</head>'
  );
}

/** A page that only says something (unknown charger, unknown code). */
export function renderMessagePage(title: string, message: string, assets: PageAssets, text: PayPageText = PAY_PAGE_TEXT): string {
  return `${head(title, assets, [], text)}<body><main class="pay"><h1>${escapeHtml(title)}</h1><p class="notice" data-testid="notice">${escapeHtml(message)}</p></main></body></html>`;
}

function priceSection(model: PayPageModel, text: PayPageText): string {
  if (!model.offer) return '';
  const { offer } = model;
  const items = offer.lines
    .map(
      (l) =>
        `<li data-dimension="${l.dimension}"><span class="label">${escapeHtml(l.label)}</span>` +
        (l.amount ? ` <span class="amount">${escapeHtml(l.amount)}</span>` : '') +
        (l.details.length > 0 ? ` <span class="details">${escapeHtml(l.details.join(' · '))}</span>` : '') +
        '</li>',
    )
    .join('');
  return (
    '<section class="price" data-testid="price" aria-labelledby="price-heading">' +
    `<h2 id="price-heading">${escapeHtml(text.priceHeading)}</h2>` +
    `<ul class="lines">${items}</ul>` +
    (offer.note ? `<p class="note">${escapeHtml(fillText(text.about, { text: offer.note }))}</p>` : '') +
    `<p class="small">${escapeHtml(text.priceNow)}</p>` +
    `<p class="hold" data-testid="hold">${escapeHtml(fillText(text.hold, { amount: minorText(offer.holdMinor, offer.currency, text) }))}</p>` +
    '</section>'
  );
}

function cardFields(gateway: BrowserGateway, text: PayPageText): string {
  if (gateway.mode === 'stripe-js') return `<label for="card-element">${escapeHtml(text.cardElement)}</label><div id="card-element" class="element" data-testid="card-element"></div>`;
  return (
    `<label for="card-number">${escapeHtml(text.cardNumber)}</label>` +
    '<input id="card-number" inputmode="numeric" autocomplete="cc-number" maxlength="23" required>' +
    '<div class="row">' +
    `<div><label for="card-expiry">${escapeHtml(text.cardExpiry)}</label><input id="card-expiry" autocomplete="cc-exp" placeholder="MM/YY" maxlength="7" required></div>` +
    `<div><label for="card-cvc">${escapeHtml(text.cardCvc)}</label><input id="card-cvc" inputmode="numeric" autocomplete="cc-csc" maxlength="4" required></div>` +
    '</div>'
  );
}

function cardForm(model: PayPageModel, text: PayPageText): string {
  if (model.blocked || !model.offer || !model.gateway) return '';
  const amount = minorText(model.offer.holdMinor, model.offer.currency, text);
  return (
    '<form id="card-form" class="card" novalidate>' +
    `<h2>${escapeHtml(text.cardHeading)}</h2>` +
    cardFields(model.gateway, text) +
    `<button id="pay-button" type="submit" data-testid="pay-button">${escapeHtml(fillText(text.submit, { amount }))}</button>` +
    '<p id="pay-error" class="error" role="alert" data-testid="pay-error" hidden></p>' +
    `<p class="small">${escapeHtml(text.cardSafety)}</p>` +
    '</form>'
  );
}

function sessionSections(text: PayPageText): string {
  const s = text.script;
  const row = (id: string, label: string) => `<dt>${escapeHtml(label)}</dt><dd id="${id}" data-testid="${id}">${escapeHtml(s.none)}</dd>`;
  return (
    '<section id="session" class="session" data-testid="session" aria-live="polite" hidden>' +
    '<p id="session-state" class="state" data-testid="session-state"></p>' +
    `<dl>${row('session-energy', s.energy)}${row('session-cost', s.cost)}${row('session-held', s.held)}</dl>` +
    '</section>' +
    '<section id="receipt" class="receipt" data-testid="receipt" hidden>' +
    `<h2>${escapeHtml(s.receiptHeading)}</h2>` +
    `<dl>${row('receipt-energy', s.receiptEnergy)}${row('receipt-total', s.receiptTotal)}${row('receipt-captured', s.receiptCaptured)}</dl>` +
    `<p class="small">${escapeHtml(s.receiptReleased)}</p>` +
    '</section>'
  );
}

function notice(model: PayPageModel, text: PayPageText): string {
  const message = { 'payments-off': text.paymentsOff, 'no-tariff': text.noTariff, offline: text.offline, 'out-of-service': text.outOfService }[model.blocked ?? 'payments-off'];
  return model.blocked ? `<p class="notice" data-testid="notice">${escapeHtml(message)}</p>` : '';
}

/** The pay page of one EVSE. */
export function renderPayPage(model: PayPageModel, assets: PageAssets, text: PayPageText = PAY_PAGE_TEXT): string {
  const names = { station: model.stationId, evse: model.evseId };
  const config = {
    stationId: model.stationId,
    evseId: model.evseId,
    currency: model.offer?.currency ?? null,
    exponent: model.offer ? (currencyExponent(model.offer.currency) ?? 2) : 2,
    gateway: model.gateway,
    pollMs: model.pollMs,
    api: '../../api/v1/pay/sessions',
    text: text.script,
  };
  const status = model.evseStatus ? ` <span class="status" data-testid="evse-status" data-status="${escapeHtml(model.evseStatus)}">${escapeHtml(text.status[model.evseStatus] ?? model.evseStatus)}</span>` : '';
  const stripeJs = model.gateway?.mode === 'stripe-js' && !model.blocked ? ['https://js.stripe.com/v3/'] : [];
  return (
    head(fillText(text.title, names), assets, [...stripeJs, assets.script], text) +
    `<body><main id="pay" class="pay" data-config="${escapeHtml(JSON.stringify(config))}">` +
    `<h1>${escapeHtml(text.heading)}</h1>` +
    `<p class="where" data-testid="where">${escapeHtml(fillText(text.where, names))}${status}</p>` +
    notice(model, text) +
    // Hidden until the driver paid; then what they came back to look at comes first.
    sessionSections(text) +
    priceSection(model, text) +
    cardForm(model, text) +
    `<noscript><p class="notice">${escapeHtml(text.noScript)}</p></noscript>` +
    '</main></body></html>'
  );
}

/** The page's icon: a bolt (browsers ask for one; without it they log a missing /favicon.ico). */
export const PAY_PAGE_ICON = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 16 16"><rect width="16" height="16" rx="3" fill="#1f6feb"/><path d="M9 1 3 9h4l-1 6 6-8H8z" fill="#fff"/></svg>';

/** The page's style sheet (served as a file: the policy allows no inline style). */
export const PAY_PAGE_STYLE = `
*{box-sizing:border-box}
body{margin:0;font:16px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;background:#f4f5f7}
.pay{max-width:30rem;margin:0 auto;padding:1rem}
h1{font-size:1.4rem;margin:.5rem 0}
h2{font-size:1.1rem;margin:0 0 .5rem}
section,form{background:#fff;border-radius:.75rem;padding:1rem;margin:1rem 0;box-shadow:0 1px 3px rgba(0,0,0,.08)}
.where{margin:0;color:#444}
.status{display:inline-block;margin-left:.4rem;padding:0 .5rem;border-radius:1rem;background:#e8eef9;font-size:.85rem}
.status[data-status=Available]{background:#dff3e4}
.lines{list-style:none;margin:0;padding:0}
.lines li{padding:.4rem 0;border-bottom:1px solid #eee}
.lines li:last-child{border-bottom:0}
.label{display:block;font-size:.85rem;color:#555}
.amount{font-weight:600;font-size:1.05rem}
.details{display:block;font-size:.8rem;color:#666}
.hold{font-weight:500}
.small{font-size:.8rem;color:#666}
label{display:block;font-size:.85rem;margin:.6rem 0 .2rem}
input,.element{width:100%;font-size:1.1rem;padding:.6rem;border:1px solid #bbb;border-radius:.4rem;background:#fff}
.row{display:flex;gap:.75rem}
.row>div{flex:1}
button{width:100%;margin-top:1rem;padding:.8rem;font-size:1.05rem;font-weight:600;color:#fff;background:#1f6feb;border:0;border-radius:.5rem}
button:disabled{background:#8aa9d6}
.error{color:#b00020;font-weight:500}
.notice{background:#fff4e5;border-radius:.5rem;padding:.75rem}
.state{font-size:1.15rem;font-weight:600}
dl{display:grid;grid-template-columns:auto 1fr;gap:.3rem 1rem;margin:.5rem 0}
dt{color:#555}
dd{margin:0;text-align:right;font-variant-numeric:tabular-nums;font-weight:600}
`;
