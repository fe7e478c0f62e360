(function (host, internals) {
  'use strict';
})
