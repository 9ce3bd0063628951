/**
 * Certificates of the control plane, made with the openssl CLI: one CA, and leaf certificates for
 * 127.0.0.1 it signs. Crossplane core dials functions over mTLS only and serves its webhooks over TLS,
 * so the function, core's function client and core's webhook server each get a folder in the layout
 * Crossplane mounts (`ca.crt`, `tls.crt`, `tls.key`).
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** A folder holding ca.crt, tls.crt and tls.key. */
export interface TLSFolder {
  dir: string;
  caCert: string;
}

const openssl = (args: string[]): void => {
  execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/** A CA in `<dir>/ca`, from which leaf(name) makes `<dir>/<name>` for 127.0.0.1 and localhost. */
export class CertificateAuthority {
  private readonly caDir: string;

  constructor(private readonly dir: string) {
    this.caDir = join(dir, 'ca');
    mkdirSync(this.caDir, { recursive: true });
    openssl([
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(this.caDir, 'ca.key'), '-out', join(this.caDir, 'ca.crt'),
      '-days', '7', '-subj', '/CN=stackplane-control-plane-ca',
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign',
    ]); // prettier-ignore
  }

  /** The CA certificate (PEM). */
  get cert(): string {
    return readFileSync(join(this.caDir, 'ca.crt'), 'utf8');
  }

  /** A certificate for servers and clients on loopback, signed by this CA. */
  leaf(name: string): TLSFolder {
    const dir = join(this.dir, name);
    mkdirSync(dir, { recursive: true });
    const extensions = join(dir, 'extensions.cnf');
    writeFileSync(
      extensions,
      'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n',
    );
    openssl([
      'req', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', join(dir, 'tls.key'), '-out', join(dir, 'tls.csr'), '-subj', `/CN=${name}`,
    ]); // prettier-ignore
    openssl([
      'x509', '-req', '-in', join(dir, 'tls.csr'), '-CA', join(this.caDir, 'ca.crt'),
      '-CAkey', join(this.caDir, 'ca.key'), '-CAcreateserial', '-out', join(dir, 'tls.crt'),
      '-days', '7', '-extfile', extensions,
    ]); // prettier-ignore
    writeFileSync(join(dir, 'ca.crt'), this.cert);
    return { dir, caCert: this.cert };
  }
}
