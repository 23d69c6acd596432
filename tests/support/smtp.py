"""A mail server for the tests that speaks what the app needs of a real one: STARTTLS with a certificate the app
must check, AUTH PLAIN, and one message per MAIL/RCPT/DATA. What arrives is kept in `messages`."""

import base64
import email
import email.policy
import socketserver
import ssl
import threading
from email.message import EmailMessage
from pathlib import Path

from tests.support.servers import free_port


class SmtpSink:
    def __init__(self, certificate: Path, key: Path, *, username: str, password: str) -> None:
        self.port = free_port()
        self.username, self.password = username, password
        self.messages: list[EmailMessage] = []
        self.logins: list[str] = []
        tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        tls.load_cert_chain(certificate, key)
        sink = self

        class Session(socketserver.StreamRequestHandler):
            def reply(self, line: str) -> None:
                self.wfile.write(line.encode() + b"\r\n")
                self.wfile.flush()

            def handle(self) -> None:
                self.reply("220 sink ESMTP")
                secure = False
                while line := self.rfile.readline():
                    verb, _, argument = line.decode().rstrip("\r\n").partition(" ")
                    verb = verb.upper()
                    if verb in ("EHLO", "HELO"):
                        self.reply("250-sink\r\n250 STARTTLS" if not secure else "250-sink\r\n250 AUTH PLAIN")
                    elif verb == "STARTTLS" and not secure:
                        self.reply("220 go ahead")
                        try:
                            self.connection = self.request = tls.wrap_socket(self.request, server_side=True)
                        except ssl.SSLError:  # the client did not trust the certificate: it says so itself
                            return
                        self.rfile, self.wfile = self.connection.makefile("rb"), self.connection.makefile("wb")
                        secure = True
                    elif verb == "AUTH" and secure:
                        _, _, encoded = argument.partition(" ")
                        _, user, given = base64.b64decode(encoded).decode().split("\0")
                        sink.logins.append(user)
                        self.reply("235 ok" if (user, given) == (username, password) else "535 no")
                    elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                        self.reply("250 ok" if secure or verb in ("RSET", "NOOP") else "530 STARTTLS first")
                    elif verb == "DATA":
                        self.reply("354 end with .")
                        lines = []
                        while (data := self.rfile.readline()) not in (b".\r\n", b""):
                            lines.append(data[1:] if data.startswith(b"..") else data)
                        sink.messages.append(email.message_from_bytes(b"".join(lines), policy=email.policy.default))
                        self.reply("250 queued")
                    elif verb == "QUIT":
                        self.reply("221 bye")
                        return
                    else:
                        self.reply("502 not here")

        self.server = socketserver.ThreadingTCPServer(("127.0.0.1", self.port), Session)
        self.server.daemon_threads = True

    def start(self) -> "SmtpSink":
        threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()
