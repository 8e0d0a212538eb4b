"""A local SMTP server for the tests (RFC 5321, the part a mail client uses): EHLO/HELO, AUTH
PLAIN and LOGIN against one user, MAIL FROM, RCPT TO, DATA with dot-unstuffing, RSET, NOOP,
QUIT. Each message received is appended to --spool as one JSON line (from, to, the login, the
raw message). It refuses a wrong password (535) and a sender before login when --user is
given (530). Prints "listening on PORT" first; ends when the process that started it does."""
import argparse
import base64
import json
import socketserver
import threading

from lifetime import end_with_parent


class Handler(socketserver.StreamRequestHandler):
    def send(self, line):
        self.wfile.write((line + "\r\n").encode())
        self.wfile.flush()

    def read(self):
        line = self.rfile.readline()
        if not line:
            raise EOFError
        return line.decode("utf-8", "replace").rstrip("\r\n")

    def handle(self):
        opts = self.server.opts
        self.send("220 localhost fake SMTP ready")
        sender, recipients, login = None, [], None
        try:
            while True:
                line = self.read()
                verb = line.split(" ", 1)[0].upper()
                arg = line[len(verb):].strip()
                if verb in ("EHLO", "HELO"):
                    if verb == "EHLO":
                        self.send("250-localhost")
                        self.send("250-AUTH PLAIN LOGIN")
                        self.send("250 8BITMIME")
                    else:
                        self.send("250 localhost")
                elif verb == "AUTH":
                    parts = arg.split(" ")
                    if parts[0].upper() == "PLAIN":
                        blob = parts[1] if len(parts) > 1 else None
                        if blob is None:
                            self.send("334 ")
                            blob = self.read()
                        fields = base64.b64decode(blob).decode().split("\0")
                        user, password = fields[1], fields[2]
                    else:
                        if len(parts) > 1:
                            user = base64.b64decode(parts[1]).decode()
                        else:
                            self.send("334 VXNlcm5hbWU6")
                            user = base64.b64decode(self.read()).decode()
                        self.send("334 UGFzc3dvcmQ6")
                        password = base64.b64decode(self.read()).decode()
                    if user == opts.user and password == opts.password:
                        login = user
                        self.send("235 2.7.0 Authentication successful")
                    else:
                        self.send("535 5.7.8 Authentication credentials invalid")
                elif verb == "MAIL":
                    if opts.user and not login:
                        self.send("530 5.7.0 Authentication required")
                        continue
                    sender, recipients = arg.split(":", 1)[1].strip(), []
                    self.send("250 OK")
                elif verb == "RCPT":
                    recipients.append(arg.split(":", 1)[1].strip())
                    self.send("250 OK")
                elif verb == "DATA":
                    self.send("354 End data with <CR><LF>.<CR><LF>")
                    lines = []
                    while True:
                        l = self.read()
                        if l == ".":
                            break
                        lines.append(l[1:] if l.startswith("..") else l)
                    with self.server.lock, open(opts.spool, "a") as f:
                        f.write(json.dumps({"from": sender, "to": recipients, "login": login, "message": "\r\n".join(lines)}) + "\n")
                    self.send("250 OK queued")
                elif verb == "RSET":
                    sender, recipients = None, []
                    self.send("250 OK")
                elif verb == "NOOP":
                    self.send("250 OK")
                elif verb == "QUIT":
                    self.send("221 Bye")
                    return
                else:
                    self.send("502 5.5.2 Command not recognized")
        except EOFError:
            return


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--spool", required=True)
    parser.add_argument("--user", default="")
    parser.add_argument("--password", default="")
    opts = parser.parse_args()
    server = socketserver.ThreadingTCPServer(("127.0.0.1", opts.port), Handler)
    server.daemon_threads = True
    server.opts = opts
    server.lock = threading.Lock()
    print("listening on %d" % server.server_address[1], flush=True)
    end_with_parent()
    server.serve_forever()


if __name__ == "__main__":
    main()
