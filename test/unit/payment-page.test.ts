/**
 * The pay page's core (src/capabilities/payments/payment-page*.ts): a tariff in plain words
 * (dimensions in a driver's order, tax as the engine bills it, conditions in words, "otherwise"
 * in the engine's first-match order, min and max), amounts per currency, sticker codes, the
 * page's Content-Security-Policy, its HTML (escaped, no inline code, no named card fields) and
 * the QR code's SVG (the path draws exactly the modules it was given).
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { fromOcpi, type TariffModel } from '../../src/capabilities/tariffs/tariff.ts';
import {
  browserGateway,
  conditionsOf,
  evseStatusOf,
  normaliseShortCode,
  payPageCsp,
  payPagePath,
  priceLines,
  publicBase,
  shortCodeFrom,
  tariffNote,
  unitAmount,
} from '../../src/capabilities/payments/payment-page.ts';
import { fillText, PAY_PAGE_TEXT } from '../../src/capabilities/payments/payment-page-text.ts';
import { renderMessagePage, renderPayPage, type PayPageModel } from '../../src/capabilities/payments/payment-page-view.ts';
import { qrSvg, type QrModules } from '../../src/capabilities/payments/payment-page-qr.ts';
import { dec } from '../../src/kernel/decimal.ts';

function ocpi(body: unknown): TariffModel {
  const result = fromOcpi(body);
  assert.ok(result.ok, result.ok ? '' : `${result.path}: ${result.problem}`);
  return result.tariff;
}

const texts = (tariff: TariffModel) => priceLines(tariff).map((l) => l.text);

describe('price lines: a tariff in plain words', () => {
  test('every dimension, VAT on top, step sizes, min and max', () => {
    const tariff = ocpi({
      currency: 'EUR',
      min_price: { excl_vat: 1, incl_vat: 1.21 },
      max_price: { excl_vat: 40 },
      elements: [
        {
          price_components: [
            { type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 },
            { type: 'FLAT', price: 0.5, vat: 21, step_size: 1 },
            { type: 'TIME', price: 1.2, vat: 21, step_size: 900 },
            { type: 'PARKING_TIME', price: 6, vat: 21, step_size: 60 },
          ],
        },
      ],
    });
    assert.deepEqual(texts(tariff), [
      'Session fee: 0.605 EUR (incl. 21 % VAT (0.50 EUR + VAT))',
      'Energy: 0.484 EUR per kWh (incl. 21 % VAT (0.40 EUR + VAT))',
      'Charging time: 1.452 EUR per hour (incl. 21 % VAT (1.20 EUR + VAT), billed per started 15 min)',
      'Parking time (plugged in, not charging): 7.26 EUR per hour (incl. 21 % VAT (6.00 EUR + VAT), billed per started 1 min)',
      'Minimum per session: 1.21 EUR',
      'Maximum per session: 40.00 EUR (excl. VAT)',
    ]);
    assert.deepEqual(priceLines(tariff).map((l) => l.dimension), ['FLAT', 'ENERGY', 'TIME', 'PARKING_TIME', 'MIN', 'MAX']);
  });

  test('first match per dimension: conditional lines in order, "otherwise", and free when nothing else applies', () => {
    const tariff = ocpi({
      currency: 'EUR',
      elements: [
        { price_components: [{ type: 'ENERGY', price: 0.5, step_size: 1 }], restrictions: { day_of_week: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], start_time: '08:00', end_time: '20:00' } },
        { price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1000 }] },
        // Never reached for energy: the element above always applies.
        { price_components: [{ type: 'ENERGY', price: 9, step_size: 1 }] },
        { price_components: [{ type: 'PARKING_TIME', price: 10, step_size: 1 }], restrictions: { start_time: '22:00', end_time: '06:00' } },
        { price_components: [{ type: 'TIME', price: 2, step_size: 1 }], restrictions: { min_duration: 3600, max_kwh: 20 } },
      ],
    });
    assert.deepEqual(texts(tariff), [
      'Energy: 0.50 EUR per kWh (Mon–Fri, 08:00–20:00)',
      'Energy: 0.30 EUR per kWh (otherwise, billed per started 1 kWh)',
      'Charging time: 2.00 EUR per hour (after 1 h, for the first 20 kWh)',
      'Charging time: free at other times',
      'Parking time (plugged in, not charging): 10.00 EUR per hour (22:00–06:00)',
      'Parking time (plugged in, not charging): free at other times',
    ]);
  });

  test('tax included, tax not applicable, no VAT given', () => {
    const included = ocpi({ currency: 'EUR', tax_included: 'YES', elements: [{ price_components: [{ type: 'ENERGY', price: 0.49, vat: 19, step_size: 1 }, { type: 'FLAT', price: 1, step_size: 1 }] }] });
    assert.deepEqual(texts(included), ['Session fee: 1.00 EUR (tax included)', 'Energy: 0.49 EUR per kWh (incl. 19 % VAT)']);
    const none = ocpi({ currency: 'EUR', tax_included: 'N/A', elements: [{ price_components: [{ type: 'ENERGY', price: 0.49, vat: 19, step_size: 1 }] }], max_price: { excl_vat: 30 } });
    assert.deepEqual(texts(none), ['Energy: 0.49 EUR per kWh', 'Maximum per session: 30.00 EUR']);
    const plain = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] });
    assert.deepEqual(texts(plain), ['Energy: 0.30 EUR per kWh'], '2.2.1: no vat = no VAT applies: the price is the price');
  });

  test('reservation elements price reservations, not sessions; nothing priced is free', () => {
    const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'FLAT', price: 5, step_size: 1 }], restrictions: { reservation: 'RESERVATION' } }] });
    assert.deepEqual(texts(tariff), ['Free of charge']);
  });

  test('currencies keep their decimals: JPY none, KWD three', () => {
    assert.deepEqual(texts(ocpi({ currency: 'JPY', elements: [{ price_components: [{ type: 'ENERGY', price: 55, step_size: 1 }] }] })), ['Energy: 55 JPY per kWh']);
    assert.deepEqual(texts(ocpi({ currency: 'KWD', elements: [{ price_components: [{ type: 'FLAT', price: 0.1, step_size: 1 }] }] })), ['Session fee: 0.100 KWD']);
    assert.equal(unitAmount(dec('0.3333333333'), 'EUR'), '0.333333', 'at most six decimals per unit');
  });

  test('conditions in words: day runs, dates, power, current, whole day', () => {
    assert.deepEqual(conditionsOf({ dayOfWeek: ['SATURDAY', 'SUNDAY', 'MONDAY'] }), ['Mon, Sat, Sun']);
    assert.deepEqual(conditionsOf({ dayOfWeek: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'] }), []);
    assert.deepEqual(conditionsOf({ startTime: '00:00', endTime: '00:00' }), [], 'the whole day');
    assert.deepEqual(conditionsOf({ startTime: '18:00' }), ['18:00–24:00']);
    assert.deepEqual(conditionsOf({ startDate: '2026-01-01', endDate: '2026-04-01' }), ['from 2026-01-01', 'before 2026-04-01']);
    assert.deepEqual(conditionsOf({ minPower: 50 }), ['at 50 kW or more']);
    assert.deepEqual(conditionsOf({ minCurrent: 16, maxCurrent: 32 }), ['from 16 to 32 A']);
    assert.deepEqual(conditionsOf({ maxDuration: 5400 }), ['for the first 90 min']);
  });

  test('the tariff\'s own words, English first', () => {
    const tariff = ocpi({ currency: 'EUR', alt_text: [{ language: 'nl', text: 'Gratis parkeren' }, { language: 'en', text: 'Free parking' }], elements: [{ price_components: [{ type: 'ENERGY', price: 0.3, step_size: 1 }] }] });
    assert.equal(tariffNote(tariff), 'Free parking');
  });
});

describe('short codes and addresses', () => {
  test('8 characters of Crockford base 32 from 5 bytes, read back as typed', () => {
    assert.equal(shortCodeFrom([0, 0, 0, 0, 0]), '00000000');
    assert.equal(shortCodeFrom([255, 255, 255, 255, 255]), 'ZZZZZZZZ');
    assert.equal(shortCodeFrom([1, 2, 3, 4, 5]), '04106105', '0x0102030405 in base 32');
    assert.equal(shortCodeFrom([0x12, 0x34, 0x56, 0x78, 0x9a]), '28T5CY4T', 'base-32 digits 26 and 30 are T and Y: the letters skip I, L, O, U');
    assert.equal(normaliseShortCode('0410-6105'), '04106105');
    assert.equal(normaliseShortCode('o4lO 6i05'), '04106105', 'O read as 0, I and L as 1, spaces and dashes dropped');
    assert.equal(normaliseShortCode('0410610U'), null, 'U is not in the alphabet');
    assert.equal(normaliseShortCode('0410610'), null);
  });

  test('page paths and the public base', () => {
    assert.equal(payPagePath('CS:1@A', 2), '/pay/CS%3A1%40A/2');
    assert.equal(publicBase('https://charge.example.com/', 'localhost', 8080), 'https://charge.example.com');
    assert.equal(publicBase(undefined, 'csms.local', 8080), 'http://csms.local:8080');
  });

  test('EVSE status: available when any connector is', () => {
    assert.equal(evseStatusOf([{ status: 'Occupied' }, { status: 'Available' }]), 'Available');
    assert.equal(evseStatusOf([{ status: 'Faulted' }]), 'Faulted');
    assert.equal(evseStatusOf([]), null);
  });
});

describe('the browser side of the gateway and the page policy', () => {
  test('raw with an API address (the fake), Stripe.js without; no publishable key, no form', () => {
    assert.deepEqual(browserGateway({ apiUrl: 'http://127.0.0.1:12111/', publishableKey: 'pk_test_x' }), { mode: 'raw', url: 'http://127.0.0.1:12111', publishableKey: 'pk_test_x' });
    assert.deepEqual(browserGateway({ publishableKey: 'pk_live_x' }), { mode: 'stripe-js', url: 'https://api.stripe.com', publishableKey: 'pk_live_x' });
    assert.equal(browserGateway({ apiUrl: 'http://x' }), null);
  });

  test('own script and style only, requests to us and the gateway, no form submission, no framing', () => {
    const raw = payPageCsp({ mode: 'raw', url: 'http://127.0.0.1:12111', publishableKey: 'pk' });
    assert.match(raw, /default-src 'none'/);
    assert.match(raw, /script-src 'self';/);
    assert.match(raw, /connect-src 'self' http:\/\/127\.0\.0\.1:12111;/);
    assert.match(raw, /form-action 'none'/);
    assert.match(raw, /frame-ancestors 'none'/);
    assert.doesNotMatch(raw, /unsafe-inline|unsafe-eval/);
    const stripeJs = payPageCsp({ mode: 'stripe-js', url: 'https://api.stripe.com', publishableKey: 'pk' });
    assert.match(stripeJs, /script-src 'self' https:\/\/js\.stripe\.com/);
    assert.match(stripeJs, /frame-src https:\/\/js\.stripe\.com .*https:\/\/hooks\.stripe\.com/);
    assert.match(stripeJs, /connect-src 'self' https:\/\/api\.stripe\.com/);
  });
});

describe('the page\'s HTML', () => {
  const tariff = ocpi({ currency: 'EUR', elements: [{ price_components: [{ type: 'ENERGY', price: 0.4, vat: 21, step_size: 1 }] }] });
  const model: PayPageModel = {
    stationId: 'ST-<b>&"1',
    evseId: 1,
    evseStatus: 'Available',
    blocked: null,
    offer: { currency: 'EUR', lines: priceLines(tariff), note: null, holdMinor: 5000 },
    gateway: { mode: 'raw', url: 'http://127.0.0.1:12111', publishableKey: 'pk_test_chargebridge' },
    pollMs: 2000,
  };
  const assets = { script: '../assets/pay-page.js?v=1', style: '../assets/pay-page.css?v=1', icon: '../assets/pay-page-icon.svg?v=1' };

  test('escaped, no inline script or style, card fields without names, the script\'s data as JSON', () => {
    const html = renderPayPage(model, assets);
    assert.ok(!html.includes('<b>'), 'the station id is escaped');
    assert.ok(html.includes('ST-&lt;b&gt;&amp;&quot;1'));
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'every script has a src');
    assert.doesNotMatch(html, /<style|style="|\son[a-z]+="/i, 'no inline style or handler');
    assert.doesNotMatch(html, /<input[^>]*\bname=/, 'a card field has no name: a native submit would send nothing');
    assert.ok(html.includes('Energy') && html.includes('0.484 EUR per kWh'));
    assert.ok(html.includes(fillText(PAY_PAGE_TEXT.hold, { amount: '50.00 EUR' })));
    assert.ok(html.includes('Hold 50.00 EUR and start charging'));
    const config = JSON.parse(
      (/data-config="([^"]*)"/.exec(html)?.[1] ?? '').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&'),
    );
    assert.deepEqual([config.stationId, config.evseId, config.currency, config.exponent, config.gateway.mode, config.pollMs], ['ST-<b>&"1', 1, 'EUR', 2, 'raw', 2000]);
    assert.equal(config.text.declined, PAY_PAGE_TEXT.script.declined, 'the script\'s words come from the one table');
  });

  test('a blocked page shows why and offers no card form; Stripe.js only when a form is offered', () => {
    const offline = renderPayPage({ ...model, blocked: 'offline' }, assets);
    assert.ok(offline.includes(PAY_PAGE_TEXT.offline));
    assert.ok(!offline.includes('card-form'));
    assert.ok(offline.includes('0.484 EUR per kWh'), 'the price is still shown');
    const stripeJs = renderPayPage({ ...model, gateway: { mode: 'stripe-js', url: 'https://api.stripe.com', publishableKey: 'pk' } }, assets);
    assert.ok(stripeJs.includes('<script src="https://js.stripe.com/v3/" defer></script><script src="../assets/pay-page.js?v=1" defer>'), 'Stripe.js before our script');
    assert.ok(stripeJs.includes('id="card-element"') && !stripeJs.includes('card-number'));
    assert.ok(!renderPayPage({ ...model, gateway: { mode: 'stripe-js', url: 'x', publishableKey: 'pk' }, blocked: 'no-tariff' }, assets).includes('js.stripe.com'));
    assert.ok(renderMessagePage('Not found', 'No <such> charger', assets).includes('No &lt;such&gt; charger'));
  });
});

describe('the QR code\'s SVG', () => {
  /** A 21-module test pattern (not a real code: the drawing is what is tested). */
  const modules: QrModules = { size: 21, get: (row, col) => (row * 7 + col * 3) % 5 === 0 || row === col };

  test('the path draws exactly the dark modules, inside a 4-module quiet zone; the caption is escaped', () => {
    const svg = qrSvg(modules, 'pay.example/p/<AB>');
    const path = /<path d="([^"]*)"/.exec(svg)?.[1] ?? '';
    const drawn = new Set<string>();
    for (const [, x, y, w] of path.matchAll(/M(\d+) (\d+)h(\d+)v1h-\d+z/g)) {
      for (let i = 0; i < Number(w); i++) drawn.add(`${Number(y) - 4},${Number(x) - 4 + i}`);
    }
    const dark = new Set<string>();
    for (let r = 0; r < 21; r++) for (let c = 0; c < 21; c++) if (modules.get(r, c)) dark.add(`${r},${c}`);
    assert.deepEqual([...drawn].sort(), [...dark].sort());
    assert.match(svg, /viewBox="0 0 29 33"/, '21 + 2 x 4 wide, and a caption band below');
    assert.ok(svg.includes('pay.example/p/&lt;AB&gt;') && !svg.includes('<AB>'));
    assert.match(qrSvg(modules, null), /viewBox="0 0 29 29"/);
  });
});
