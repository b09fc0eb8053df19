/** parseSeedValue: a seed document already parsed, read like a seed file's text. */
import { describe, expect, test } from 'vitest';
import { parseSeed, parseSeedValue } from '../../src/emulator/seedDocument.js';

const JANE = { connection: 'db', email: 'jane@example.com', password: 'Pw1!xxxxxx' };

describe('parseSeedValue', () => {
  test('reads a parsed document as parseSeed reads its JSON text', () => {
    const document = { users: [JANE] };
    expect(parseSeedValue(document, 'users.json')).toStrictEqual(parseSeed(JSON.stringify(document), 'users.json'));
  });

  test('a problem names the document as a seed file unless told otherwise', () => {
    const bad = { users: [{ ...JANE, email: 5 }] };
    const message = (result: ReturnType<typeof parseSeedValue>): string => ('message' in result ? result.message : '');
    expect(message(parseSeedValue(bad, 'users.json'))).toMatch(/^seed file users\.json/);
    expect(message(parseSeedValue(bad, 'body', 'request body'))).toMatch(/^request body body/);
  });
});
