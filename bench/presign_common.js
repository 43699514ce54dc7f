// Shared inputs and timing for the Node presign benchmarks, so every
// implementation signs exactly what bench/sigv4_bench.c signs.
'use strict';

const N_KEYS = 1024;
const ROUNDS = 5;

const inputs = {
  host: '127.0.0.1:9000',
  hostname: '127.0.0.1',
  port: 9000,
  region: 'us-east-1',
  service: 's3',
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  date: new Date('2013-05-24T00:00:00Z'),
  amzDate: '20130524T000000Z',
  expires: 3600,
  // Prepared up front so only signing is timed, as in the C benchmark.
  paths: Array.from({ length: N_KEYS }, (_, i) =>
    `/conda-pkgs/linux-64/pkg-${String(i).padStart(4, '0')}-1.2.3-h1234567_0.conda`),
};

function signatureOf(url) {
  return /X-Amz-Signature=([0-9a-f]{64})/.exec(url)[1];
}

// Runs `presign(path)` (sync or async) n times in ROUNDS rounds and prints
// the best round's rate, like the C benchmark.
async function run(name, n, presign) {
  const first = await presign(inputs.paths[0]);
  console.log(`sample: ${first}`);
  console.log(`signature[0]: ${signatureOf(first)}`);
  const perRound = Math.max(1, Math.floor(n / ROUNDS));
  let best = Infinity, all = 0, bytes = 0;
  for (let r = 0; r < ROUNDS; r++) {
    const t0 = process.hrtime.bigint();
    for (let i = 0; i < perRound; i++)
      bytes += (await presign(inputs.paths[i % N_KEYS])).length;
    const dt = Number(process.hrtime.bigint() - t0) / 1e9;
    all += dt;
    best = Math.min(best, dt);
  }
  console.log(`${name}: ${Math.round(perRound / best)} presigns/s (best of ` +
    `${ROUNDS} rounds of ${perRound}; mean ${Math.round(perRound * ROUNDS / all)}/s; ` +
    `${Math.round(best * 1e9 / perRound)} ns each; ${bytes} bytes)`);
}

module.exports = { inputs, run };
