"""A stand-in for prefix.dev's GraphQL endpoint (prefix.dev cannot be
reached from the test machines): http.server on 127.0.0.1, answering
POST /api/graphql with the viewer's login for a bearer token.

Tokens starting with "bad-" are invalid (viewer null), "http500-" gives a
500; any other token belongs to the account "test-user". Every request is
recorded (path, Authorization header, body) in .requests.
"""
import http.server
import json
import threading


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        auth = self.headers.get("Authorization", "")
        self.server.requests.append((self.path, auth, body.decode()))
        token = auth[len("Bearer "):] if auth.startswith("Bearer ") else None
        if self.path != "/api/graphql":
            return self._send(404, {"error": "not found"})
        if token and token.startswith("http500-"):
            return self._send(500, {"error": "boom"})
        login = None if not token or token.startswith("bad-") else "test-user"
        self._send(200, {"data": {"viewer": {"login": login} if login else None}})

    def _send(self, status, doc):
        data = json.dumps(doc).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


class PrefixDevStub:
    def __init__(self):
        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.server.requests = []
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def requests(self):
        return self.server.requests

    def close(self):
        self.server.shutdown()
        self.server.server_close()
