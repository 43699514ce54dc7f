// A local S3 server for the tests: node s3rver.js PORT DATA_DIR BUCKET
//
// npm @20minutes/s3rver 4.0.4 (from tests/node_modules, or
// $S3RVER_NODE_MODULES), a fork of s3rver that verifies SigV4 signatures,
// header-signed and presigned. Credentials: S3RVER / S3RVER. It still
// serves anonymous (unsigned) requests, so tests of refusals must send
// wrong signatures, not none. (S3RVER_EXTRA_KEY: below.) Binds 127.0.0.1 only; prints one line
// "listening <port>" when ready; SIGTERM closes it (exit status 0).
//
// Patched in memory (the file on disk is left alone): 4.0.4 puts
// "/<bucket>" in the SigV4 canonical URI of virtual-host requests, where
// SigV4 signs the path as sent ("/<key>"), so every valid vhost-style SigV4
// request got SignatureDoesNotMatch. pkgauth addresses 127.0.0.1 path-style,
// but the vhost tests of other clients should not trip on this.
'use strict';
const fs = require('fs');
const path = require('path');
const Module = require('module');

const [port, directory, bucket] = process.argv.slice(2);
const modules = process.env.S3RVER_NODE_MODULES || path.join(__dirname, '..', 'node_modules');
const req = Module.createRequire(path.join(modules, 'noop.js'));

function patchVhost() {
  const authPath = req.resolve('@20minutes/s3rver/lib/middleware/authentication.js');
  const orig = fs.readFileSync(authPath, 'utf8');
  const needle = "      if (ctx.state.vhost) {\n        canonicalizedResource = '/' + ctx.params.bucket + canonicalizedResource;";
  if (!orig.includes(needle)) throw new Error('vhost patch: pattern not found in ' + authPath);
  const patched = orig.replace(needle,
    "      const isV4 = 'X-Amz-Algorithm' in ctx.query || /^AWS4-/i.test(ctx.get('authorization'));\n" +
    "      if (ctx.state.vhost && isV4) {\n" +
    "        // SigV4 signs the request path as sent: no bucket prefix\n" +
    "      } else if (ctx.state.vhost) {\n" +
    "        canonicalizedResource = '/' + ctx.params.bucket + canonicalizedResource;")
    .replace("    canonicalizedResource = canonicalizedResource\n      .split('/')",
             "    if (!canonicalizedResource) canonicalizedResource = '/';\n    canonicalizedResource = canonicalizedResource\n      .split('/')");
  const m = new Module(authPath, module);
  m.filename = authPath;
  m.paths = Module._nodeModulePaths(path.dirname(authPath));
  m._compile(patched, authPath);
  m.loaded = true;
  require.cache[authPath] = m;
}

if (!process.env.S3RVER_NO_VHOST_PATCH) patchVhost();

const S3rver = req('@20minutes/s3rver');
// S3RVER_EXTRA_KEY=ID:SECRET adds a key pair beside S3RVER/S3RVER, so a
// test can use a secret that is not also the access key id (and check
// that it never appears in any output).
if (process.env.S3RVER_EXTRA_KEY) {
  const [id, secret] = process.env.S3RVER_EXTRA_KEY.split(':');
  req('@20minutes/s3rver/lib/models/account.js').DUMMY_ACCOUNT.createKeyPair(id, secret);
}
const server = new S3rver({
  address: '127.0.0.1',
  port: Number(port),
  directory,
  silent: !process.env.S3RVER_VERBOSE,
  configureBuckets: [{ name: bucket }],
});
server.run().then(({ port: p }) => {
  console.log(`listening ${p}`);
}, (err) => { console.error('s3rver failed to start:', err && err.message); process.exit(1); });

let stopping = false;
const stop = () => {
  if (stopping) return;
  stopping = true;
  // close() waits for idle keep-alive sockets; do not let them block the exit
  setTimeout(() => process.exit(0), 1000).unref();
  if (server.httpServer && server.httpServer.closeIdleConnections) server.httpServer.closeIdleConnections();
  server.close().then(() => process.exit(0), () => process.exit(0));
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
