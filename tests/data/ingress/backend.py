# A backend for the ingress integration tests: answers every path with a
# plain-text line naming the instance and what it received, and /health with
# 200 — or 503 while the file given as the third argument exists, so a test
# can make one instance fail its check.
import http.server
import os
import sys

port, name, fail_file = int(sys.argv[1]), sys.argv[2], sys.argv[3]


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        if self.path == "/health":
            status = 503 if os.path.exists(fail_file) else 200
            self.answer(status, "unhealthy\n" if status == 503 else "ok\n")
            return
        self.answer(200, "instance=%s path=%s host=%s xff=%s\n" % (
            name, self.path, self.headers.get("Host", ""), self.headers.get("X-Forwarded-For", "")))

    def answer(self, status, body):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", "text/plain")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
