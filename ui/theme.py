"""Look of the panel: two palettes (normal, high contrast) and one style sheet whose sizes follow
the screen, so a 7" 800x480 and a 10" 1280x800 panel both get finger-sized targets."""

from __future__ import annotations

from dataclasses import dataclass

#: About 9 mm on a 7" 800x480 panel: the smallest thing a finger should have to hit.
MIN_TOUCH_PX = 48
#: The layout is designed for this size; larger screens scale text and targets up.
DESIGN_SIZE = (800, 480)


@dataclass(frozen=True)
class Palette:
    window: str
    text: str
    muted: str
    button: str
    button_text: str
    accent: str
    accent_text: str
    danger: str
    ok: str
    border: str
    focus: str
    #: Text on the danger and ok colours (the failed/delivered cue, Cancel, Delete).
    danger_text: str = "#ffffff"
    ok_text: str = "#ffffff"
    #: Background of a disabled button: it must look different from an enabled one.
    disabled: str = "#e4e8ec"


NORMAL = Palette(
    window="#f4f6f8",
    text="#1b1f23",
    muted="#57606a",
    button="#ffffff",
    button_text="#1b1f23",
    accent="#0b5cad",
    accent_text="#ffffff",
    danger="#b42318",
    ok="#1a7f37",
    # Control borders need 3:1 against the window (WCAG 1.4.11).
    border="#6e7781",
    focus="#0b5cad",
)
# WCAG AAA contrast (text 7:1 or more): white and yellow on black, light red and green with black
# text, thick borders.
HIGH_CONTRAST = Palette(
    window="#000000",
    text="#ffffff",
    muted="#ffffff",
    button="#000000",
    button_text="#ffffff",
    accent="#ffff00",
    accent_text="#000000",
    danger="#ffa3a3",
    ok="#5dff5d",
    border="#ffffff",
    focus="#ffff00",
    danger_text="#000000",
    ok_text="#000000",
    disabled="#000000",
)


def scale_for(width: int, height: int) -> float:
    """How much bigger than the design size this screen is (never smaller than 1)."""
    return max(1.0, min(width / DESIGN_SIZE[0], height / DESIGN_SIZE[1]))


@dataclass(frozen=True)
class Theme:
    palette: Palette
    scale: float

    @property
    def touch(self) -> int:
        return round(MIN_TOUCH_PX * self.scale)

    def px(self, base: float) -> int:
        return round(base * self.scale)

    def style_sheet(self) -> str:
        p, s = self.palette, self.px
        border = 3 if p is HIGH_CONTRAST else 1
        return f"""
        QWidget {{ background: {p.window}; color: {p.text}; font-size: {s(17)}px; }}
        QLabel#title {{ font-size: {s(24)}px; font-weight: bold; }}
        QLabel#muted {{ color: {p.muted}; }}
        QLabel#error {{ color: {p.danger}; font-weight: bold; }}
        QLabel#big {{ font-size: {s(32)}px; font-weight: bold; }}
        QLabel#strong {{ font-weight: bold; }}
        QLabel#symbol {{ font-size: {s(56)}px; color: {p.danger}; }}
        QPushButton, QToolButton {{
            background: {p.button}; color: {p.button_text}; border: {border}px solid {p.border};
            border-radius: {s(6)}px; min-height: {self.touch}px; padding: 0 {s(12)}px;
        }}
        QPushButton#key {{ min-width: {self.touch - 2 * border}px; }}  /* the content box: 48 px with the border */
        QFrame#variants {{ background: {p.window}; border: {border + 1}px solid {p.focus}; }}
        QPushButton:checked {{ background: {p.accent}; color: {p.accent_text}; }}
        QPushButton#primary {{ background: {p.accent}; color: {p.accent_text}; font-weight: bold; }}
        QPushButton#danger {{ background: {p.danger}; color: {p.danger_text}; font-weight: bold; }}
        QPushButton:disabled, QPushButton#primary:disabled, QPushButton#danger:disabled {{
            background: {p.disabled}; color: {p.muted}; border-style: dashed; font-weight: normal;
        }}
        QPushButton#tile {{ text-align: left; padding: {s(8)}px {s(12)}px; min-height: {s(72)}px; }}
        QPushButton#tile QLabel {{ background: transparent; }}
        QPushButton#tile QLabel#title {{ font-size: {s(20)}px; }}
        QPushButton#key {{ padding: 0; font-size: {s(19)}px; }}
        QLineEdit {{
            background: {p.button}; color: {p.text}; border: {border + 1}px solid {p.border};
            border-radius: {s(6)}px; min-height: {self.touch}px; padding: 0 {s(8)}px;
        }}
        QLineEdit:focus {{ border: {border + 2}px solid {p.focus}; }}
        QLineEdit {{ placeholder-text-color: {p.muted}; }}
        QListWidget {{ border: {border}px solid {p.border}; }}
        QListWidget::item {{ min-height: {self.touch}px; }}
        QListWidget::item:selected {{ background: {p.accent}; color: {p.accent_text}; }}
        QScrollBar:vertical {{ width: {s(20)}px; }}
        QScrollBar:horizontal {{ height: {s(20)}px; }}
        QProgressBar {{ border: {border}px solid {p.border}; border-radius: {s(4)}px; background: {p.button}; }}
        QProgressBar::chunk {{ background: {p.accent}; }}
        QFrame#banner {{ background: {p.accent}; }}
        QFrame#banner QLabel {{ background: {p.accent}; color: {p.accent_text}; font-weight: bold; }}
        QFrame#cue_ok {{ background: {p.ok}; }}
        QFrame#cue_failed {{ background: {p.danger}; }}
        QFrame#cue_info {{ background: {p.accent}; }}
        QFrame#cue_info QLabel {{ background: transparent; color: {p.accent_text}; font-weight: bold; }}
        QFrame#question {{ background: {p.window}; border: {border}px solid {p.border}; }}
        QFrame#cue_ok QLabel {{ background: transparent; color: {p.ok_text}; font-weight: bold; }}
        QFrame#cue_failed QLabel {{ background: transparent; color: {p.danger_text}; font-weight: bold; }}
        """


def theme_for(width: int, height: int, *, high_contrast: bool) -> Theme:
    return Theme(HIGH_CONTRAST if high_contrast else NORMAL, scale_for(width, height))
