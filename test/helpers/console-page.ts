import type { Locator, Page } from 'playwright-core'
import type { DemoRelay } from './demo-relay.js'

// The agent console as a test drives it: sign in as the demo agent, read the visitor details.

/** Opens the console in `page` and signs in as the demo agent (`beforeSignIn` runs on the sign-in form). */
export async function signInToConsole(page: Page, demo: DemoRelay, beforeSignIn?: () => Promise<void>): Promise<void> {
  await signInAs(page, demo.consoleUrl, { email: demo.demo.agentEmail, password: demo.demo.agentPassword }, beforeSignIn)
}

/** Opens the console at `consoleUrl` in `page` and signs in with the agent's e-mail and password. */
export async function signInAs(page: Page, consoleUrl: string, agent: { email: string; password: string }, beforeSignIn?: () => Promise<void>): Promise<void> {
  await page.goto(consoleUrl)
  await beforeSignIn?.()
  await page.getByLabel('E-mail').fill(agent.email)
  await page.getByLabel('Password').fill(agent.password)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** The value cell of one row ("Pages this visit", "Local time", …) of the visitor details. */
export function visitorDetail(page: Page, name: string): Locator {
  return page.locator('.context dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd')
}
