"""The page canvas shared by the receipt and the report: "Seite n von m" needs the page count, so every page is
kept until the end and decorated then."""

from __future__ import annotations

from functools import cache


@cache
def numbered_canvas():
    """A reportlab Canvas class whose subclasses draw header and footer in decorate(number, total)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.pdfgen.canvas import Canvas

    class NumberedCanvas(Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            for number, state in enumerate(self._pages, start=1):
                self.__dict__.update(state)
                self.decorate(number, len(self._pages))
                super().showPage()
            super().save()

        def decorate(self, number: int, total: int) -> None:
            """Header and footer of one page, drawn by the receipt's and the report's canvas; none here."""

        @staticmethod
        def fit(text: str, font: str, size: float, room: float) -> str:
            """Shortened with "…" until it fits the room."""
            while text and stringWidth(text, font, size) > room:
                text = text[:-2] + "…"
            return text

    return NumberedCanvas
