""""Download document" (G-18, G-19): the application as a PDF with every Kazakh letter."""
import io

from pypdf import PdfReader

from engine_support import ISSUER_STAGE, PLACEMENT_STAGE, create_application, make_issuer, post_stage

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
