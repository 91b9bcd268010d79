import { createHmac } from 'node:crypto';
import {
  webhookHeaders,
  webhookSignature,
  webhookSignatureMatches,
  InvalidWebhookSecretError,
} from '../../../infra/notifications/standard-webhooks';

// The example vector published with the Standard Webhooks reference libraries.
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};

describe('Standard Webhooks signing', () => {
  it('given the published vector, when signed, then the signature is the published one', () => {
    expect(webhookSignature(VECTOR)).toBe(VECTOR.signature);
  });

  it('given a signed request, when the headers are read, then they carry the id, the timestamp and a v1 signature', () => {
    expect(webhookHeaders(VECTOR)).toEqual({
      'webhook-id': VECTOR.id,
      'webhook-timestamp': '1614265330',
      'webhook-signature': VECTOR.signature,
    });
  });

  it('given a signature checked by hand, when compared, then it is HMAC-SHA256 of id.timestamp.body under the decoded key', () => {
    const key = Buffer.from(VECTOR.secret.slice(6), 'base64');
    const mac = createHmac('sha256', key).update(`${VECTOR.id}.${VECTOR.timestamp}.${VECTOR.body}`).digest('base64');
    expect(webhookSignature({ ...VECTOR, body: VECTOR.body })).toBe(`v1,${mac}`);
  });

  it('given a header with several signatures, when verified, then one match suffices and a changed body fails', () => {
    expect(webhookSignatureMatches(VECTOR, `v1a,xxxx v1,AAAA ${VECTOR.signature}`)).toBe(true);
    expect(webhookSignatureMatches({ ...VECTOR, body: '{"test": 2432232315}' }, VECTOR.signature)).toBe(false);
  });

  it('given a malformed secret or an id with a dot, when signed, then it is refused without echoing the secret', () => {
    expect(() => webhookSignature({ ...VECTOR, secret: 'whsec_c2hvcnQ=' })).toThrow(InvalidWebhookSecretError);
    try {
      webhookSignature({ ...VECTOR, secret: 'whsec_c2hvcnQ=' });
    } catch (error) {
      expect((error as Error).message).not.toContain('c2hvcnQ');
    }
    expect(() => webhookSignature({ ...VECTOR, id: 'a.b' })).toThrow(/no "\."/);
  });
});
