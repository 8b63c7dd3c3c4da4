import type { Locator, Page } from 'playwright-core'
import type { DemoRelay } from './demo-relay.js'

// The agent console as a test drives it: sign in as the demo agent, read the visitor details.

/** Opens the console in `page` and signs in as the demo agent (`beforeSignIn` runs on the sign-in form). */
export async function signInToConsole(page: Page, demo: DemoRelay, beforeSignIn?: () => Promise<void>): Promise<void> {
  await page.goto(demo.consoleUrl)
  await beforeSignIn?.()
  await page.getByLabel('E-mail').fill(demo.demo.agentEmail)
  await page.getByLabel('Password').fill(demo.demo.agentPassword)
  await page.getByRole('button', { name: 'Sign in' }).click()
}

/** The value cell of one row ("Pages this visit", "Local time", …) of the visitor details. */
export function visitorDetail(page: Page, name: string): Locator {
  return page.locator('.context dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd')
}
