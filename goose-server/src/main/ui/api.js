// The HTTP API as the page uses it: one place that adds the credential, reads JSON errors and
// notices a 401. The credential (a token or the secret key) lives in sessionStorage for this tab
// only and goes out as a header, never as a cookie, so no cross-site request can carry it.

const CREDENTIAL_KEY = 'goose.credential';

/** An API error: `status`, the server's `code` and `message` (or a network failure, status 0). */
export class ApiError extends Error {
  constructor(status, code, message, retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.retryAfter = retryAfter;
  }
}

export class Api {
  /** @param {string} authMode none, secret, tokens or proxy (from the page's meta tag) */
  constructor(authMode) {
    this.authMode = authMode;
    this.onUnauthorized = () => {};
  }

  /** True when this mode needs a credential typed by the person. */
  get needsCredential() {
    return this.authMode === 'tokens' || this.authMode === 'secret';
  }

  get credential() {
    return sessionStorage.getItem(CREDENTIAL_KEY) ?? '';
  }

  set credential(value) {
    if (value) sessionStorage.setItem(CREDENTIAL_KEY, value);
    else sessionStorage.removeItem(CREDENTIAL_KEY);
  }

  /** The headers that prove who we are in this auth mode. */
  authHeaders() {
    const credential = this.credential;
    if (!credential) return {};
    if (this.authMode === 'tokens') return { Authorization: `Bearer ${credential}` };
    if (this.authMode === 'secret') return { 'X-Secret-Key': credential };
    return {};
  }

  /** fetch() with the credential; rejects with ApiError on a network failure or an error status. */
  async fetch(path, { method = 'GET', body, headers = {}, signal } = {}) {
    const init = {
      method,
      headers: { ...this.authHeaders(), ...headers },
      signal,
      credentials: 'same-origin',
      cache: 'no-store',
    };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    let response;
    try {
      response = await fetch(path, init);
    } catch (e) {
      if (e.name === 'AbortError') throw e;
      throw new ApiError(0, 'network', 'The server cannot be reached.');
    }
    if (response.ok) return response;
    let code = 'http_' + response.status;
    let message = `${response.status} ${response.statusText}`;
    try {
      const problem = await response.json();
      code = problem.error?.code ?? code;
      message = problem.error?.message ?? message;
    } catch {
      // not a JSON error body (a proxy's page): keep the status line
    }
    if (response.status === 401) this.onUnauthorized(message);
    throw new ApiError(response.status, code, message, response.headers.get('Retry-After'));
  }

  async json(path, options) {
    const response = await this.fetch(path, options);
    return response.status === 204 ? null : response.json();
  }

  get(path) {
    return this.json(path);
  }

  post(path, body) {
    return this.json(path, { method: 'POST', body });
  }

  patch(path, body) {
    return this.json(path, { method: 'PATCH', body });
  }

  delete(path) {
    return this.json(path, { method: 'DELETE' });
  }
}

/** A path segment, escaped (ids are opaque strings). */
export function seg(value) {
  return encodeURIComponent(value);
}
