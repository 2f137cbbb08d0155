/**
 * A throwaway self-signed certificate for TLS tests, made at test time with the
 * `openssl` command (node:crypto cannot issue X.509 certificates), so no private
 * key is ever committed. The caller removes `dir` when done.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { randomBytes, X509Certificate } from 'node:crypto';

export interface TestCertificate {
  dir: string;
  certFile: string;
  keyFile: string;
  cert: Buffer;
  key: Buffer;
  /** SHA-256, AA:BB:… */
  fingerprint: string;
}

export function makeSelfSignedCert(commonName = 'botdesk-test'): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'botdesk-tls-'));
  const certFile = path.join(dir, 'cert.pem');
  const keyFile = path.join(dir, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      keyFile,
      '-out',
      certFile,
      '-days',
      '2',
      '-subj',
      `/CN=${commonName}`,
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
    ],
    { stdio: 'ignore' },
  );
  const cert = readFileSync(certFile);
  return {
    dir,
    certFile,
    keyFile,
    cert,
    key: readFileSync(keyFile),
    fingerprint: new X509Certificate(cert).fingerprint256,
  };
}

export interface CertificateSpec {
  commonName?: string;
  /** Validity; default from a day ago to two days ahead. */
  notBefore?: Date;
  notAfter?: Date;
  /** Sign with this certificate authority (made with `ca: true`); default self-signed. */
  issuer?: TestCertificate;
  /** A certificate authority (CA:TRUE, keyCertSign) rather than a server certificate. */
  ca?: boolean;
}

const OPENSSL_CA_CONFIG = `[ca]
default_ca = test
[test]
database = ./index.txt
new_certs_dir = .
serial = ./serial
default_md = sha256
policy = any
unique_subject = no
[any]
commonName = supplied
[server]
basicConstraints = CA:FALSE
subjectAltName = IP:127.0.0.1,DNS:localhost
[authority]
basicConstraints = critical,CA:TRUE
keyUsage = keyCertSign,cRLSign
`;

/** YYYYMMDDHHMMSSZ, as `openssl ca -startdate/-enddate` take it. */
const opensslTime = (date: Date) => `${date.toISOString().replace(/[-:T]|\.\d+/g, '')}`;

/**
 * A certificate with chosen validity dates (expired, not yet valid, valid for a few seconds)
 * or issued by a private authority: `openssl ca`, since `openssl req -x509` only takes -days.
 */
export function makeCertificate(spec: CertificateSpec = {}): TestCertificate {
  const dir = mkdtempSync(path.join(tmpdir(), 'botdesk-tls-'));
  const file = (name: string) => path.join(dir, name);
  const run = (args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'ignore' });
  writeFileSync(file('ca.cnf'), OPENSSL_CA_CONFIG);
  writeFileSync(file('index.txt'), '');
  writeFileSync(file('serial'), `${randomBytes(8).toString('hex')}\n`);
  const day = 24 * 3600 * 1000;
  const notBefore = spec.notBefore ?? new Date(Date.now() - day);
  const notAfter = spec.notAfter ?? new Date(Date.now() + 2 * day);
  run(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'key.pem']);
  run(
    ['req', '-new', '-key', 'key.pem', '-subj', `/CN=${spec.commonName ?? 'botdesk-test'}`].concat([
      '-out',
      'req.csr',
    ]),
  );
  run([
    'ca',
    '-batch',
    '-notext',
    '-config',
    'ca.cnf',
    ...(spec.issuer
      ? ['-cert', spec.issuer.certFile, '-keyfile', spec.issuer.keyFile]
      : ['-selfsign', '-keyfile', 'key.pem']),
    '-startdate',
    opensslTime(notBefore),
    '-enddate',
    opensslTime(notAfter),
    '-extensions',
    spec.ca ? 'authority' : 'server',
    '-in',
    'req.csr',
    '-out',
    'cert.pem',
  ]);
  const cert = readFileSync(file('cert.pem'));
  return {
    dir,
    certFile: file('cert.pem'),
    keyFile: file('key.pem'),
    cert,
    key: readFileSync(file('key.pem')),
    fingerprint: new X509Certificate(cert).fingerprint256,
  };
}
