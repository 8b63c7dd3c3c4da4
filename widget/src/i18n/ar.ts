import type { Strings } from './strings.js'

/** Arabic (right to left). */
export const AR: Strings = {
  launcher: 'افتح المحادثة',
  closeChat: 'أغلق المحادثة',
  title: 'تحدث معنا',
  greeting: 'مرحبًا! كيف يمكننا مساعدتك؟',
  placeholder: 'اكتب رسالة…',
  message: 'الرسالة',
  send: 'إرسال',
  sending: 'جارٍ الإرسال…',
  sent: 'تم الإرسال',
  failed: 'لم تُرسل',
  retry: 'أعد المحاولة',
  remove: 'احذف',
  you: 'أنت',
  agent: 'الموظف',
  typing: '%s يكتب…',
  someone: 'أحدهم',
  assigned: 'انضم %s إلى المحادثة',
  closed: 'انتهت هذه المحادثة.',
  newChat: 'ابدأ محادثة جديدة',
  offline: 'انقطع الاتصال. سترسل رسائلك عند عودته.',
  connecting: 'جارٍ الاتصال…',
  unread: '%s رسائل جديدة',
  newMessage: 'رسالة جديدة',
  shareActivity: 'شارك الصفحات التي زرتها ومدة زيارتي مع الموظف',
  messages: 'الرسائل',
}

