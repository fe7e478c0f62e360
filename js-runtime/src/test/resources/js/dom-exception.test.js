const LEGACY_CODES = {
  IndexSizeError: ['INDEX_SIZE_ERR', 1],
  DOMStringSizeError: ['DOMSTRING_SIZE_ERR', 2],
  HierarchyRequestError: ['HIERARCHY_REQUEST_ERR', 3],
  WrongDocumentError: ['WRONG_DOCUMENT_ERR', 4],
  InvalidCharacterError: ['INVALID_CHARACTER_ERR', 5],
  NoDataAllowedError: ['NO_DATA_ALLOWED_ERR', 6],
  NoModificationAllowedError: ['NO_MODIFICATION_ALLOWED_ERR', 7],
  NotFoundError: ['NOT_FOUND_ERR', 8],
  NotSupportedError: ['NOT_SUPPORTED_ERR', 9],
  InUseAttributeError: ['INUSE_ATTRIBUTE_ERR', 10],
  InvalidStateError: ['INVALID_STATE_ERR', 11],
  SyntaxError: ['SYNTAX_ERR', 12],
  InvalidModificationError: ['INVALID_MODIFICATION_ERR', 13],
  NamespaceError: ['NAMESPACE_ERR', 14],
  InvalidAccessError: ['INVALID_ACCESS_ERR', 15],
  ValidationError: ['VALIDATION_ERR', 16],
  TypeMismatchError: ['TYPE_MISMATCH_ERR', 17],
  SecurityError: ['SECURITY_ERR', 18],
  NetworkError: ['NETWORK_ERR', 19],
  AbortError: ['ABORT_ERR', 20],
  URLMismatchError: ['URL_MISMATCH_ERR', 21],
  QuotaExceededError: ['QUOTA_EXCEEDED_ERR', 22],
  TimeoutError: ['TIMEOUT_ERR', 23],
  InvalidNodeTypeError: ['INVALID_NODE_TYPE_ERR', 24],
  DataCloneError: ['DATA_CLONE_ERR', 25],
};

test('DOMException defaults', () => {
  const exception = new DOMException();
  assert.equal(exception.message, '');
  assert.equal(exception.name, 'Error');
  assert.equal(exception.code, 0);
});

test('DOMException name and message', () => {
  const exception = new DOMException('not here', 'NotFoundError');
  assert.equal(exception.message, 'not here');
  assert.equal(exception.name, 'NotFoundError');
  assert.equal(exception.code, 8);
});

test('DOMException converts arguments to strings', () => {
  const exception = new DOMException(42, null);
  assert.equal(exception.message, '42');
  assert.equal(exception.name, 'null');
  assert.equal(new DOMException(undefined, undefined).name, 'Error');
  assert.throws(() => new DOMException(Symbol('x')), TypeError);
});

test('DOMException legacy codes', () => {
  for (const [name, [constant, code]] of Object.entries(LEGACY_CODES)) {
    assert.equal(new DOMException('', name).code, code, name);
    assert.equal(DOMException[constant], code, constant);
    assert.equal(DOMException.prototype[constant], code, 'prototype ' + constant);
  }
});

test('DOMException newer names have code 0', () => {
  for (const name of ['EncodingError', 'NotReadableError', 'UnknownError', 'OperationError', 'dataCloneError']) {
    assert.equal(new DOMException('', name).code, 0, name);
  }
});

test('DOMException constants are read-only', () => {
  const descriptor = Object.getOwnPropertyDescriptor(DOMException, 'DATA_CLONE_ERR');
  assert.equal(descriptor.writable, false);
  assert.equal(descriptor.configurable, false);
  assert.equal(descriptor.enumerable, true);
  assert.throws(function assignInStrictMode() {
    'use strict';
    DOMException.DATA_CLONE_ERR = 1;
  }, TypeError);
  assert.equal(DOMException.DATA_CLONE_ERR, 25);
});

test('DOMException is an Error', () => {
  const exception = new DOMException('m', 'AbortError');
  assert.ok(exception instanceof DOMException);
  assert.ok(exception instanceof Error);
  assert.equal(Object.getPrototypeOf(DOMException.prototype), Error.prototype);
  assert.equal(Object.prototype.toString.call(exception), '[object DOMException]');
  assert.equal(String(exception), 'AbortError: m');
});

test('DOMException attributes live on the prototype', () => {
  const exception = new DOMException('m', 'AbortError');
  assert.deepEqual(Object.keys(exception), []);
  assert.equal(Object.hasOwn(exception, 'message'), false);
  for (const name of ['name', 'message', 'code']) {
    const descriptor = Object.getOwnPropertyDescriptor(DOMException.prototype, name);
    assert.equal(typeof descriptor.get, 'function', name);
    assert.equal(descriptor.enumerable, true, name);
  }
});

test('DOMException getters check the receiver', () => {
  const getter = Object.getOwnPropertyDescriptor(DOMException.prototype, 'name').get;
  assert.throws(() => getter.call({}), TypeError);
  assert.throws(() => DOMException.prototype.code, TypeError);
});

test('DOMException stack starts with guest frames', () => {
  function makeException() {
    return new DOMException('boom', 'DataCloneError');
  }
  const stack = makeException().stack;
  assert.equal(typeof stack, 'string');
  assert.ok(stack.startsWith('DataCloneError: boom\n'), stack);
  assert.ok(stack.includes('makeException'), stack);
  assert.ok(!stack.includes('mooring:runtime/'), stack);
});

test('DOMException from a runtime API hides runtime frames', () => {
  const error = assert.throws(() => atob('!'), DOMException);
  assert.ok(!error.stack.includes('mooring:runtime/'), error.stack);
  assert.ok(error.stack.startsWith('InvalidCharacterError: '), error.stack);
});

test('DOMException requires new', () => {
  assert.throws(() => DOMException('x'), TypeError);
});

test('DOMException can be subclassed', () => {
  class MyException extends DOMException {
    constructor() {
      super('sub', 'TimeoutError');
    }
  }
  const exception = new MyException();
  assert.equal(exception.name, 'TimeoutError');
  assert.equal(exception.code, 23);
  assert.ok(exception instanceof DOMException);
});

test('DOMException global is not enumerable', () => {
  const descriptor = Object.getOwnPropertyDescriptor(globalThis, 'DOMException');
  assert.equal(descriptor.enumerable, false);
  assert.equal(descriptor.writable, true);
  assert.equal(DOMException.length, 0);
});
