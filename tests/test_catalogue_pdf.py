"""The PDF of PR-01's prospectus carries item 3's disclaimer verbatim, in Kazakh and in Russian."""
import io
import re
from pathlib import Path

import pytest
from conftest import make_org, make_user
from pypdf import PdfReader

SEED = Path(__file__).resolve().parents[2] / "shared" / "seeds" / "003_c21e426c002cf214.txt"
# the seed's own lines (RU L641, KZ L115), as quoted there
RUSSIAN = ("Государственная регистрация проспекта выпуска облигаций (облигационной программы) "
           "уполномоченным органом не означает предоставление каких-либо рекомендаций инвесторам "
           "относительно приобретения облигаций, описанных в проспекте выпуска, и уполномоченный орган "
           "не несет ответственность за содержание данного документа")
KAZAKH = ("Уәкілетті органның облигациялар шығарылымының (облигациялық бағдарламаның) проспектісін "
          "мемлекеттік тіркеуі шығарылым проспектісінде жазылған облигацияларды сатып алуға қатысты "
          "инвесторларға қандай да болмасын ұсыныстамалар беруді білдірмейді және уәкілетті орган осы "
          "құжаттың мазмұны үшін жауап бермейді.")


@pytest.fixture
def catalogue_dir():
    return str(Path(__file__).resolve().parents[1] / "portal" / "procedures")


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_quoted_texts_are_the_seeds(tmp_path):
    if not SEED.exists():
        pytest.skip("the seeds are beside the project only in a full checkout")
    lines = SEED.read_text(encoding="utf-8").splitlines()
    assert RUSSIAN in lines[640] and KAZAKH in lines[114]


@pytest.mark.parametrize("lang,text", [("kk", KAZAKH), ("ru", RUSSIAN)])
def test_prospectus_pdf_contains_the_disclaimer(lang, text, db, client, auth):
    org = make_org(db, roles=["initiator"])
    author = make_user(db, org, language=lang)
    auth.login(author.email)
    r = client.post("/listing/bond-issue-registration/new", data={"company": org.id})
    url = r.headers["Location"].split("?")[0]
    pdf = client.get(f"{url}/document.pdf")
    assert pdf.status_code == 200
    extracted = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.data)).pages)
    assert squeeze(text) in squeeze(extracted)
