#!/usr/bin/env python3
"""Holds N idle keep-alive client connections to a proxy.

  idle_clients.py HOST PORT N READY_FILE

Opens N connections one after the other; on each it sends one complete
`GET / HTTP/1.1` request and reads the whole response (Content-Length), so the
proxy has accepted the connection, served one request through to the backend
and is back to waiting for the next request. Then it writes
"open=<n> failed=<n>" to READY_FILE and sleeps, sending nothing, until
SIGTERM/SIGINT (the connections close when the process exits).
"""
import os
import signal
import socket
import sys
import time

REQUEST = b"GET / HTTP/1.1\r\nHost: bench\r\nUser-Agent: idle-clients\r\n\r\n"


def one_request(sock):
    sock.sendall(REQUEST)
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed before the response head")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = None
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value.strip())
    if length is None:
        raise ConnectionError("response without Content-Length")
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            raise ConnectionError("closed in the response body")
        body += chunk
    if not head.startswith(b"HTTP/1.1 200"):
        raise ConnectionError(head.split(b"\r\n")[0].decode())


def main():
    host, port, count, ready_file = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    socks, failed, first_error = [], 0, ""
    for _ in range(count):
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(10)
        try:
            s.connect((host, port))
            one_request(s)
            socks.append(s)
        except (OSError, ConnectionError) as e:
            failed += 1
            first_error = first_error or str(e)
            s.close()
            if failed >= 50:  # the proxy refuses more: stop trying
                break
    with open(ready_file + ".tmp", "w") as f:
        f.write(f"open={len(socks)} failed={failed} error={first_error!r}\n")
    os.rename(ready_file + ".tmp", ready_file)
    while True:
        time.sleep(3600)


if __name__ == "__main__":
    main()
