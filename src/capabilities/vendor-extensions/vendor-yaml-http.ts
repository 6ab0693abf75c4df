/**
 * Vendor profiles in YAML as well as JSON (issue 14: "a JSON/YAML document per vendor"): a body
 * sent as `application/yaml` is read into the same document a JSON body gives, and `?format=yaml`
 * answers one. The `yaml` library (eemeli/yaml, already in the tree through @fastify/swagger) reads
 * YAML 1.2; aliases are refused outright, so a small upload cannot expand into a huge document.
 */
import { parse, stringify } from 'yaml';
import type { FastifyReply } from 'fastify';
import { CodedError } from '../../kernel/errors.ts';
import type { HttpApp } from '../../http/http-server.ts';

export const YAML_TYPES = ['application/yaml', 'application/x-yaml', 'text/yaml'];

/** Reads `application/yaml` bodies of the vendor-profile routes (the rest of the API takes JSON only). */
export function acceptYaml(app: HttpApp): void {
  app.addContentTypeParser(YAML_TYPES, { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parse(body as string, { maxAliasCount: 0, prettyErrors: true }));
    } catch (error) {
      done(new CodedError('invalid-input', `the YAML body cannot be read: ${(error as Error).message.split('\n')[0]}`), undefined);
    }
  });
}

/** Sends `document` as YAML when the query asked for it; false otherwise (the route answers JSON). */
export function sendYaml(reply: FastifyReply, format: string | undefined, document: unknown): boolean {
  if (format !== 'yaml') return false;
  void reply.type('application/yaml; charset=utf-8').send(stringify(document));
  return true;
}
