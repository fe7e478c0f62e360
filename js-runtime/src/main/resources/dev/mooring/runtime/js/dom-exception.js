// DOMException, as Web IDL defines it: name, message and the legacy numeric code, with the legacy
// constants on the constructor and the prototype. Instances inherit from Error.prototype and carry
// a `stack` whose frames inside the runtime files are removed, so that the first frame is the
// guest code that made the failing call.
//
// Other runtime files create instances with internals.domException(message, name) and test for
// them with internals.isDOMException(value).
(function (host, internals) {
  'use strict';

  // Returns the state that a runtime class keeps for `value` in its WeakMap `slots`, or throws
  // workerd's TypeError for a method called on an object of another class. The runtime classes
  // keep state in WeakMaps, not private members (see RuntimeScripts), and this file loads first.
  internals.slotsOf = function slotsOf(slots, value) {
    const state = slots.get(value);
    if (state === undefined) {
      throw new TypeError('Illegal invocation');
    }
    return state;
  };

  // Legacy names in code order: the name at index i has code i + 1. Names added later (such as
  // "EncodingError" or "NotReadableError") have code 0.
  const LEGACY_ERRORS = [
    ['INDEX_SIZE_ERR', 'IndexSizeError'],
    ['DOMSTRING_SIZE_ERR', 'DOMStringSizeError'],
    ['HIERARCHY_REQUEST_ERR', 'HierarchyRequestError'],
    ['WRONG_DOCUMENT_ERR', 'WrongDocumentError'],
    ['INVALID_CHARACTER_ERR', 'InvalidCharacterError'],
    ['NO_DATA_ALLOWED_ERR', 'NoDataAllowedError'],
    ['NO_MODIFICATION_ALLOWED_ERR', 'NoModificationAllowedError'],
    ['NOT_FOUND_ERR', 'NotFoundError'],
    ['NOT_SUPPORTED_ERR', 'NotSupportedError'],
    ['INUSE_ATTRIBUTE_ERR', 'InUseAttributeError'],
    ['INVALID_STATE_ERR', 'InvalidStateError'],
    ['SYNTAX_ERR', 'SyntaxError'],
    ['INVALID_MODIFICATION_ERR', 'InvalidModificationError'],
    ['NAMESPACE_ERR', 'NamespaceError'],
    ['INVALID_ACCESS_ERR', 'InvalidAccessError'],
    ['VALIDATION_ERR', 'ValidationError'],
    ['TYPE_MISMATCH_ERR', 'TypeMismatchError'],
    ['SECURITY_ERR', 'SecurityError'],
    ['NETWORK_ERR', 'NetworkError'],
    ['ABORT_ERR', 'AbortError'],
    ['URL_MISMATCH_ERR', 'URLMismatchError'],
    ['QUOTA_EXCEEDED_ERR', 'QuotaExceededError'],
    ['TIMEOUT_ERR', 'TimeoutError'],
    ['INVALID_NODE_TYPE_ERR', 'InvalidNodeTypeError'],
    ['DATA_CLONE_ERR', 'DataCloneError'],
  ];

  const codeByName = new Map(LEGACY_ERRORS.map(([, name], index) => [name, index + 1]));

  // Source names of the runtime files (see RuntimeScripts), as they appear in stack frames.
  const RUNTIME_SOURCE_PREFIX = 'mooring:runtime/';

  function removeRuntimeFrames(stack) {
    if (typeof stack !== 'string' || !stack.includes(RUNTIME_SOURCE_PREFIX)) {
      return stack;
    }
    return stack
      .split('\n')
      .filter((line) => !(line.startsWith('    at ') && line.includes(RUNTIME_SOURCE_PREFIX)))
      .join('\n');
  }

  const domExceptionSlots = new WeakMap();

  function isDOMException(value) {
    return domExceptionSlots.has(value);
  }

  class DOMException extends Error {
    constructor(message = '', name = 'Error') {
      // No argument to super(), so that Error does not create an own `message` property that
      // would hide the accessor on the prototype.
      super();
      domExceptionSlots.set(this, { message: `${message}`, name: `${name}` });
      // GraalJS formats `stack` on first read. Reading it now, after the name and message are
      // set, gives it the "Name: message" header that V8 and workerd show.
      Object.defineProperty(this, 'stack', {
        value: removeRuntimeFrames(this.stack),
        writable: true,
        enumerable: false,
        configurable: true,
      });
    }

    get name() {
      const slots = domExceptionSlots.get(this);
      if (slots === undefined) {
        throw new TypeError('Illegal invocation: DOMException.prototype.name read on a value that is not a DOMException.');
      }
      return slots.name;
    }

    get message() {
      const slots = domExceptionSlots.get(this);
      if (slots === undefined) {
        throw new TypeError('Illegal invocation: DOMException.prototype.message read on a value that is not a DOMException.');
      }
      return slots.message;
    }

    get code() {
      const slots = domExceptionSlots.get(this);
      if (slots === undefined) {
        throw new TypeError('Illegal invocation: DOMException.prototype.code read on a value that is not a DOMException.');
      }
      return codeByName.get(slots.name) || 0;
    }
  }

  // Web IDL attributes are enumerable accessors; class syntax makes them non-enumerable.
  for (const attribute of ['name', 'message', 'code']) {
    const descriptor = Object.getOwnPropertyDescriptor(DOMException.prototype, attribute);
    descriptor.enumerable = true;
    Object.defineProperty(DOMException.prototype, attribute, descriptor);
  }
  LEGACY_ERRORS.forEach(([constant], index) => {
    const descriptor = { value: index + 1, writable: false, enumerable: true, configurable: false };
    Object.defineProperty(DOMException, constant, descriptor);
    Object.defineProperty(DOMException.prototype, constant, descriptor);
  });
  Object.defineProperty(DOMException.prototype, Symbol.toStringTag, {
    value: 'DOMException',
    writable: false,
    enumerable: false,
    configurable: true,
  });

  Object.defineProperty(globalThis, 'DOMException', {
    value: DOMException,
    writable: true,
    enumerable: false,
    configurable: true,
  });

  /** Returns a new DOMException; name is one of the Web IDL error names, such as "DataCloneError". */
  internals.domException = function domException(message, name) {
    return new DOMException(message, name);
  };
  internals.isDOMException = isDOMException;
  internals.DOMException = DOMException;
  internals.removeRuntimeFrames = removeRuntimeFrames;
})
