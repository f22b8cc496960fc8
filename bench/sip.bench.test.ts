import { test } from 'node:test';
import assert from 'node:assert/strict';
import { medianOfRounds, ratios } from './sip.bench';

test('rounds fold into medians; headline rates carry their range; ratios come from the medians', () => {
  const round = (ours: number, kam: number, p50: number) => [
    { name: 'ours.register.nc.tcp', value: ours, unit: 'REGISTER/s' },
    { name: 'ours.register.nc.tcp.p50', value: p50, unit: 'ms' },
    { name: 'kamailio.register.nc.tcp', value: kam, unit: 'REGISTER/s' },
  ];
  const figures = medianOfRounds([round(10_000, 20_000, 5), round(12_000, 18_000, 9), round(11_000, 30_000, 7)]);
  const get = (name: string) => figures.find((f) => f.name === name)!;
  assert.equal(get('ours.register.nc.tcp').value, 11_000);
  assert.match(get('ours.register.nc.tcp').unit, /median of 3 rounds, 10,000–12,000/);
  assert.equal(get('ours.register.nc.tcp.p50').value, 7);
  assert.equal(get('ours.register.nc.tcp.p50').unit, 'ms', 'only headline rates carry a range');
  assert.equal(get('kamailio.register.nc.tcp').value, 20_000);
  assert.equal(ratios(figures).find((f) => f.name === 'ratio.register.nc.tcp')!.value, 0.55);
  assert.equal(medianOfRounds([round(1, 2, 3), round(3, 4, 5)])[0]!.value, 2, 'even count: mean of the middle two');
});
