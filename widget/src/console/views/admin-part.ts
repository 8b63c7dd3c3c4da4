// What the admin area hands each of its parts (accounts, keys, sessions, audit log).

/** What every admin part needs: the token, and what to do when the relay refuses it (401). */
export interface AdminPartProps {
  token: string
  onAuthLost: (code?: string) => void
}
