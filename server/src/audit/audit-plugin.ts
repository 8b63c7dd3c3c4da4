import fp from 'fastify-plugin'
import type { AuditLog } from './audit-log.js'

// Hands the relay's one audit log to every REST plugin as `app.audit`, so a handler records its
// action without each plugin being given the log by app.ts.

declare module 'fastify' {
  interface FastifyInstance {
    /** The brand audit log: `app.audit.recordRequest(req, { action, resource, detail })`. */
    audit: AuditLog
  }
}

/** Decorates the app with `audit`. */
export const auditPlugin = fp<{ audit: AuditLog }>(async (app, { audit }) => {
  app.decorate('audit', audit)
}, { name: 'parley-audit', fastify: '5.x' })
