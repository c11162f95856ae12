import type { ZipkinSpan } from '../../traces/trace-model.ts';
import type { Wording } from '../wording.ts';

// The admin's words for one trace's page: Korean first (the source of truth), English the same keys.
export const adminTraceKo = {
  invalidId: '올바른 트레이스 ID가 아닙니다.',
  loading: '트레이스를 불러오는 중…',
  back: '← 트레이스',
  traceId: '트레이스 ID',
  spanCount: '스팬 {{spans}}개',
  failed: '오류 {{errors}}건',
  spans: '스팬',
  /** A span that crosses services through an event: its publish or its consumption. */
  hop: { publish: '이벤트 발행', consume: '이벤트 수신' },
  attributes: '스팬 속성',
  span: '스팬',
  under: '· 상위',
  remote: '원격 서비스',
  /** Zipkin's span kinds; a span without one is INTERNAL. */
  kind: {
    CLIENT: '클라이언트',
    SERVER: '서버',
    PRODUCER: '이벤트 발행',
    CONSUMER: '이벤트 수신',
    INTERNAL: '내부',
  } satisfies Record<NonNullable<ZipkinSpan['kind']> | 'INTERNAL', string>,
} as const;

export const adminTraceEn: Wording<typeof adminTraceKo> = {
  invalidId: 'That is not a trace id.',
  loading: 'Loading the trace…',
  back: '← Traces',
  traceId: 'Trace',
  spanCount: '{{spans}} spans',
  failed: '{{errors}} failed',
  spans: 'Spans',
  hop: { publish: 'event out', consume: 'event in' },
  attributes: 'Span attributes',
  span: 'span',
  under: 'under',
  remote: 'remote',
  kind: {
    CLIENT: 'Client',
    SERVER: 'Server',
    PRODUCER: 'Producer',
    CONSUMER: 'Consumer',
    INTERNAL: 'Internal',
  },
};
