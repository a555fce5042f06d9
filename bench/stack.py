"""Run the production topology locally without Docker: gunicorn + nginx from Debian.

The nginx config is the repository's own `deploy/nginx.conf`, with its
placeholders filled for local ports and paths, wrapped in a minimal main config.
"""

import os
import re
import shutil
import signal
import subprocess
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
MIME_TYPES = "/etc/nginx/mime.types"


def render_site_config(**values):
    """deploy/nginx.conf with its ${NAME} placeholders replaced; unknown names are an error."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()

    def fill(match):
        return str(values[match.group(1)])

    return re.sub(r"\$\{([A-Z_]+)\}", fill, text)


def write_local_nginx(workdir, *, port, upstream, static_root, media_root, extra_server=""):
    """A self-contained nginx config under `workdir` (runs as the current user); return its path."""
    workdir = Path(workdir)
    for sub in ("cache", "tmp", "logs"):
        (workdir / sub).mkdir(parents=True, exist_ok=True)
    proxy_params = workdir / "proxy_params.conf"
    shutil.copy(ROOT / "deploy" / "proxy_params.conf", proxy_params)
    site = render_site_config(
        NGINX_CACHE_PATH=workdir / "cache",
        APP_UPSTREAM=upstream,
        NGINX_PORT=f"127.0.0.1:{port}",
        STATIC_ROOT=static_root,
        MEDIA_ROOT=media_root,
        NGINX_PROXY_PARAMS=proxy_params,
    )
    mime = f"include {MIME_TYPES};" if Path(MIME_TYPES).exists() else ""
    config = workdir / "nginx.conf"
    # Started by root, nginx workers would run as nobody and could not use the private work dir.
    user = "user root;" if os.geteuid() == 0 else ""
    config.write_text(
        f"""daemon off;
{user}
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/logs/error.log warn;
events {{ worker_connections 1024; }}
http {{
    {mime}
    default_type application/octet-stream;
    access_log off;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 10000;
    client_body_temp_path {workdir}/tmp/body;
    proxy_temp_path {workdir}/tmp/proxy;
    fastcgi_temp_path {workdir}/tmp/fastcgi;
    uwsgi_temp_path {workdir}/tmp/uwsgi;
    scgi_temp_path {workdir}/tmp/scgi;
{site}
{extra_server}
}}
"""
    )
    return config


def nginx_test(config):
    return subprocess.run(
        [NGINX, "-t", "-c", str(config), "-p", str(config.parent)], capture_output=True, text=True
    )


def start_nginx(config):
    process = subprocess.Popen(
        [NGINX, "-c", str(config), "-p", str(config.parent)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    return process


def start_gunicorn(*, port, workers, env, log=subprocess.PIPE):
    """gunicorn with the repository's config; its error log goes to `log` (a pipe unless given a file)."""
    process = subprocess.Popen(
        [
            str(Path(os.sys.executable).parent / "gunicorn"),
            "-c",
            str(ROOT / "deploy" / "gunicorn.conf.py"),
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=log,
        start_new_session=True,
    )
    return process


def wait_for(url, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:  # noqa: S310 - local URL
                return response.status
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"{url} did not answer in {timeout} s")


def stop(process):
    if process and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
