// Value-level reading shared by the credential and transport knowledge:
// placeholders, booleans, URLs and connection-string parameters.
import { describe, expect, it } from 'vitest';
import { classifyLiteral, findUrls, parseConnectionParams, parseMysqlDsn, percentDecode, placeholderKind, readMetadataBool } from '../../src/knowledge/metadata-values.js';

describe('placeholders', () => {
  it('recognises every placeholder form', () => {
    const cases: ReadonlyArray<readonly [string, string]> = [
      ['{{ .Values.redis.password }}', 'template'],
      ['{{.Values.x}}', 'template'],
      ['prefix-{{ include "pw" . }}', 'template'],
      ['${{ secrets.REDIS_PASSWORD }}', 'template'],
      ['${REDIS_PASSWORD}', 'env-var'],
      ['${REDIS_PASSWORD:-fallback}', 'env-var'],
      ['$(REDIS_PASSWORD)', 'command-substitution'],
      ['<your-password>', 'angle-bracket'],
      ['  <REPLACE ME>  ', 'angle-bracket'],
      ['{uuid}', 'dapr-tag'],
      ['{podName}', 'dapr-tag'],
      ['{namespace}', 'dapr-tag'],
      ['{appID}', 'dapr-tag'],
      ['{appID}-{uuid}', 'dapr-tag'],
    ];
    for (const [v, kind] of cases) expect(placeholderKind(v), v).toBe(kind);
  });

  it('does not mistake literals for placeholders', () => {
    for (const v of [
      'hunter2',
      'pa<ss>word', // `<…>` only counts as the whole value
      '<a><b>',
      'my-{uuid}-secret', // literal text around a Dapr tag is still literal
      '{PodName}', // daprd's tags are case-sensitive
      '{user}',
      '$VAR', // only ${VAR} and $(VAR)
      '${}',
      '$(1abc)',
      '{{ unterminated',
    ]) {
      expect(placeholderKind(v), v).toBeUndefined();
    }
  });
});

describe('classifyLiteral', () => {
  it('empty: "", whitespace, null, undefined', () => {
    for (const v of ['', '   ', '\t\n', null, undefined]) expect(classifyLiteral(v)).toEqual({ kind: 'empty' });
  });
  it('placeholder with its kind', () => {
    expect(classifyLiteral('${X}')).toEqual({ kind: 'placeholder', placeholder: 'env-var' });
  });
  it('literal with the trimmed range', () => {
    expect(classifyLiteral('  abc \n')).toEqual({ kind: 'literal', start: 2, end: 5 });
    expect(classifyLiteral('0')).toEqual({ kind: 'literal', start: 0, end: 1 });
  });
});

describe('readMetadataBool (daprd IsTruthy)', () => {
  it('reads strings and YAML booleans case-insensitively', () => {
    for (const v of ['true', 'True', 'TRUE', ' yes ', 'on', '1', 't', 'Y', true]) expect(readMetadataBool(v), String(v)).toBe(true);
    for (const v of ['false', 'False', 'FALSE', 'no', 'off', '0', 'f', 'enabled', 'ture', false]) expect(readMetadataBool(v), String(v)).toBe(false);
  });
  it('says nothing for empty values and placeholders', () => {
    for (const v of ['', '  ', null, undefined, '{{ .Values.tls }}', '${TLS}']) expect(readMetadataBool(v)).toBeUndefined();
  });
});

describe('percentDecode', () => {
  it('decodes, and returns malformed input unchanged', () => {
    expect(percentDecode('p%40ss')).toBe('p@ss');
    expect(percentDecode('100%')).toBe('100%');
  });
});

describe('findUrls', () => {
  it('splits scheme, userinfo, password and hosts with exact ranges', () => {
    const v = 'mongodb://u:pw@h1:27017,h2:27017/db?tls=true';
    const [u] = findUrls(v);
    expect(u.scheme).toBe('mongodb');
    expect([u.start, u.end]).toEqual([0, v.length]);
    expect(u.authority).toEqual({ start: 10, end: 32 });
    expect(u.userinfo).toEqual({ start: 10, end: 14 });
    expect(u.password).toEqual({ start: 12, end: 14 });
    expect(u.hosts.map((r) => v.slice(r.start, r.end))).toEqual(['h1:27017', 'h2:27017']);
    expect(u.standalone).toBe(true);
  });

  it('ends a token at the next URL of a list and at whitespace', () => {
    const v = 'nats://a:4222,nats://b:4222 tail';
    expect(findUrls(v).map((u) => [u.start, u.end, v.slice(u.hosts[0].start, u.hosts[0].end)])).toEqual([
      [0, 13, 'a:4222'],
      [14, 27, 'b:4222'],
    ]);
  });

  it('keeps templates with spaces inside one token', () => {
    const v = 'redis://:{{ .Values.pw }}@{{ .Values.host }}:6379';
    const [u] = findUrls(v);
    expect(v.slice(u.password?.start, u.password?.end)).toBe('{{ .Values.pw }}');
    expect(u.hosts.map((r) => v.slice(r.start, r.end))).toEqual(['{{ .Values.host }}:6379']);
  });

  it('marks URLs embedded in text as not standalone', () => {
    expect(findUrls('Endpoint=sb://ns.servicebus.windows.net/;x=y')[0].standalone).toBe(true);
    expect(findUrls('allow if input.url == "http://a"')[0].standalone).toBe(false);
    expect(findUrls('jdbc:sqlserver://db:1433;encrypt=false')[0]).toMatchObject({ scheme: 'sqlserver', standalone: false });
  });

  it('finds nothing without ://', () => {
    expect(findUrls('localhost:6379')).toEqual([]);
    expect(findUrls('mailto:a@b.c')).toEqual([]);
  });
});

describe('parseConnectionParams', () => {
  it('libpq, whitespace-separated', () => {
    const v = "host=db port=5432 password='a b' sslmode=disable";
    expect(parseConnectionParams(v).map((p) => [p.key, p.value, p.syntax])).toEqual([
      ['host', 'db', 'whitespace'],
      ['port', '5432', 'whitespace'],
      ['password', 'a b', 'whitespace'],
      ['sslmode', 'disable', 'whitespace'],
    ]);
    const sslmode = parseConnectionParams(v)[3];
    expect(sslmode.keyRange).toEqual({ start: 33, end: 40 });
    expect(sslmode.valueRange).toEqual({ start: 41, end: 48 });
  });

  it('ADO.NET, semicolon-separated, keys lower-cased and trimmed', () => {
    const v = 'Server=tcp:db,1433; User ID = sa ;Encrypt=False;TrustServerCertificate=True';
    expect(parseConnectionParams(v).map((p) => [p.key, p.value])).toEqual([
      ['server', 'tcp:db,1433'],
      ['user id', 'sa'],
      ['encrypt', 'False'],
      ['trustservercertificate', 'True'],
    ]);
  });

  it('URL query and MongoDB params, percent-decoded', () => {
    expect(parseConnectionParams('mongodb://db/?tls=false&authSource=admin%21').map((p) => [p.key, p.value, p.syntax])).toEqual([
      ['tls', 'false', 'query'],
      ['authsource', 'admin!', 'query'],
    ]);
    expect(parseConnectionParams('?ssl=false').map((p) => [p.key, p.value])).toEqual([['ssl', 'false']]);
    expect(parseConnectionParams('root:pw@tcp(db:3306)/x?tls=skip-verify&parseTime=true').map((p) => [p.key, p.value])).toEqual([
      ['tls', 'skip-verify'],
      ['parsetime', 'true'],
    ]);
  });

  it('nothing in values that are not connection strings', () => {
    expect(parseConnectionParams('localhost:6379')).toEqual([]);
    expect(parseConnectionParams('http://vault:8200')).toEqual([]);
  });
});

describe('parseMysqlDsn', () => {
  it('user and password ranges', () => {
    expect(parseMysqlDsn('root:pw@tcp(db:3306)/x')).toEqual({ user: { start: 0, end: 4 }, password: { start: 5, end: 7 } });
    expect(parseMysqlDsn('root:pw@/x')).toEqual({ user: { start: 0, end: 4 }, password: { start: 5, end: 7 } });
  });
  it('rejects URLs and values without the /dbname part', () => {
    expect(parseMysqlDsn('mysql://root:pw@db/x')).toBeUndefined();
    expect(parseMysqlDsn('root:pw@tcp(db:3306)')).toBeUndefined();
    expect(parseMysqlDsn('user:pass@host:3306/db')).toBeUndefined();
  });
});
