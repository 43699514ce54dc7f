// @smithy/signature-v4 (the AWS SDK for JavaScript v3 signer) presigning the
// same S3 GET as bench/sigv4_bench.c. Usage: node presign_smithy.js [N]
'use strict';

const { SignatureV4 } = require('@smithy/signature-v4');
const { Hash } = require('@smithy/hash-node');
const { HttpRequest } = require('@smithy/protocol-http');
const { inputs, run } = require('./presign_common.js');

const signer = new SignatureV4({
  service: inputs.service,
  region: inputs.region,
  sha256: Hash.bind(null, 'sha256'), // Node's crypto, as the SDK uses on Node
  uriEscapePath: false, // S3: the path is encoded once
  credentials: {
    accessKeyId: inputs.accessKeyId,
    secretAccessKey: inputs.secretAccessKey,
  },
});

// What @aws-sdk/s3-request-presigner does: UNSIGNED-PAYLOAD as the payload
// hash, the header itself neither signed nor moved into the query.
const PAYLOAD_HEADER = 'x-amz-content-sha256';
const options = {
  signingDate: inputs.date,
  expiresIn: inputs.expires,
  unhoistableHeaders: new Set([PAYLOAD_HEADER]),
  unsignableHeaders: new Set([PAYLOAD_HEADER]),
};

function toUrl(req) {
  const q = Object.entries(req.query)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`)
    .join('&');
  return `${req.protocol}//${req.headers.host}${req.path}?${q}`;
}

async function presign(path) {
  const req = new HttpRequest({
    method: 'GET',
    protocol: 'http:',
    hostname: inputs.hostname,
    port: inputs.port,
    path,
    headers: { host: inputs.host, [PAYLOAD_HEADER]: 'UNSIGNED-PAYLOAD' },
  });
  return toUrl(await signer.presign(req, options));
}

run('@smithy/signature-v4', Number(process.argv[2] || 200000), presign);
