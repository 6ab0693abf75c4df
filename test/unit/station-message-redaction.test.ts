import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactFrame } from '../../src/capabilities/stations/station-message-redaction.ts';

test('secrets in 1.6 and 2.x frames are replaced, the rest is kept', () => {
  assert.equal(
    redactFrame('[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"s3cr3t"}]'),
    '[2,"1","ChangeConfiguration",{"key":"AuthorizationKey","value":"***"}]',
  );
  const setVariables = JSON.parse(
    redactFrame(JSON.stringify([2, '2', 'SetVariables', { setVariableData: [{ attributeValue: 'pw-123456789012', component: { name: 'SecurityCtrlr' }, variable: { name: 'BasicAuthPassword' } }, { attributeValue: '300', component: { name: 'OCPPCommCtrlr' }, variable: { name: 'HeartbeatInterval' } }] }])),
  );
  assert.equal(setVariables[3].setVariableData[0].attributeValue, '***');
  assert.equal(setVariables[3].setVariableData[1].attributeValue, '300');
  const profile = JSON.parse(redactFrame(JSON.stringify([2, '3', 'SetNetworkProfile', { connectionData: { apn: { apn: 'x', apnPassword: 'pw' }, vpn: { password: 'p2', key: 'k' } } }])));
  assert.equal(profile[3].connectionData.apn.apnPassword, '***');
  assert.equal(profile[3].connectionData.vpn.password, '***');
  assert.equal(profile[3].connectionData.apn.apn, 'x');
  const idToken = '[2,"4","Authorize",{"idToken":{"idToken":"TAG-1","type":"ISO14443"}}]';
  assert.equal(redactFrame(idToken), idToken, 'id tokens are not secrets; the console shows them');
  assert.doesNotMatch(redactFrame('[2,"5","X",{"password":"abc" '), /abc/, 'an unparsable frame that may hold a secret is withheld');
});

test('personal data of customer-information requests and reports is not kept; other data is', () => {
  const request = JSON.parse(redactFrame(JSON.stringify([2, '6', 'CustomerInformation', { requestId: 1, report: true, clear: false, idToken: { idToken: 'TAG-9', type: 'ISO14443' }, customerIdentifier: 'jane@example.org' }])));
  assert.deepEqual([request[3].idToken, request[3].customerIdentifier, request[3].requestId], ['***', '***', 1]);
  const report = JSON.parse(redactFrame(JSON.stringify([2, '7', 'NotifyCustomerInformation', { data: 'Jane Doe, card TAG-9', seqNo: 0, generatedAt: '2026-12-07T10:00:00Z', requestId: 1 }])));
  assert.deepEqual([report[3].data, report[3].seqNo], ['***', 0]);
  const vendor = '[2,"8","DataTransfer",{"vendorId":"com.example","data":"coolant 41.5"}]';
  assert.equal(redactFrame(vendor), vendor, 'a vendor payload is not personal data');
});
