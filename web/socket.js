// The WebSocket to /ws with reconnect. The socket knows nothing about the protocol: it hands
// parsed messages to `onMessage` and tells `onState` when it opens or drops. Whoever owns the
// subscriptions re-sends them from `onState("open")`, so a reconnect restores the session.

/** @typedef {"connecting"|"open"|"closed"} SocketState */

export class Socket {
  /**
   * @param {(msg: any, receivedAt: number) => void} onMessage receivedAt: performance.now() on arrival
   * @param {(state: SocketState, retryInMs?: number) => void} onState
   */
  constructor(onMessage, onState) {
    this.onMessage = onMessage;
    this.onState = onState;
    /** @type {WebSocket|null} */
    this.ws = null;
    this.attempt = 0;
    this.timer = 0;
  }

  /** Same-origin URL, so the server's Origin check passes and a token cookie is sent. */
  static url() {
    const scheme = location.protocol === "https:" ? "wss:" : "ws:";
    return `${scheme}//${location.host}/ws`;
  }

  connect() {
    clearTimeout(this.timer);
    this.onState("connecting");
    const ws = new WebSocket(Socket.url());
    this.ws = ws;
    ws.onopen = () => {
      this.attempt = 0;
      this.onState("open");
    };
    ws.onmessage = (e) => {
      if (typeof e.data !== "string") return;
      const receivedAt = performance.now();
      let msg;
      try { msg = JSON.parse(e.data); } catch { return; }
      if (msg && typeof msg === "object") this.onMessage(msg, receivedAt);
    };
    ws.onclose = () => {
      if (this.ws !== ws) return;
      this.ws = null;
      // Exponential backoff with jitter, capped, so a restarting server is not hammered by
      // every open tab at the same instant.
      const base = Math.min(10000, 300 * 2 ** this.attempt);
      const delay = Math.round(base * (0.75 + Math.random() * 0.5));
      this.attempt++;
      this.onState("closed", delay);
      this.timer = setTimeout(() => this.connect(), delay);
    };
  }

  /** @returns {boolean} whether the frame was sent (false while disconnected) */
  send(obj) {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) return false;
    this.ws.send(JSON.stringify(obj));
    return true;
  }

  get isOpen() {
    return !!this.ws && this.ws.readyState === WebSocket.OPEN;
  }
}
