"""A real IMAP server for the tests: Debian's dovecot (package dovecot-imapd), started on a
free loopback port with its own configuration in a temporary folder, as an unprivileged
process (as root, the tests drop to nobody), with one user and a maildir; no TLS.
"""

import contextlib
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER = "bounces"
PASSWORD = "bounce-secret"

CONFIG = """\
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
first_valid_uid = 1
first_valid_gid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/users
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/home/%u
}}
mail_location = maildir:~/Maildir
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service stats {{
  unix_listener stats-reader {{
    mode = 0600
  }}
  unix_listener stats-writer {{
    mode = 0600
  }}
}}
"""


@dataclass
class ImapServer:
    host: str
    port: int
    user: str
    password: str
    root: Path

    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _runs_as() -> pwd.struct_passwd:
    """Who dovecot runs as: the tests' user, or nobody when the tests run as root."""
    me = pwd.getpwuid(os.getuid())
    return pwd.getpwnam("nobody") if me.pw_uid == 0 else me


def _wait_for(port: int, process: subprocess.Popen, server: ImapServer) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"dovecot stopped at once:\n{server.log()}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.05)
    raise RuntimeError(f"dovecot did not listen on {port}:\n{server.log()}")


@contextlib.contextmanager
def dovecot_running():
    if not Path(DOVECOT).exists():
        raise RuntimeError("dovecot is missing: apt-get install dovecot-imapd (make test-tools)")
    account = _runs_as()
    root = Path(tempfile.mkdtemp(prefix="dovecot-"))
    root.chmod(0o755)
    for folder in ("run", "state", "home"):
        (root / folder).mkdir()
    (root / "users").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
    port = _free_port()
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            user=account.pw_name,
            group=account.pw_name if account.pw_name != "nobody" else "nogroup",
            uid=account.pw_uid,
            gid=account.pw_gid,
        )
    )
    for path in [root, *root.rglob("*")]:
        os.chown(path, account.pw_uid, account.pw_gid)
    server = ImapServer("127.0.0.1", port, USER, PASSWORD, root)
    drop = {"user": account.pw_uid, "group": account.pw_gid} if os.getuid() == 0 else {}
    process = subprocess.Popen(  # noqa: S603 - a fixed program with our own config
        [DOVECOT, "-F", "-c", str(config)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        **drop,
    )
    try:
        _wait_for(port, process, server)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(root, ignore_errors=True)
