/**
 * Token CSV import (authorization-csv-service.ts reads the text with
 * csv-parse, authorization-csv.ts decides): quoting, line breaks inside
 * quotes, blank lines, a byte order mark, and errors naming the line a
 * record starts on.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CodedError } from '../../src/kernel/errors.ts';
import { parseTokenCsv } from '../../src/capabilities/authorization/authorization-csv-service.ts';

function refusal(text: string): CodedError {
  try {
    parseTokenCsv(text);
  } catch (error) {
    assert.ok(error instanceof CodedError, String(error));
    assert.equal(error.code, 'invalid-input');
    return error;
  }
  assert.fail('the CSV was accepted');
}

test('columns in any order; quotes, commas and "" inside quotes; empty cells are absent values', () => {
  const tokens = parseTokenCsv('groupId,status,idToken,type,expiresAt\n"fleet, north",Blocked,"RFID ""7""",ISO14443,2030-01-01T00:00:00Z\n,,PLAIN-1,,\n');
  assert.deepEqual(tokens, [
    { idToken: 'RFID "7"', type: 'ISO14443', status: 'Blocked', expiresAt: '2030-01-01T00:00:00Z', groupId: 'fleet, north' },
    { idToken: 'PLAIN-1', type: undefined, status: undefined, expiresAt: null, groupId: null },
  ]);
});

test('a quoted cell with a line break stays one record, and later lines keep their numbers', () => {
  const text = 'idToken,groupId\nTOKEN-1,"depot\nnorth"\r\nTOKEN-2,south\nTOKEN-3,"a\nb\nc"\n';
  const tokens = parseTokenCsv(text);
  assert.deepEqual(
    tokens.map((t) => [t.idToken, t.groupId]),
    [
      ['TOKEN-1', 'depot\nnorth'],
      ['TOKEN-2', 'south'],
      ['TOKEN-3', 'a\nb\nc'],
    ],
  );
  const bad = refusal('idToken,status\n"TOKEN-1",Accepted\nTOKEN-2,"Blocked\nor not"\nTOKEN-3,Accepted\n');
  assert.deepEqual(bad.details, { line: 3, column: 'status' }, 'the record starting on line 3 spans two lines');
  assert.equal(bad.message, 'CSV line 3: unknown status Blocked\nor not');
  const after = refusal('idToken,groupId\nTOKEN-1,"two\nlines"\nTOKEN-2,x\n,empty-id\n');
  assert.deepEqual(after.details, { line: 5, column: 'idToken' }, 'lines after a multi-line record are counted in the text');
});

test('blank lines are skipped but counted, cells are trimmed, a byte order mark is dropped', () => {
  const tokens = parseTokenCsv('\uFEFFidToken , type\n\n  TOKEN-1  ,  Central \n   \nTOKEN-2,\n');
  assert.deepEqual(
    tokens.map((t) => [t.idToken, t.type]),
    [
      ['TOKEN-1', 'Central'],
      ['TOKEN-2', undefined],
    ],
  );
  assert.deepEqual(refusal('idToken,type\n\nTOKEN-1,Central\n\nTOKEN-2,Badge\n').details, { line: 5, column: 'type' });
});

test('a header without idToken, an empty text and malformed quoting are refused', () => {
  assert.match(refusal('token,type\nA,Central\n').message, /header must name an idToken column/);
  assert.match(refusal('').message, /header must name an idToken column/);
  const unclosed = refusal('idToken,groupId\nTOKEN-1,ok\nTOKEN-2,"never closed\nTOKEN-3,x\n');
  assert.match(unclosed.message, /^CSV line \d+: .*quote/i);
  assert.equal(typeof unclosed.details?.line, 'number');
  assert.match(refusal('idToken\nTOK"EN\n').message, /^CSV line 2: /);
});
