// DOM events: Event, EventTarget, and the event types WebSockets dispatch (MessageEvent,
// CloseEvent, ErrorEvent), as Workers provide them.
(function (host, internals) {
  'use strict';

  class Event {
    #type;
    #cancelable;
    #defaultPrevented = false;
    #stopped = false;
    #target = null;
    #timeStamp = Date.now();

    constructor(type, init = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      }
      this.#type = String(type);
      this.#cancelable = !!(init && init.cancelable);
    }

    get type() {
      return this.#type;
    }

    get target() {
      return this.#target;
    }

    get currentTarget() {
      return this.#target;
    }

    get cancelable() {
      return this.#cancelable;
    }

    get defaultPrevented() {
      return this.#defaultPrevented;
    }

    get timeStamp() {
      return this.#timeStamp;
    }

    get bubbles() {
      return false;
    }

    get composed() {
      return false;
    }

    get isTrusted() {
      return false;
    }

    get eventPhase() {
      return this.#target === null ? 0 : 2;
    }

    preventDefault() {
      if (this.#cancelable) this.#defaultPrevented = true;
    }

    stopImmediatePropagation() {
      this.#stopped = true;
    }

    stopPropagation() {}

    composedPath() {
      return this.#target === null ? [] : [this.#target];
    }

    static {
      internals.setEventTarget = (event, target) => {
        event.#target = target;
      };
      internals.isEventStopped = (event) => event.#stopped;
    }
  }
  Object.defineProperty(Event.prototype, Symbol.toStringTag, { value: 'Event', configurable: true });

  class EventTarget {
    // type -> array of { listener, once }
    #listeners = new Map();

    addEventListener(type, listener, options = undefined) {
      if (listener === null || listener === undefined) return;
      if (typeof listener !== 'function' && (typeof listener !== 'object' || typeof listener.handleEvent !== 'function')) {
        throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': The callback provided as parameter 2 is not an object.");
      }
      const key = String(type);
      const once = !!(options && typeof options === 'object' && options.once);
      let entries = this.#listeners.get(key);
      if (entries === undefined) {
        entries = [];
        this.#listeners.set(key, entries);
      }
      if (!entries.some((entry) => entry.listener === listener)) {
        entries.push({ listener, once });
      }
    }

    removeEventListener(type, listener) {
      const entries = this.#listeners.get(String(type));
      if (entries === undefined) return;
      const index = entries.findIndex((entry) => entry.listener === listener);
      if (index >= 0) entries.splice(index, 1);
    }

    dispatchEvent(event) {
      if (!(event instanceof Event)) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      internals.setEventTarget(event, this);
      const entries = this.#listeners.get(event.type);
      if (entries !== undefined) {
        for (const entry of entries.slice()) {
          if (entry.once) this.removeEventListener(event.type, entry.listener);
          if (typeof entry.listener === 'function') {
            entry.listener.call(this, event);
          } else {
            entry.listener.handleEvent(event);
          }
          if (internals.isEventStopped(event)) break;
        }
      }
      return !event.defaultPrevented;
    }
  }
  Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: 'EventTarget', configurable: true });

  class MessageEvent extends Event {
    #data;

    constructor(type, init = undefined) {
      super(type, init);
      this.#data = init && 'data' in init ? init.data : null;
    }

    get data() {
      return this.#data;
    }
  }

  class CloseEvent extends Event {
    #code;
    #reason;
    #wasClean;

    constructor(type, init = undefined) {
      super(type, init);
      this.#code = init && init.code !== undefined ? Number(init.code) : 0;
      this.#reason = init && init.reason !== undefined ? String(init.reason) : '';
      this.#wasClean = !!(init && init.wasClean);
    }

    get code() {
      return this.#code;
    }

    get reason() {
      return this.#reason;
    }

    get wasClean() {
      return this.#wasClean;
    }
  }

  class ErrorEvent extends Event {
    #message;
    #error;

    constructor(type, init = undefined) {
      super(type, init);
      this.#message = init && init.message !== undefined ? String(init.message) : '';
      this.#error = init ? init.error : undefined;
    }

    get message() {
      return this.#message;
    }

    get error() {
      return this.#error;
    }

    get filename() {
      return '';
    }

    get lineno() {
      return 0;
    }

    get colno() {
      return 0;
    }
  }

  for (const [name, cls] of [['Event', Event], ['EventTarget', EventTarget], ['MessageEvent', MessageEvent],
    ['CloseEvent', CloseEvent], ['ErrorEvent', ErrorEvent]]) {
    if (cls !== Event && cls !== EventTarget) {
      Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
    }
    Object.defineProperty(globalThis, name, { value: cls, writable: true, configurable: true });
  }
})
