// The time zone and locale that scripts see, whatever the host machine's settings.

test('Intl reports the UTC time zone and the en-US locale, as workerd does', () => {
  const options = new Intl.DateTimeFormat().resolvedOptions();
  assert.equal(options.timeZone, 'UTC');
  assert.equal(options.locale, 'en-US');
  assert.equal(new Intl.NumberFormat().resolvedOptions().locale, 'en-US');
});

test('Dates format in UTC', () => {
  const date = new Date(Date.UTC(2026, 0, 2, 3, 4, 5));
  assert.equal(date.getHours(), 3);
  assert.equal(date.getTimezoneOffset(), 0);
  // NOTE: V8 names the zone "(Coordinated Universal Time)" here, GraalJS "(GMT)".
  assert.equal(date.toString(), 'Fri Jan 02 2026 03:04:05 GMT+0000 (GMT)');
  assert.equal(date.toLocaleString(), '1/2/2026, 3:04:05\u202fAM');
});
