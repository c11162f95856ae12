// Draws an agent's attention to a new customer message while they look elsewhere: the tab's title
// flashes until the tab is looked at again, and (if they turned it on) a short tone plays.

import { i18n } from '../i18n/i18n.ts';

const FLASH_EVERY_MS = 1_000;
const SOUND_KEY = 'sagamart.chat.sound';

export class TitleFlasher {
  private timer: ReturnType<typeof setInterval> | undefined;
  private original = '';
  private count = 0;

  constructor(private readonly doc: Document = document) {}

  /** One more new message: flashes `(n) 새 메시지` (`(n) New messages`) until the page is visible and focused. */
  notify(): void {
    this.count += 1;
    if (this.timer) return;
    this.original = this.doc.title;
    let on = false;
    this.timer = setInterval(() => {
      on = !on;
      this.doc.title = on ? newMessagesTitle(this.count) : this.original;
    }, FLASH_EVERY_MS);
    this.doc.addEventListener('visibilitychange', this.stopWhenSeen);
    this.doc.defaultView?.addEventListener('focus', this.stopWhenSeen);
  }

  stop(): void {
    if (!this.timer) return;
    clearInterval(this.timer);
    this.timer = undefined;
    this.count = 0;
    this.doc.title = this.original;
    this.doc.removeEventListener('visibilitychange', this.stopWhenSeen);
    this.doc.defaultView?.removeEventListener('focus', this.stopWhenSeen);
  }

  private readonly stopWhenSeen = () => {
    if (this.doc.visibilityState === 'visible' && this.doc.hasFocus()) this.stop();
  };
}

/** In the language of the moment: the flashing goes on across a language switch. */
function newMessagesTitle(count: number): string {
  return i18n.t(count === 1 ? 'chat.console.newMessagesOne' : 'chat.console.newMessages', { count });
}

export function soundEnabled(): boolean {
  return localStorage.getItem(SOUND_KEY) === 'on';
}

export function setSoundEnabled(on: boolean): void {
  localStorage.setItem(SOUND_KEY, on ? 'on' : 'off');
}

/** A short two-note chime (no audio file to ship). Browsers allow it after the agent's first click. */
export function playChime(): void {
  const context = new AudioContext();
  const notes = [880, 1320];
  notes.forEach((frequency, index) => {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.15, context.currentTime + index * 0.15);
    gain.gain.exponentialRampToValueAtTime(0.001, context.currentTime + index * 0.15 + 0.14);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(context.currentTime + index * 0.15);
    oscillator.stop(context.currentTime + index * 0.15 + 0.15);
  });
  setTimeout(() => void context.close(), 600);
}
