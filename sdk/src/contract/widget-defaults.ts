import type { WidgetConfig } from './config.js'

// Kept apart from config.ts, and free of TypeBox, so the widget bundle can import the defaults
// without pulling in the schema library.

/** The defaults the widget applies to fields a brand left out of its widget configuration. */
export const WIDGET_DEFAULTS = { color: '#1f5fbf', position: 'right', locale: 'en', tracking: 'on' } as const satisfies WidgetConfig
