"""`with_spanish`: a translated message naming Spanish data is plain text
(for the API, logs), and a template shows the data marked lang="es" on a
page in another language, escaped once; on a Spanish page, no mark."""

from __future__ import annotations

from django.template import Context, Template
from django.utils import translation

from mac.core.language import with_spanish

SHOW = Template("<p>{{ message }}</p>")


def shown(message: str) -> str:
    return SHOW.render(Context({"message": message}))


class TestWithSpanish:
    def test_it_marks_the_data_on_a_page_in_another_language(self) -> None:
        with translation.override("qu"):
            message = with_spanish(
                "«%(service)s» mana kanchu %(center)s-pi <%(n)s>.",
                {"service": "Duplicado <DNI> & copia", "center": "Centro MAC Lima Norte"},
                n="1 & 2",
            )

        assert message == (
            "«Duplicado <DNI> & copia» mana kanchu Centro MAC Lima Norte-pi <1 & 2>."
        )
        assert shown(message) == (
            '<p>«<span lang="es">Duplicado &lt;DNI&gt; &amp; copia</span>» mana kanchu'
            ' <span lang="es">Centro MAC Lima Norte</span>-pi &lt;1 &amp; 2&gt;.</p>'
        )

    def test_it_leaves_a_spanish_page_plain(self) -> None:
        with translation.override("es"):
            message = with_spanish("«%(service)s» no se ofrece.", {"service": "DNI <1> & 2"})

        assert type(message) is str
        assert shown(message) == "<p>«DNI &lt;1&gt; &amp; 2» no se ofrece.</p>"

    def test_the_text_is_plain_wherever_it_goes(self) -> None:
        with translation.override("qu"):
            message = with_spanish("%(center)s wisq'asqam.", {"center": "Centro MAC & Co"})

        assert str(message) == "Centro MAC & Co wisq'asqam."
        assert f"{message}!" == "Centro MAC & Co wisq'asqam.!"
        assert shown(str(message)) == "<p>Centro MAC &amp; Co wisq&#x27;asqam.</p>"
