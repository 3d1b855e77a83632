"""A throwaway dovecot IMAP server on 127.0.0.1 for the mailbox tests, and helpers to fill it.

``dovecot_server()`` writes a config of its own into a temporary folder (listen on 127.0.0.1,
a free port, plain-text login allowed, Maildir under a home in that folder), runs
``dovecot -c CONF -F`` as a child process, waits until it greets, and stops it afterwards.
Nothing of the machine's own dovecot configuration is read or touched. Debian's package:
``apt-get install -y dovecot-imapd``.
"""

from __future__ import annotations

import contextlib
import grp
import imaplib
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "dovecot is not installed: apt-get install dovecot-imapd"
USER = "service"
PASSWORD = "theepot-lekt-42"
# A second account whose password is not ASCII (IMAP LOGIN cannot send it; AUTHENTICATE can).
OTHER_USER = "winkel"
OTHER_PASSWORD = "thée-€-ëxtra"


def dovecot_binary() -> str | None:
    """The dovecot binary, also when /usr/sbin is not on a non-root user's PATH."""
    found = shutil.which("dovecot")
    if found is None and os.access("/usr/sbin/dovecot", os.X_OK):
        found = "/usr/sbin/dovecot"
    return found


@dataclass(frozen=True)
class TlsFiles:
    """A certificate for 127.0.0.1/localhost and its key; ``cert`` also serves as the CA file."""

    cert: Path
    key: Path


@dataclass(frozen=True)
class ImapServer:
    """Where the running test server listens and who may log in."""

    host: str
    port: int
    user: str
    password: str
    root: Path
    tls_port: int | None = None
    pid: int = 0  # the master process, leader of the server's process group

    def crash(self) -> None:
        """Kill the whole server at once, as a mail server that goes down mid-run."""
        os.killpg(self.pid, signal.SIGKILL)

    def connect(self, *, user: str | None = None, password: str | None = None) -> imaplib.IMAP4:
        """A logged-in plain connection, as a mail client (or the mail server) would use."""
        conn = imaplib.IMAP4(self.host, self.port, timeout=5)
        conn.login(user or self.user, password or self.password)
        return conn


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def make_certificate(folder: Path) -> TlsFiles | None:
    """A self-signed certificate for 127.0.0.1 and localhost (None without the openssl tool)."""
    openssl = shutil.which("openssl")
    if openssl is None:
        return None
    cert, key = folder / "server.crt", folder / "server.key"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
         "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1", "-keyout", str(key), "-out", str(cert),
         "-addext", "subjectAltName=IP:127.0.0.1,DNS:localhost"],
        check=True, capture_output=True, timeout=30,
    )  # fmt: skip
    return TlsFiles(cert=cert, key=key)


def _config(
    root: Path, port: int, *, tls: TlsFiles | None, tls_port: int | None, extra: str
) -> str:
    home_uid, home_gid = _mail_owner()
    if os.geteuid() == 0:
        # Root: the login and internal processes drop to the users Debian's package creates,
        # imap-login is chrooted as usual, and mail is read as an unprivileged user.
        users = "default_login_user = dovenull\ndefault_internal_user = dovecot\n"
        chroot = ""
    else:
        me = pwd.getpwuid(os.getuid()).pw_name
        group = _group_name(os.getgid())
        users = (
            f"default_login_user = {me}\ndefault_internal_user = {me}\n"
            f"default_internal_group = {group}\n"
        )
        chroot = "  chroot =\n"
    if tls is None:
        ssl = "ssl = no\n"
        imaps = "  inet_listener imaps {\n    port = 0\n  }\n"
    else:
        ssl = f"ssl = yes\nssl_cert = <{tls.cert}\nssl_key = <{tls.key}\n"
        imaps = (
            f"  inet_listener imaps {{\n    address = 127.0.0.1\n    port = {tls_port}\n"
            "    ssl = yes\n  }\n"
        )
    return f"""# reviewwacht test server; written by tests/scrapers/imap_server.py
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
{users}first_valid_uid = {min(home_uid, 500)}
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={home_uid} gid={home_gid} home={root}/home/%u
}}
service imap-login {{
{chroot}  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
{imaps}}}
service anvil {{
{chroot}}}
{extra}
"""


def _mail_owner() -> tuple[int, int]:
    """Who owns the mail: this user, or 'nobody' when running as root (dovecot refuses uid 0)."""
    if os.geteuid() != 0:
        return os.getuid(), os.getgid()
    try:
        nobody = pwd.getpwnam("nobody")
    except KeyError:
        return 65534, 65534
    return nobody.pw_uid, nobody.pw_gid


def _group_name(gid: int) -> str:
    try:
        return grp.getgrgid(gid).gr_name
    except KeyError:
        return str(gid)


def _wait_for_greeting(host: str, port: int, process: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped at start-up:\n{_tail(log)}")
        try:
            with socket.create_connection((host, port), timeout=1) as sock:
                if sock.recv(200).startswith(b"* OK"):
                    return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"dovecot did not greet on {host}:{port} within 10 s:\n{_tail(log)}")


def _tail(log: Path) -> str:
    return log.read_text(errors="replace")[-2000:] if log.exists() else "(no log)"


@contextlib.contextmanager
def dovecot_server(*, tls: bool = False, extra: str = "") -> Iterator[ImapServer]:
    """A running throwaway dovecot (``extra``: more config lines); stopped and removed after.

    With ``tls`` it also has an IMAPS port and offers STARTTLS, with a self-signed certificate
    for 127.0.0.1 (``root / "server.crt"``). Raises LookupError when dovecot (or, for ``tls``,
    openssl) is missing, so a fixture can skip.
    """
    binary = dovecot_binary()
    if binary is None:
        raise LookupError(INSTALL_HINT)
    root = Path(tempfile.mkdtemp(prefix="reviewwacht-dovecot-"))
    try:
        # dovecot's own users (auth, login) read the passwd file and sockets in here.
        root.chmod(0o755)
        tls_files = make_certificate(root) if tls else None
        if tls and tls_files is None:
            raise LookupError("openssl is not installed: apt-get install openssl")
        port = free_port()
        tls_port = free_port() if tls else None
        passwd = root / "passwd"
        passwd.write_text(
            f"{USER}:{{PLAIN}}{PASSWORD}::::::\n{OTHER_USER}:{{PLAIN}}{OTHER_PASSWORD}::::::\n",
            encoding="utf-8",
        )
        passwd.chmod(0o644)
        uid, gid = _mail_owner()
        for user in (USER, OTHER_USER):
            home = root / "home" / user
            home.mkdir(parents=True)
            os.chown(home, uid, gid)
        conf = root / "dovecot.conf"
        conf.write_text(
            _config(root, port, tls=tls_files, tls_port=tls_port, extra=extra), encoding="utf-8"
        )
        log = root / "dovecot.log"
        with (root / "stderr.log").open("wb") as stderr:
            process = subprocess.Popen(
                [binary, "-c", str(conf), "-F"],
                stdout=subprocess.DEVNULL,
                stderr=stderr,
                start_new_session=True,  # its own process group, stopped as one below
            )
        try:
            _wait_for_greeting("127.0.0.1", port, process, log)
            yield ImapServer(
                "127.0.0.1", port, USER, PASSWORD, root, tls_port=tls_port, pid=process.pid
            )
        finally:
            _stop(process)
    finally:
        shutil.rmtree(root, ignore_errors=True)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """Stop the server and all its children. SIGTERM to the whole process group usually ends it
    in milliseconds, but the master sometimes sleeps a second or more over its children; the
    test data is thrown away anyway, so after a short grace the group is killed."""
    for sig, grace in ((signal.SIGTERM, 0.3), (signal.SIGKILL, 10.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, sig)
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


# ---------------------------------------------------------------- filling and inspecting


def quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


def deliver(
    server: ImapServer, *messages: bytes, folder: str = "INBOX", seen: bool = False
) -> list[int]:
    """APPEND messages (CRLF line ends) to a folder, as the mail server's delivery would; returns
    their UIDs. ``seen`` marks them read, as a mail client that opened them first would."""
    uids = []
    conn = server.connect()
    try:
        for raw in messages:
            crlf = re.sub(rb"\r?\n", b"\r\n", raw)
            typ, data = conn.append(quoted(folder), "(\\Seen)" if seen else None, None, crlf)
            assert typ == "OK", data
            found = re.search(rb"APPENDUID \d+ (\d+)", data[-1] or b"")
            assert found, data
            uids.append(int(found.group(1)))
    finally:
        conn.logout()
    return uids


def flags(server: ImapServer, folder: str = "INBOX") -> dict[int, set[str]]:
    """UID -> flags of every message in a folder, read without changing anything."""
    conn = server.connect()
    try:
        typ, data = conn.select(quoted(folder), readonly=True)
        assert typ == "OK", data
        if int(data[0] or 0) == 0:
            return {}
        typ, data = conn.uid("FETCH", "1:*", "(FLAGS)")
        found: dict[int, set[str]] = {}
        for line in data:
            if not isinstance(line, bytes):
                continue
            match = re.search(rb"UID (\d+) FLAGS \(([^)]*)\)|FLAGS \(([^)]*)\) UID (\d+)", line)
            if match:
                uid = match.group(1) or match.group(4)
                names = match.group(2) if match.group(1) else match.group(3)
                found[int(uid)] = set(names.decode().split())
        return found
    finally:
        conn.logout()


def uid_validity(server: ImapServer, folder: str = "INBOX") -> int:
    conn = server.connect()
    try:
        typ, data = conn.status(quoted(folder), "(UIDVALIDITY)")
        assert typ == "OK", data
        found = re.search(rb"UIDVALIDITY (\d+)", data[0])
        assert found, data
        return int(found.group(1))
    finally:
        conn.logout()


def run_admin(server: ImapServer, *commands: tuple[str, str]) -> None:
    """Run folder commands (("CREATE", name), ("DELETE", name)) as the mail client would."""
    conn = server.connect()
    try:
        for command, folder in commands:
            typ, data = getattr(conn, command.lower())(quoted(folder))
            assert typ == "OK", (command, folder, data)
    finally:
        conn.logout()
