import { describe, expect, it } from 'vitest'
import type { ServerFrame } from '@parley/sdk/contract'
import { ConversationFollowers } from '../../../../server/src/relay/conversation-followers.js'
import { Fanout, type FanoutTarget } from '../../../../server/src/relay/fanout.js'
import { createInProcessBus } from '../../../../server/src/bus/in-process.js'

// Who follows which conversation is kept as bits over per-brand slots. Slots past the first word
// (30), freed slots taken again, and brands side by side must route exactly as a set per
// conversation would.

const follower = (brandId: string, name: string) => ({ brandId, name })
const names = (list: { name: string }[] | undefined) => (list ?? []).map((t) => t.name).sort()

describe('ConversationFollowers', () => {
  it('lists every follower of a conversation, past the first 30 slots, and no one else', () => {
    const f = new ConversationFollowers<{ brandId: string; name: string }>()
    const all = Array.from({ length: 70 }, (_, i) => follower('b1', `t${String(i).padStart(2, '0')}`))
    for (const t of all) f.follow(t, 'c-all')
    for (const t of all.filter((_, i) => i % 3 === 0)) f.follow(t, 'c-third')
    expect(names(f.followersOf('b1', 'c-all'))).toEqual(all.map((t) => t.name))
    expect(names(f.followersOf('b1', 'c-third'))).toEqual(all.filter((_, i) => i % 3 === 0).map((t) => t.name))
    expect(f.has(all[31]!, 'c-third')).toBe(false)
    expect(f.has(all[33]!, 'c-third')).toBe(true)
    expect(f.followersOf('b1', 'c-none')).toBeUndefined()
  })

  it('unfollows one connection and forgets a conversation nobody follows', () => {
    const f = new ConversationFollowers<{ brandId: string; name: string }>()
    const [a, b] = [follower('b1', 'a'), follower('b1', 'b')]
    f.follow(a, 'c1')
    f.follow(a, 'c1')
    f.follow(b, 'c1')
    f.unfollow(a, 'c1')
    expect(names(f.followersOf('b1', 'c1'))).toEqual(['b'])
    f.unfollow(b, 'c1')
    expect(f.followersOf('b1', 'c1')).toBeUndefined()
  })

  it('gives a removed connection’s slot to a new one without its follows', () => {
    const f = new ConversationFollowers<{ brandId: string; name: string }>()
    const early = Array.from({ length: 40 }, (_, i) => follower('b1', `e${i}`))
    for (const t of early) f.follow(t, 'c1')
    f.follow(early[35]!, 'c2')
    f.remove(early[35]!)
    const late = follower('b1', 'late')
    f.follow(late, 'c3')
    expect(f.has(late, 'c1')).toBe(false)
    expect(f.has(late, 'c2')).toBe(false)
    expect(f.followersOf('b1', 'c2')).toBeUndefined()
    expect(names(f.followersOf('b1', 'c1'))).not.toContain('e35')
    expect(names(f.followersOf('b1', 'c3'))).toEqual(['late'])
  })

  it('drops a closed conversation for every follower, and a follower can follow it again', () => {
    const f = new ConversationFollowers<{ brandId: string; name: string }>()
    const [a, b] = [follower('b1', 'a'), follower('b1', 'b')]
    f.follow(a, 'c1')
    f.follow(b, 'c1')
    f.follow(a, 'c2')
    f.drop('b1', 'c1')
    expect(f.followersOf('b1', 'c1')).toBeUndefined()
    f.remove(a)
    expect(f.followersOf('b1', 'c2')).toBeUndefined()
    f.follow(b, 'c1')
    expect(names(f.followersOf('b1', 'c1'))).toEqual(['b'])
  })

  it('keeps brands apart when conversation ids are equal', () => {
    const f = new ConversationFollowers<{ brandId: string; name: string }>()
    const [a, b] = [follower('b1', 'a'), follower('b2', 'b')]
    f.follow(a, 'c1')
    f.follow(b, 'c1')
    expect(names(f.followersOf('b1', 'c1'))).toEqual(['a'])
    expect(names(f.followersOf('b2', 'c1'))).toEqual(['b'])
    f.remove(a)
    expect(names(f.followersOf('b2', 'c1'))).toEqual(['b'])
  })
})

describe('Fanout with many followers', () => {
  const target = (connId: string, agentId: string): FanoutTarget & { got: string[] } => {
    const got: string[] = []
    return {
      connId, brandId: 'b1', who: { kind: 'agent', id: agentId, name: agentId }, identity: `agent:${agentId}`, got,
      deliver: (frame: ServerFrame) => { got.push(frame.type) },
    }
  }
  const typing = (convId: string): ServerFrame => ({ type: 'typing', convId, who: { kind: 'visitor', id: 'v1' }, state: 'start' }) as unknown as ServerFrame

  it('delivers a conversation event to each of 60 following connections once, and to no other', () => {
    const bus = createInProcessBus()
    const fanout = new Fanout(bus)
    const following = Array.from({ length: 60 }, (_, i) => target(`k${i}`, `a${i % 7}`))
    const other = target('k-other', 'a-other')
    for (const t of [...following, other]) fanout.add(t)
    for (const t of following) fanout.follow(t, 'c1')
    fanout.remove(following[10]!)
    bus.publish({ brandId: 'b1', audience: { kind: 'conversation-agents', convId: 'c1' }, frame: typing('c1') })
    expect(following.map((t) => t.got.length)).toEqual(following.map((_, i) => (i === 10 ? 0 : 1)))
    expect(other.got).toEqual([])
    fanout.close()
  })

  it('makes every connection of a joining agent follow, and a closed conversation stop', () => {
    const bus = createInProcessBus()
    const fanout = new Fanout(bus)
    const tabs = [target('k1', 'a1'), target('k2', 'a1')]
    const someoneElse = target('k3', 'a2')
    for (const t of [...tabs, someoneElse]) fanout.add(t)
    bus.publish({ brandId: 'b1', audience: { kind: 'conversation', convId: 'c1', visitorId: 'v1' }, frame: typing('c1'), joinAgentId: 'a1' })
    expect(tabs.map((t) => fanout.isFollowing(t, 'c1'))).toEqual([true, true])
    expect(fanout.isFollowing(someoneElse, 'c1')).toBe(false)
    bus.publish({ brandId: 'b1', audience: { kind: 'conversation', convId: 'c1', visitorId: 'v1' }, frame: { type: 'conversation.closed', convId: 'c1' } as unknown as ServerFrame })
    expect(tabs.map((t) => fanout.isFollowing(t, 'c1'))).toEqual([false, false])
    expect(tabs.map((t) => t.got)).toEqual([['typing', 'conversation.closed'], ['typing', 'conversation.closed']])
    fanout.close()
  })
})
