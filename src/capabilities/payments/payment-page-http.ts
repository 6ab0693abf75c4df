/**
 * The pay page's routes. Outside /api/v1, public, for drivers: the page of an EVSE
 * (`/pay/{station}/{evse}`), its script and style, and the sticker's short address (`/p/{code}`,
 * a redirect to the page). In the API, for operators (`stations:read`, the station's owner): the
 * EVSE's QR code as SVG for a sticker, and the same addresses as JSON.
 * Pages go out with a strict Content-Security-Policy (payment-page.ts) and are rate-limited per
 * address like the API's public routes.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import QRCode from 'qrcode';
import { Type } from '@sinclair/typebox';
import { outsideApi, type HttpApp, type RoutePlugin } from '../../http/http-server.ts';
import { errorResponses } from '../../http/http-error-responses.ts';
import { CodedError } from '../../kernel/errors.ts';
import { isValidStationId } from '../../kernel/ids.ts';
import { normaliseShortCode, payPageCsp, payPagePath, publicBase, shortPath, type BrowserGateway } from './payment-page.ts';
import { fillText, PAY_PAGE_TEXT } from './payment-page-text.ts';
import { PAY_PAGE_ICON, PAY_PAGE_STYLE, renderMessagePage, renderPayPage, type PageAssets } from './payment-page-view.ts';
import { PAY_PAGE_SCRIPT } from './payment-page-script-http.ts';
import { qrSvg } from './payment-page-qr.ts';
import type { PaymentPageService } from './payment-page-service.ts';

export interface PayPageRouteOptions {
  gateway: BrowserGateway | null;
  /** payments.publicUrl, else publicHost and port (the port the server listens on when the setting is 0). */
  publicUrl: string | undefined;
  publicHost: string;
  port: number;
  /** Requests per minute per client address (access.rateLimitPerMinute); 0: no limit. */
  rateLimitPerMinute: number;
}

const version = (body: string) => createHash('sha256').update(body).digest('hex').slice(0, 12);
const SCRIPT_VERSION = version(PAY_PAGE_SCRIPT);
const STYLE_VERSION = version(PAY_PAGE_STYLE);
const ICON_VERSION = version(PAY_PAGE_ICON);
/** Relative to a page at /pay/{station}/{evse}, and to /p/{code}'s own answers. */
const assetsUnder = (dir: string): PageAssets => ({
  script: `${dir}/pay-page.js?v=${SCRIPT_VERSION}`,
  style: `${dir}/pay-page.css?v=${STYLE_VERSION}`,
  icon: `${dir}/pay-page-icon.svg?v=${ICON_VERSION}`,
});
const ASSETS = assetsUnder('../assets');
const ASSETS_FROM_SHORT = assetsUnder('../pay/assets');

const EVSE_ID = /^[1-9][0-9]{0,8}$/;

const EvseQuery = Type.Object({ evseId: Type.Integer({ minimum: 1, maximum: 999_999_999, description: 'The EVSE (1.6: the connector) the sticker is for' }) });
const StationParams = Type.Object({ id: Type.String({ maxLength: 48 }) });
const LinkBody = Type.Object({
  stationId: Type.String(),
  evseId: Type.Integer(),
  code: Type.String({ description: 'The short code (8 characters, Crockford base 32), drawn once per EVSE and never changed' }),
  pageUrl: Type.String({ description: 'The pay page' }),
  shortUrl: Type.String({ description: 'Redirects to the pay page; what the QR code holds' }),
});

export function paymentPageRoutes(page: PaymentPageService, options: PayPageRouteOptions): RoutePlugin[] {
  const csp = payPageCsp(options.gateway);
  const baseOf = (request: FastifyRequest) => publicBase(options.publicUrl, options.publicHost, options.port || request.socket.localPort || 80);
  const linkOf = async (request: FastifyRequest, stationId: string, evseId: number) => {
    const { code } = await page.code(stationId, evseId);
    const base = baseOf(request);
    return { stationId, evseId, code, pageUrl: `${base}${payPagePath(stationId, evseId)}`, shortUrl: `${base}${shortPath(code)}` };
  };

  const api = async (app: HttpApp): Promise<void> => {
    const tags = ['payments'];
    const access = { permission: 'stations:read' as const, owner: { kind: 'station', param: 'id' } };
    app.get(
      '/stations/:id/pay-qr.svg',
      {
        config: { access },
        schema: {
          tags,
          summary: "An EVSE's pay-page QR code for a sticker (SVG; the short address printed under it)",
          params: StationParams,
          querystring: EvseQuery,
          response: { 200: { description: 'The QR code', content: { 'image/svg+xml': { schema: Type.String() } } }, ...errorResponses('not-found') },
        },
      },
      async (request, reply) => {
        const link = await linkOf(request, request.params.id, request.query.evseId);
        const svg = qrSvg(QRCode.create(link.shortUrl, { errorCorrectionLevel: 'M' }).modules, link.shortUrl.replace(/^https?:\/\//, ''));
        return reply
          .type('image/svg+xml; charset=utf-8')
          .header('content-disposition', `inline; filename="pay-${link.code}.svg"`)
          .header('x-content-type-options', 'nosniff')
          .send(svg);
      },
    );
    app.get(
      '/stations/:id/pay-link',
      { config: { access }, schema: { tags, summary: "An EVSE's pay-page addresses (the page, and the short one its QR code holds)", params: StationParams, querystring: EvseQuery, response: { 200: LinkBody, ...errorResponses('not-found') } } },
      async (request) => linkOf(request, request.params.id, request.query.evseId),
    );
  };

  const pages = async (app: HttpApp): Promise<void> => {
    if (options.rateLimitPerMinute > 0) {
      await app.register(rateLimit, {
        max: options.rateLimitPerMinute,
        timeWindow: 60_000,
        keyGenerator: (request) => `page:${request.ip}`,
        errorResponseBuilder: (_request, context) => new CodedError('rate-limited', `more than ${context.max} requests per minute`, { retryAfterSec: Math.ceil(context.ttl / 1000) }),
      });
    }
    const html = (reply: FastifyReply, status: number, body: string) =>
      reply
        .code(status)
        .type('text/html; charset=utf-8')
        .headers({ 'content-security-policy': csp, 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY', 'cache-control': 'no-store' })
        .send(body);
    const asset = (type: string, body: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
      reply.type(type).headers({ 'x-content-type-options': 'nosniff', 'cache-control': 'public, max-age=31536000, immutable' }).send(body);
    const unknown = (reply: FastifyReply, stationId: string, evseId: string, assets: PageAssets) =>
      html(reply, 404, renderMessagePage(PAY_PAGE_TEXT.notFoundTitle, fillText(PAY_PAGE_TEXT.notFound, { station: stationId, evse: evseId }), assets));

    const hide = { schema: { hide: true }, config: { rateLimit: false as const } };
    app.get('/pay/assets/pay-page.js', hide, asset('text/javascript; charset=utf-8', PAY_PAGE_SCRIPT));
    app.get('/pay/assets/pay-page.css', hide, asset('text/css; charset=utf-8', PAY_PAGE_STYLE));
    app.get('/pay/assets/pay-page-icon.svg', hide, asset('image/svg+xml', PAY_PAGE_ICON));
    app.get<{ Params: { stationId: string; evseId: string } }>('/pay/:stationId/:evseId', { schema: { hide: true } }, async (request, reply) => {
      const { stationId, evseId } = request.params;
      if (!isValidStationId(stationId) || !EVSE_ID.test(evseId)) return unknown(reply, stationId, evseId, ASSETS);
      const model = await page.page(stationId, Number(evseId));
      return model ? html(reply, 200, renderPayPage(model, ASSETS)) : unknown(reply, stationId, evseId, ASSETS);
    });
    app.get<{ Params: { code: string } }>('/p/:code', { schema: { hide: true } }, async (request, reply) => {
      const code = normaliseShortCode(request.params.code);
      const target = code ? await page.target(code) : null;
      if (!target) return html(reply, 404, renderMessagePage(PAY_PAGE_TEXT.notFoundTitle, PAY_PAGE_TEXT.codeNotFound, ASSETS_FROM_SHORT));
      // Relative, so the redirect stays on whatever address (and path, behind a proxy) the sticker led to.
      return reply.header('cache-control', 'no-store').redirect(`..${payPagePath(target.stationId, target.evseId)}`, 302);
    });
  };

  return [api, outsideApi(pages)];
}
