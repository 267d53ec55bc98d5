/**
 * A throwaway self-signed certificate for 127.0.0.1 and localhost, made at test time, for the
 * SMTP catcher's TLS. Never used outside tests.
 */
import { generate } from 'selfsigned';

export interface TestCertificate {
  cert: string;
  key: string;
}

let made: Promise<TestCertificate> | null = null;

/** One certificate per test file (making it takes a moment). */
export function testCertificate(): Promise<TestCertificate> {
  made ??= generate([{ name: 'commonName', value: 'localhost' }], {
    keyType: 'ec',
    algorithm: 'sha256',
    notAfterDate: new Date(Date.now() + 24 * 3600_000),
    extensions: [
      { name: 'basicConstraints', cA: false },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
      { name: 'extKeyUsage', serverAuth: true },
      {
        name: 'subjectAltName',
        altNames: [
          { type: 2, value: 'localhost' },
          { type: 7, ip: '127.0.0.1' },
        ],
      },
    ],
  }).then((pems) => ({ cert: pems.cert, key: pems.private }));
  return made;
}
