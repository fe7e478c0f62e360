// DOM events: Event, EventTarget, CustomEvent, and the event types WebSockets dispatch
// (MessageEvent, CloseEvent, ErrorEvent), as Workers provide them.
(function (host, internals) {
  'use strict';

  const slotsOf = internals.slotsOf;

  const eventSlots = new WeakMap();

  function eventSlotsOf(value) {
    return slotsOf(eventSlots, value);
  }

  class Event {
    constructor(type, init = undefined) {
      const timeStamp = Date.now();
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'Event': 1 argument required, but only 0 present.");
      }
      eventSlots.set(this, {
        type: String(type),
        cancelable: !!(init && init.cancelable),
        bubbles: !!(init && init.bubbles),
        defaultPrevented: false,
        stopped: false,
        target: null,
        timeStamp,
      });
    }

    get type() {
      return eventSlotsOf(this).type;
    }

    get target() {
      return eventSlotsOf(this).target;
    }

    get currentTarget() {
      return eventSlotsOf(this).target;
    }

    get cancelable() {
      return eventSlotsOf(this).cancelable;
    }

    get defaultPrevented() {
      return eventSlotsOf(this).defaultPrevented;
    }

    get timeStamp() {
      return eventSlotsOf(this).timeStamp;
    }

    get bubbles() {
      return eventSlotsOf(this).bubbles;
    }

    get composed() {
      return false;
    }

    get isTrusted() {
      return false;
    }

    get eventPhase() {
      return eventSlotsOf(this).target === null ? 0 : 2;
    }

    preventDefault() {
      const slots = eventSlotsOf(this);
      if (slots.cancelable) slots.defaultPrevented = true;
    }

    stopImmediatePropagation() {
      eventSlotsOf(this).stopped = true;
    }

    stopPropagation() {}

    composedPath() {
      const slots = eventSlotsOf(this);
      return slots.target === null ? [] : [slots.target];
    }
  }
  Object.defineProperty(Event.prototype, Symbol.toStringTag, { value: 'Event', configurable: true });
  internals.markNotSerializable(Event);

  internals.setEventTarget = (event, target) => {
    eventSlotsOf(event).target = target;
  };
  internals.isEventStopped = (event) => eventSlotsOf(event).stopped;

  const eventTargetSlots = new WeakMap();

  function eventTargetSlotsOf(value) {
    return slotsOf(eventTargetSlots, value);
  }

  class EventTarget {
    constructor() {
      eventTargetSlots.set(this, {
        // type -> array of { listener, once }
        listeners: new Map(),
        // type -> the value of an event handler attribute such as `onabort`, or null before one is set
        eventHandlers: null,
        // As in workerd, the first listener that returns a value gets a warning, once per target.
        warnOnListenerReturn: true,
      });
    }

    addEventListener(type, listener, options = undefined) {
      if (listener === null || listener === undefined) return;
      if (typeof listener !== 'function' && (typeof listener !== 'object' || typeof listener.handleEvent !== 'function')) {
        throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': The callback provided as parameter 2 is not an object.");
      }
      const key = String(type);
      const { once, signal } = listenerOptions(options);
      if (signal !== undefined && signal.aborted) return;
      const slots = eventTargetSlotsOf(this);
      let entries = slots.listeners.get(key);
      if (entries === undefined) {
        entries = [];
        slots.listeners.set(key, entries);
      }
      if (entries.some((entry) => entry.listener === listener)) return;
      entries.push({ listener, once, removed: false });
      if (signal !== undefined) {
        internals.addAbortAlgorithm(signal, () => this.removeEventListener(key, listener));
      }
    }

    removeEventListener(type, listener, options = undefined) {
      if (options === true) {
        throw new TypeError('removeEventListener(): useCapture must be false.');
      }
      if (options !== null && typeof options === 'object' && options.capture) {
        throw new TypeError('removeEventListener(): options.capture must be false.');
      }
      const entries = eventTargetSlotsOf(this).listeners.get(String(type));
      if (entries === undefined) return;
      const index = entries.findIndex((entry) => entry.listener === listener);
      if (index >= 0) {
        // A dispatch in progress has its own copy of the list and skips a removed entry.
        entries[index].removed = true;
        entries.splice(index, 1);
      }
    }

    dispatchEvent(event) {
      if (!(event instanceof Event)) {
        throw new TypeError("Failed to execute 'dispatchEvent' on 'EventTarget': parameter 1 is not of type 'Event'.");
      }
      internals.setEventTarget(event, this);
      const slots = eventTargetSlotsOf(this);
      // As in workerd, an event handler attribute runs before the listeners, whenever it was
      // set, and only when its value is a function.
      const eventHandler = slots.eventHandlers === null ? undefined : slots.eventHandlers.get(event.type);
      if (typeof eventHandler === 'function') {
        eventHandler.call(this, event);
      }
      const entries = slots.listeners.get(event.type);
      if (entries !== undefined && !internals.isEventStopped(event)) {
        for (const entry of entries.slice()) {
          // As in workerd, a listener that an earlier one removed does not run.
          if (entry.removed) continue;
          if (entry.once) this.removeEventListener(event.type, entry.listener);
          const returned = typeof entry.listener === 'function'
            ? entry.listener.call(this, event)
            : entry.listener.handleEvent(event);
          if (returned !== undefined) {
            noteListenerReturn(slots, event, returned);
          }
          if (internals.isEventStopped(event)) break;
        }
      }
      return !event.defaultPrevented;
    }
  }
  Object.defineProperty(EventTarget.prototype, Symbol.toStringTag, { value: 'EventTarget', configurable: true });
  internals.markNotSerializable(EventTarget);

  // Reads addEventListener's third argument. As in workerd, capturing and passive listeners are
  // rejected, since a worker has no tree of targets and no default actions to make passive.
  function listenerOptions(options) {
    if (options === true) {
      throw new TypeError('addEventListener(): useCapture must be false.');
    }
    if (options === null || typeof options !== 'object') {
      return { once: false, signal: undefined };
    }
    if (options.capture) {
      throw new TypeError('addEventListener(): options.capture must be false.');
    }
    if (options.passive) {
      throw new TypeError('addEventListener(): options.passive must be false.');
    }
    const signal = options.signal === null ? undefined : options.signal;
    if (signal !== undefined && !internals.isAbortSignal(signal)) {
      throw new TypeError("Failed to execute 'addEventListener' on 'EventTarget': member signal is not of type AbortSignal.");
    }
    return { once: !!options.once, signal };
  }

  // A listener's return value is ignored, except that `true` cancels the event as in workerd. An
  // async listener is a common mistake, since nothing waits for its promise, so the first one
  // to return anything else gets workerd's warning.
  function noteListenerReturn(slots, event, returned) {
    if (returned === true) {
      event.preventDefault();
    }
    if (typeof returned === 'boolean' || !slots.warnOnListenerReturn) {
      return;
    }
    slots.warnOnListenerReturn = false;
    if (returned instanceof Promise) {
      console.warn('An event handler returned a promise that will be ignored. Event handlers should not have a return value'
        + ' and should not be async functions.');
    } else {
      console.warn(`An event handler returned a value of type "${typeof returned}" that will be ignored. Event handlers`
        + ' should not have a return value.');
    }
  }

  // Event handler attributes (`onabort` and the like) of subclasses keep their value here, so that
  // dispatchEvent() finds it. getEventHandler returns null when none is set.
  internals.getEventHandler = (target, type) => {
    const handlers = eventTargetSlotsOf(target).eventHandlers;
    const value = handlers === null ? undefined : handlers.get(type);
    return value === undefined ? null : value;
  };
  internals.setEventHandler = (target, type, value) => {
    const slots = eventTargetSlotsOf(target);
    if (slots.eventHandlers === null) {
      slots.eventHandlers = new Map();
    }
    slots.eventHandlers.set(type, value);
  };
  internals.removeAllEventListeners = (target) => {
    eventTargetSlotsOf(target).listeners.clear();
  };

  const messageEventSlots = new WeakMap();

  function messageEventSlotsOf(value) {
    return slotsOf(messageEventSlots, value);
  }

  class MessageEvent extends Event {
    constructor(type, init = undefined) {
      super(type, init);
      messageEventSlots.set(this, { data: init && 'data' in init ? init.data : null });
    }

    get data() {
      return messageEventSlotsOf(this).data;
    }
  }

  const closeEventSlots = new WeakMap();

  function closeEventSlotsOf(value) {
    return slotsOf(closeEventSlots, value);
  }

  class CloseEvent extends Event {
    constructor(type, init = undefined) {
      super(type, init);
      closeEventSlots.set(this, {
        code: init && init.code !== undefined ? Number(init.code) : 0,
        reason: init && init.reason !== undefined ? String(init.reason) : '',
        wasClean: !!(init && init.wasClean),
      });
    }

    get code() {
      return closeEventSlotsOf(this).code;
    }

    get reason() {
      return closeEventSlotsOf(this).reason;
    }

    get wasClean() {
      return closeEventSlotsOf(this).wasClean;
    }
  }

  const customEventSlots = new WeakMap();

  function customEventSlotsOf(value) {
    return slotsOf(customEventSlots, value);
  }

  // An event that carries a value of the script's choosing in `detail`.
  class CustomEvent extends Event {
    constructor(type, init = undefined) {
      if (arguments.length === 0) {
        throw new TypeError("Failed to construct 'CustomEvent': 1 argument required, but only 0 present.");
      }
      super(type, init);
      customEventSlots.set(this, { detail: init && init.detail !== undefined ? init.detail : null });
    }

    get detail() {
      return customEventSlotsOf(this).detail;
    }
  }

  const errorEventSlots = new WeakMap();

  function errorEventSlotsOf(value) {
    return slotsOf(errorEventSlots, value);
  }

  class ErrorEvent extends Event {
    constructor(type, init = undefined) {
      super(type, init);
      errorEventSlots.set(this, {
        message: init && init.message !== undefined ? String(init.message) : '',
        error: init ? init.error : undefined,
      });
    }

    get message() {
      return errorEventSlotsOf(this).message;
    }

    get error() {
      return errorEventSlotsOf(this).error;
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

  for (const [name, cls] of [['Event', Event], ['EventTarget', EventTarget], ['CustomEvent', CustomEvent],
    ['MessageEvent', MessageEvent], ['CloseEvent', CloseEvent], ['ErrorEvent', ErrorEvent]]) {
    if (cls !== Event && cls !== EventTarget) {
      Object.defineProperty(cls.prototype, Symbol.toStringTag, { value: name, configurable: true });
    }
    Object.defineProperty(globalThis, name, { value: cls, writable: true, configurable: true });
  }

  // Workers scripts and the libraries they bundle reach the global scope as `self`, as in workerd.
  Object.defineProperty(globalThis, 'self', { value: globalThis, writable: true, enumerable: true, configurable: true });
})
