import { describe, expect, it } from 'vitest'
import { adminParts, managesBrandCanned, showsView, viewsFor } from '../../../widget/src/console/role-views.js'

// Which pages each role sees: from the contract's table of least roles, never a page whose every
// call the relay would refuse.

describe('console pages by role', () => {
  it.each([
    ['agent', ['chats', 'transcripts', 'canned']],
    ['supervisor', ['chats', 'floor', 'transcripts', 'rules', 'reports', 'canned']],
    ['admin', ['chats', 'floor', 'transcripts', 'rules', 'reports', 'canned', 'admin']],
  ] as const)('the %s role sees %j', (role, views) => {
    expect(viewsFor(role)).toEqual(views)
  })

  it('gives the admin area only to admins, with all four parts', () => {
    expect(adminParts('agent')).toEqual([])
    expect(adminParts('supervisor')).toEqual([])
    expect(adminParts('admin')).toEqual(['accounts', 'keys', 'sessions', 'audit'])
    expect(showsView('supervisor', 'admin')).toBe(false)
  })

  it('lets supervisors and admins, not agents, manage brand-wide canned replies', () => {
    expect([managesBrandCanned('agent'), managesBrandCanned('supervisor'), managesBrandCanned('admin')]).toEqual([false, true, true])
  })
})
