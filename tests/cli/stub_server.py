"""A bare HTTP stub on 127.0.0.1, for the faults nginx cannot be made to
produce on purpose (a body cut once, a Content-Length it does not honour,
TLS and plain HTTP on one port). A subclass writes answer(conn), called
once per connection; the connection is closed afterwards, and a client that
hangs up early is not an error."""
import socket
import ssl
import threading


def read_head(conn):
    """The request's bytes up to the blank line after its headers (b"" when
    the client closed first)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            return b""
        data += chunk
    return data


class StubServer:
    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(8)
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        threading.Thread(target=self._serve, daemon=True).start()

    def answer(self, conn):
        raise NotImplementedError

    def _serve(self):
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.connections += 1
            try:
                conn.settimeout(10)
                self.answer(conn)
            except (OSError, ssl.SSLError):
                pass
            finally:
                conn.close()

    def close(self):
        self.sock.close()
