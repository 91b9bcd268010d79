import { loadConfig } from '../../../infra/config/config';
import {
  mapPersonalFields,
  mapSealedFields,
  parseSealed,
  formatSealed,
  sealedFieldAad,
} from '../../../domain/personal-data/personal-fields';
import type { JsonObject } from '../../../domain/shared/json';
import { kekFrom, openText, parseKek, sealText, generateKekText } from '../../../infra/personal-data/subject-cipher';

const found = (data: JsonObject, metadata: JsonObject = {}): Array<{ path: string; identity: string }> => {
  const out: Array<{ path: string; identity: string }> = [];
  mapPersonalFields(data, metadata, (f) => {
    out.push({ path: f.path, identity: f.identity });
    return 'x';
  });
  return out;
};

describe('personal fields of an evidence event', () => {
  it('finds actors, who-did-it keys at any depth, ActorRefs, e-mail addresses and marked values, each under its normalised identity', () => {
    expect(
      found(
        {
          requestedBy: 'Ａlice',
          task: { decidedBy: 'bob', by: { id: 'Carol', role: 'reviewer' } },
          owner: 'dave',
          audience: { people: ['erin', 'frank'] },
          contact: 'Grace@Example.com',
          note: { 'aims:personal': { subject: 'Heidi', value: { any: ['json'] } } },
        },
        { actor: { id: 'Ivan', role: 'ai-system-owner' }, credential: { kind: 'jwt', issuer: 'i', subject: 'IVAN' } },
      ),
    ).toEqual([
      { path: 'data.requestedBy', identity: 'alice' },
      { path: 'data.task.decidedBy', identity: 'bob' },
      { path: 'data.task.by.id', identity: 'carol' },
      { path: 'data.owner', identity: 'dave' },
      { path: 'data.audience.people.0', identity: 'erin' },
      { path: 'data.audience.people.1', identity: 'frank' },
      { path: 'data.contact', identity: 'grace@example.com' },
      { path: 'data.note', identity: 'heidi' },
      { path: 'metadata.actor.id', identity: 'ivan' },
      { path: 'metadata.credential.subject', identity: 'ivan' },
    ]);
  });

  it("leaves the engine's own actors, dates under …By keys, key names, free text and everything else in clear", () => {
    expect(
      found(
        {
          by: { id: 'aims:policy:auto-approval', role: 'system' },
          approvedBy: 'AIMS:risk-gate',
          reviewBy: '2026-03-01',
          signedBy: 'example.test/aims',
          cosignedBy: ['witness-1'],
          description: 'retrain on the Q3 data',
          riskLevel: 'high',
        },
        { actor: { id: 'aims:worker', role: 'system' }, source: 'worker' },
      ),
    ).toEqual([]);
  });

  it('never seals a sealed value again, and opens every sealed string wherever it is', () => {
    const sealed = formatSealed({
      subjectId: `ps-${'a'.repeat(32)}`,
      keyId: '0123456789abcdef',
      iv: 'A'.repeat(16),
      ciphertext: 'B'.repeat(24),
    });
    expect(parseSealed(sealed)).not.toBeNull();
    expect(found({ approvedBy: sealed }, { actor: { id: sealed, role: 'r' } })).toEqual([]);
    const opened = mapSealedFields({ list: [sealed], plain: 'x' }, { actor: { id: sealed, role: 'r' } }, (_, path) => `open:${path}`);
    expect(opened).toEqual({
      data: { list: ['open:data.list.0'], plain: 'x' },
      metadata: { actor: { id: 'open:metadata.actor.id', role: 'r' } },
    });
  });
});

describe('field sealing', () => {
  const key = Buffer.alloc(32, 7);
  const aad = sealedFieldAad('3F0C9A52-7D1E-4B8A-9C61-2E5F7A8B9C0D', 'data.approvedBy', `ps-${'a'.repeat(32)}`, '0123456789abcdef');

  it('is deterministic (a retry stores the same bytes) and opens only with the same key, event and path', () => {
    const a = sealText(key, aad, '"alice"');
    expect(sealText(key, aad, '"alice"')).toEqual(a);
    expect(sealText(key, aad, '"bob"').iv).not.toBe(a.iv);
    expect(openText(key, aad, a.iv, a.ciphertext)).toBe('"alice"');
    expect(openText(Buffer.alloc(32, 8), aad, a.iv, a.ciphertext)).toBeNull();
    expect(openText(key, aad.replace('data.approvedBy', 'data.requestedBy'), a.iv, a.ciphertext)).toBeNull();
    expect(aad).toContain('3f0c9a52-7d1e-4b8a-9c61-2e5f7a8b9c0d');
  });

  it('reads the personal-data key as base64, base64url or hex of 32 bytes, and refuses any other length', () => {
    const text = generateKekText();
    expect(parseKek(text).id).toBe(kekFrom(Buffer.from(text, 'base64url')).id);
    expect(parseKek('ab'.repeat(32)).key).toEqual(Buffer.alloc(32, 0xab));
    expect(() => parseKek('c2hvcnQ=')).toThrow(/must be 32 bytes, found 5/);
  });
});

describe('personal-data configuration', () => {
  it('is off unless a key or key file is given, takes one of them, and never echoes the key', () => {
    expect(loadConfig({}, '/srv/aims').personalData).toEqual({});
    expect(loadConfig({ AIMS_PERSONAL_DATA_KEY_FILE: 'keys/pd.key' }, '/srv/aims').personalData).toEqual({
      keyFile: '/srv/aims/keys/pd.key',
    });
    expect(loadConfig({ AIMS_PERSONAL_DATA_KEY: 'c2VjcmV0' }, '/srv/aims').personalData).toEqual({ key: 'c2VjcmV0' });
    let message = '';
    try {
      loadConfig({ AIMS_PERSONAL_DATA_KEY: 'c2VjcmV0', AIMS_PERSONAL_DATA_KEY_FILE: 'k' }, '/x');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/AIMS_PERSONAL_DATA_KEY: give AIMS_PERSONAL_DATA_KEY or AIMS_PERSONAL_DATA_KEY_FILE, not both/);
    expect(message).not.toContain('c2VjcmV0');
  });
});
