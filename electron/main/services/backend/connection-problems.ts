import type { ConnectionProblem } from '../../../../shared/ipc/index.ts';
import type { Delivery } from '../provisioning-client.ts';

/** One way a backend failed to answer, in words an operator can act on. */
export interface Diagnosis {
  problem: ConnectionProblem;
  message: string;
}

const DNS_CODES = new Set(['ENOTFOUND', 'EAI_AGAIN', 'EAI_NONAME', 'EAI_FAIL']);
const REFUSED_CODES = new Set(['ECONNREFUSED', 'EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL']);
const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ERR_SOCKET_CONNECTION_TIMEOUT']);
/** TLS verification failures, by what a person would call them. */
const TLS_CODES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'it is self-signed',
  SELF_SIGNED_CERT_IN_CHAIN:
    'its chain ends in a self-signed certificate this computer does not trust',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its issuer is not known to this computer',
  UNABLE_TO_GET_ISSUER_CERT: 'its issuer is not known to this computer',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its issuer is not known to this computer',
  CERT_HAS_EXPIRED: 'it has expired',
  CERT_NOT_YET_VALID: 'it is not valid yet (check this computer’s clock)',
  ERR_TLS_CERT_ALTNAME_INVALID: 'it is for another host name',
  CERT_REVOKED: 'it has been revoked',
  CERT_UNTRUSTED: 'this computer does not trust it',
};

const seconds = (ms: number): string =>
  ms < 10_000 ? `${(ms / 1000).toFixed(1).replace(/\.0$/u, '')} s` : `${Math.round(ms / 1000)} s`;

export const originOf = (url: string): string => (URL.canParse(url) ? new URL(url).origin : url);

/** A request that got no answer: why, from its network or TLS error code. */
export function diagnoseNoAnswer(
  url: string,
  errorCode: string | undefined,
  timeoutMs: number,
): Diagnosis {
  const origin = originOf(url);
  const code = errorCode ?? '';
  const host = URL.canParse(url) ? new URL(url).hostname : url;
  if (DNS_CODES.has(code))
    return {
      problem: 'dns',
      message: `The name ${host} could not be found (DNS). Check the URL's spelling, and your network or VPN.`,
    };
  if (REFUSED_CODES.has(code))
    return {
      problem: 'refused',
      message: `Nothing answers at ${origin}: the connection was refused. Check that the backend is running and that the port is right.`,
    };
  const tls = TLS_CODES[code];
  if (tls !== undefined || code.startsWith('ERR_TLS') || code.startsWith('ERR_SSL')) {
    const selfSigned =
      code === 'DEPTH_ZERO_SELF_SIGNED_CERT' || code === 'SELF_SIGNED_CERT_IN_CHAIN';
    return {
      problem: 'tls',
      message: `The backend's TLS certificate is not trusted: ${tls ?? `the TLS handshake failed (${code})`}. ${
        selfSigned
          ? 'Have the backend use a certificate from a trusted authority, or add its certificate to this computer’s trusted certificates.'
          : 'Have the certificate fixed, or add its issuing authority to this computer’s trusted certificates.'
      }`,
    };
  }
  if (TIMEOUT_CODES.has(code))
    return {
      problem: 'timeout',
      message: `${origin} did not answer within ${seconds(timeoutMs)}. Check that the backend is running and not overloaded, or allow more time in Settings.`,
    };
  return {
    problem: 'network',
    message: `The connection to ${origin} failed (${code === '' ? 'no answer' : code}). Check your network or VPN, and any proxy or firewall in between.`,
  };
}

/** A request that got an answer PassDesk cannot use: why, from its status and shape. */
export function diagnoseAnswer(
  url: string,
  delivery: Pick<Delivery, 'status' | 'malformed'>,
  what: 'health' | 'admin',
  detail = '',
): Diagnosis {
  const origin = originOf(url);
  const status = delivery.status ?? 0;
  const because = detail === '' ? '' : ` (${detail})`;
  if (delivery.malformed === true && what === 'health')
    return {
      problem: 'malformed',
      message: `${origin} answered, but not with the PassDesk API${because}. Check the URL: it is the address in front of /api/v1.`,
    };
  if (delivery.malformed === true)
    return {
      problem: 'malformed',
      message: `The backend answered in a form this PassDesk does not understand${because}. It may implement another version of the PassDesk API; ask its administrator.`,
    };
  if (what === 'admin' && status === 401)
    return {
      problem: 'token-refused',
      message:
        'The backend refused the API token (HTTP 401). Check the token, or ask for a new one.',
    };
  if (what === 'admin' && status === 403)
    return {
      problem: 'token-refused',
      message:
        'The backend knows the API token but does not let it administer users (HTTP 403). Ask for a token with admin rights.',
    };
  if (status === 404)
    return {
      problem: 'http-error',
      message: `${origin} has no PassDesk API at /api/v1 (HTTP 404). Check the URL: it is the address in front of /api/v1.`,
    };
  if (status === 429)
    return {
      problem: 'http-error',
      message: 'The backend is turning PassDesk away for sending too much (HTTP 429).',
    };
  if (status >= 500)
    return {
      problem: 'http-error',
      message: `The backend failed to answer (HTTP ${status}).`,
    };
  return { problem: 'http-error', message: `The backend answered HTTP ${status}.` };
}

/** The major version of a `major.minor` API version. */
export const majorOf = (version: string): string => version.split('.')[0] ?? version;

/** A backend speaking another major version of the API than this PassDesk. */
export function diagnoseApiVersion(theirs: string, ours: string): Diagnosis {
  const newer = Number(majorOf(theirs)) > Number(majorOf(ours));
  return {
    problem: 'api-version',
    message: `The backend speaks PassDesk API ${theirs}, but this PassDesk speaks API ${ours}: ${
      newer
        ? `update PassDesk so that both speak API ${majorOf(theirs)}.x.`
        : `the backend needs updating to API ${majorOf(ours)}.x.`
    }`,
  };
}

/** No token to send to a remote backend. */
export const NO_TOKEN: Diagnosis = {
  problem: 'no-token',
  message: 'Give the API token for this backend: it is sent with every request.',
};
