import type { ApiKey, ApiKeyList, CreateApiKey, CreatedApiKey, RotateApiKey } from '../../contract/security.js'
import { SECRET_ANSWER, type RequestOptions, type Transport } from '../request.js'

/**
 * `parley.keys`: the brand's API keys, each with a name, scopes and an optional expiry (the client's
 * key needs the `keys:write` scope). A secret is returned once, at creation or rotation; the relay
 * keeps only its hash.
 */
export class KeysResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /** Every key of the brand, newest first, revoked and expired ones included; never a secret. */
  async list(opts?: RequestOptions): Promise<ApiKey[]> {
    const page = await this.#t.request<ApiKeyList>({ method: 'GET', path: '/v1/keys' }, opts)
    return page.keys
  }

  /**
   * Creates a key; its `secret` is in the answer and nowhere else. PermissionError
   * `PARLEY_ERR_AUTH_SCOPE` when it would grant a scope this client's key lacks; InvalidRequestError
   * when `expiresAt` is not in the future. Never retried (see `SECRET_ANSWER`).
   */
  create(body: CreateApiKey, opts?: RequestOptions): Promise<CreatedApiKey> {
    return this.#t.request({ method: 'POST', path: '/v1/keys', body }, { ...opts, ...SECRET_ANSWER })
  }

  /**
   * Replaces a key with a new one of the same name, scopes and expiry. The old key keeps working for
   * `graceSeconds` (default a day; 0 revokes it at once), so clients move to the new secret without
   * downtime. NotFoundError `PARLEY_ERR_KEY_NOT_FOUND` for an unknown id; ConflictError
   * `PARLEY_ERR_KEY_ROTATED` for a key already rotated (its `replacedBy` names the successor).
   * Never retried (see `SECRET_ANSWER`).
   */
  rotate(keyId: string, body: RotateApiKey = {}, opts?: RequestOptions): Promise<CreatedApiKey> {
    return this.#t.request({ method: 'POST', path: `/v1/keys/${encodeURIComponent(keyId)}/rotate`, body }, { ...opts, ...SECRET_ANSWER })
  }

  /** Revokes a key: refused on every request from now on (this client's own key too). NotFoundError `PARLEY_ERR_KEY_NOT_FOUND` for an unknown id. */
  async revoke(keyId: string, opts?: RequestOptions): Promise<void> {
    await this.#t.request({ method: 'DELETE', path: `/v1/keys/${encodeURIComponent(keyId)}` }, opts)
  }
}
