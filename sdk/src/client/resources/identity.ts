import type { CreatedIdentitySecret, IdentitySecret, IdentitySecretList } from '../../contract/security.js'
import { SECRET_ANSWER, type RequestOptions, type Transport } from '../request.js'

/**
 * `parley.identity.secrets`: the HS256 secrets the brand signs its customers' identity tokens with
 * (Parley('identify', token) on the page). A brand holds at most two, so it rotates without
 * downtime: create the new one, sign with it, delete the old one. ES256/RS256 keys and the token
 * rules (issuer, audience, lifetime) are set with `parley.security.update({ identity })`.
 */
export class IdentitySecretsResource {
  readonly #t: Transport
  constructor(transport: Transport) {
    this.#t = transport
  }

  /**
   * A new secret (base64url of 32 random bytes), returned this once: keep it on the brand's server.
   * Tokens may name it with `kid: secretId`. ConflictError `PARLEY_ERR_IDENTITY_SECRET_LIMIT` when
   * two exist already. Never retried (see `SECRET_ANSWER`).
   */
  create(opts?: RequestOptions): Promise<CreatedIdentitySecret> {
    return this.#t.request({ method: 'POST', path: '/v1/identity/secrets' }, { ...opts, ...SECRET_ANSWER })
  }

  /** The brand's secrets, oldest first, without the secrets themselves. */
  async list(opts?: RequestOptions): Promise<IdentitySecret[]> {
    const page = await this.#t.request<IdentitySecretList>({ method: 'GET', path: '/v1/identity/secrets' }, opts)
    return page.secrets
  }

  /** Deletes a secret: tokens signed with it are refused from now on. NotFoundError `PARLEY_ERR_IDENTITY_SECRET_NOT_FOUND`. */
  async delete(secretId: string, opts?: RequestOptions): Promise<void> {
    await this.#t.request({ method: 'DELETE', path: `/v1/identity/secrets/${encodeURIComponent(secretId)}` }, opts)
  }
}

/** `parley.identity`: verified visitor identity. */
export class IdentityResource {
  /** The brand's HS256 signing secrets. */
  readonly secrets: IdentitySecretsResource
  constructor(transport: Transport) {
    this.secrets = new IdentitySecretsResource(transport)
  }
}
