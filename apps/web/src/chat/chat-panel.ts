import { useSyncExternalStore } from 'react';

// Whether the customer's chat panel is open, and about which order: any page may open it (the order
// detail's "이 주문 문의하기"), the floating button shows it.

export interface ChatPanelState {
  opened: boolean;
  /** Set by "about this order": the panel opens (or finds) a conversation linked to it. */
  orderId: string | null;
}

let state: ChatPanelState = { opened: false, orderId: null };
const listeners = new Set<() => void>();

function set(next: ChatPanelState): void {
  state = next;
  for (const listener of listeners) listener();
}

export const chatPanel = {
  open(orderId: string | null = null): void {
    set({ opened: true, orderId });
  },
  close(): void {
    set({ opened: false, orderId: null });
  },
  toggle(): void {
    if (state.opened) chatPanel.close();
    else chatPanel.open();
  },
  subscribe(listener: () => void): () => void {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  get(): ChatPanelState {
    return state;
  },
};

export function useChatPanel(): ChatPanelState {
  return useSyncExternalStore(chatPanel.subscribe, chatPanel.get);
}
