import type { ConversationStatus, SenderRole, TranscriptLanguage } from '@sagamart/contracts/http/chat';

/** What a transcript's heading is made of. */
export interface TranscriptFacts {
  createdAt: Date;
  orderNumber: string | null;
  status: ConversationStatus;
}

/** One message of a transcript; names are data and stay as written. */
export interface TranscriptLine {
  at: Date;
  senderRole: SenderRole;
  /** The name of whoever wrote it (null: unknown, the side's word stands in). */
  senderName: string | null;
  text: string;
}

const WORDS = {
  ko: {
    title: '상담 기록',
    order: '문의 주문',
    status: '상태',
    statuses: { WAITING: '대기 중', OPEN: '상담 중', RESOLVED: '종료' },
    customer: '고객',
    agent: '상담원',
    locale: 'ko-KR',
  },
  en: {
    title: 'Chat transcript',
    order: 'About order',
    status: 'Status',
    statuses: { WAITING: 'Waiting', OPEN: 'In progress', RESOLVED: 'Closed' },
    customer: 'Customer',
    agent: 'Agent',
    locale: 'en-GB',
  },
} as const satisfies Record<TranscriptLanguage, unknown>;

/** Times as the shop keeps them: Korean time, written the reader's way. */
function timeIn(language: TranscriptLanguage, date: Date): string {
  const time = date.toLocaleString(WORDS[language].locale, { timeZone: 'Asia/Seoul', hour12: false });
  return language === 'ko' ? time : `${time} KST`;
}

/** The transcript's heading: when it began, the order it is about, where it stands. */
export function transcriptHeading(language: TranscriptLanguage, facts: TranscriptFacts): string[] {
  const words = WORDS[language];
  return [
    `${words.title} (${timeIn(language, facts.createdAt)})`,
    ...(facts.orderNumber ? [`${words.order}: ${facts.orderNumber}`] : []),
    `${words.status}: ${words.statuses[facts.status]}`,
    '',
  ];
}

/** One message as a line: time, who wrote it, what they wrote. */
export function transcriptLine(language: TranscriptLanguage, message: TranscriptLine): string {
  const words = WORDS[language];
  const who = message.senderName ?? (message.senderRole === 'CUSTOMER' ? words.customer : words.agent);
  // A line starts with its time: a message's own line breaks (any a reader may break on: U+2028 and
  // NEL too) are indented, and a name's control characters dropped, so no one can write a line that
  // reads as someone else's.
  const text = message.text.replace(LINE_BREAK, '\n    ');
  return `[${timeIn(language, message.at)}] ${who.replace(CONTROL, ' ')}: ${text}`;
}

const CONTROL = /[\p{Cc}\u2028\u2029]/gu;
/** What a line-oriented reader (an editor, Python's splitlines) takes for a line break. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the control characters that break lines are what it matches
const LINE_BREAK = /\r\n|[\n\r\v\f\x1c-\x1e\x85\u2028\u2029]/g;
