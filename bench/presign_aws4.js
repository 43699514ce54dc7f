// aws4 (the most used standalone npm SigV4 signer) presigning the same S3 GET
// as bench/sigv4_bench.c. Usage: node presign_aws4.js [N]
'use strict';

const aws4 = require('aws4');
const { inputs, run } = require('./presign_common.js');

const credentials = {
  accessKeyId: inputs.accessKeyId,
  secretAccessKey: inputs.secretAccessKey,
};
// aws4 takes the signing time from an X-Amz-Date already in the query, and
// signs S3 presigned URLs with UNSIGNED-PAYLOAD by itself.
const fixedQuery = `?X-Amz-Expires=${inputs.expires}&X-Amz-Date=${inputs.amzDate}`;

function presign(path) {
  const signed = aws4.sign({
    method: 'GET',
    host: inputs.host,
    path: path + fixedQuery,
    service: inputs.service,
    region: inputs.region,
    signQuery: true,
  }, credentials);
  return `http://${inputs.host}${signed.path}`;
}

run('aws4', Number(process.argv[2] || 400000), presign);
