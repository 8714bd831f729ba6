""""Download document" (G-18, G-19): the application as a PDF with every Kazakh letter."""
import io

from engine_support import (
    ISSUER_STAGE,
    PLACEMENT_STAGE,
    create_application,
    make_issuer,
    post_stage,
)
from pypdf import PdfReader

KAZAKH = "ӘҒҚҢӨҰҮҺІәғқңөұүһі"


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _fonts(pdf: bytes) -> set[str]:
    reader = PdfReader(io.BytesIO(pdf))
    names = set()
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if "/FontDescriptor" in font or "/DescendantFonts" in font:
                names.add(str(font["/BaseFont"]))
    return names


def test_pdf_in_the_users_language_with_kazakh_letters(db, client, auth):
    issuer = make_issuer(db)
    issuer.author.language = "kk"
    db.commit()
    _, url = create_application(client, auth, issuer)
    post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": f"Эмитент {KAZAKH}"}))
    post_stage(client, url, "placement", PLACEMENT_STAGE)
    r = client.get(f"{url}/document.pdf")
    assert r.status_code == 200
    assert r.headers["Content-Type"] == "application/pdf"
    assert r.headers["Content-Disposition"].startswith("attachment")
    text = _text(r.data)
    assert KAZAKH in text.replace(" ", "")
    assert "Облигациялар орналастыру қорытындылары туралы ЕСЕП" in text  # the title, in Kazakh
    assert "Эмитенттің атауы" in text
    assert any("PTSans" in name or "PT_Sans" in name or "PTSans" in name.replace("-", "") for name in _fonts(r.data)), _fonts(r.data)


def test_pdf_escapes_hostile_text(db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    hostile = '<img src="http://127.0.0.1:9/x.png"><font color="[[[getattr(pow, Word(\'__globals__\'))]]]">x</font>'
    post_stage(client, url, "issuer", dict(ISSUER_STAGE, **{"f.name": hostile}), action="save")
    r = client.get(f"{url}/document.pdf")
    assert r.status_code == 200
    assert "<img" in _text(r.data)  # printed as text, never interpreted


def test_a_render_that_takes_too_long_is_cut_off(app, db, client, auth):
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    app.config["PDF_TIMEOUT"] = 0.01
    r = client.get(f"{url}/document.pdf")
    assert r.status_code == 503
    assert b"nothing was lost" in r.data


def test_the_renderer_fetches_nothing_and_reads_no_other_file():
    import socket
    import subprocess
    import sys
    from pathlib import Path

    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    html = (f'<html><body><p>x</p><img src="http://127.0.0.1:{port}/ssrf.png">'
            f'<img src="file:///etc/passwd"><link rel="stylesheet" href="http://127.0.0.1:{port}/x.css">'
            '</body></html>')
    done = subprocess.run([sys.executable, "-m", "portal.infra.pdf_worker"], input=html.encode(),
                          capture_output=True, cwd=Path(__file__).resolve().parents[1], timeout=60)
    assert done.returncode == 0 and done.stdout.startswith(b"%PDF-")
    try:
        listener.accept()
        contacted = True
    except socket.timeout:
        contacted = False
    listener.close()
    assert not contacted
    assert "root:" not in _text(done.stdout)


def test_one_pdf_at_a_time_per_user_with_a_clear_answer(app, db, client, auth):
    from portal.infra.pdf import render_slot
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    with app.app_context(), render_slot(issuer.author.id):  # the first one still renders
        r = client.get(f"{url}/document.pdf")
        assert r.status_code == 429
        assert r.headers["Retry-After"]
        assert b"Your document is being prepared. Try again in a few seconds." in r.data
        with render_slot(issuer.head.id):  # someone else is not held up by it
            pass
    assert client.get(f"{url}/document.pdf").status_code == 200


def test_renders_at_once_on_the_machine_are_bounded(app, db, client, auth):
    from contextlib import ExitStack

    from portal.infra.pdf import render_slot
    issuer = make_issuer(db)
    _, url = create_application(client, auth, issuer)
    with app.app_context(), ExitStack() as stack:
        for n in range(app.config["PDF_PARALLEL"]):
            stack.enter_context(render_slot(10_000 + n))  # other users' renders
        assert client.get(f"{url}/document.pdf").status_code == 429
    assert client.get(f"{url}/document.pdf").status_code == 200
