"""Welcome / sign-in: user name and password on the touch keyboard, or a badge; the language
for this visit (back to the kiosk's default at sign-out or when left alone)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLineEdit

from ui.i18n import LANGUAGES
from ui.keyboard import TouchKeyboard
from ui.screens.base import Screen, button, header, label, set_text

#: Each language's name in itself: a user who cannot read the current one still finds theirs.
LANGUAGE_NAMES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}


class SignInScreen(Screen):
    def __init__(self, panel) -> None:
        super().__init__(panel)
        self.title = label("title")
        self.languages = {}
        for language in LANGUAGES:
            choice = button()
            choice.setCheckable(True)
            choice.clicked.connect(lambda _=False, lang=language: self.panel.choose_language(lang))
            self.languages[language] = choice
        self.service = button()
        self.root.addLayout(header(self.title, *self.languages.values(), self.service))
        row = QHBoxLayout()
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.sign_in = button("primary")
        self.not_me = button()
        self.not_me.hide()
        for widget in (self.username, self.password):
            row.addWidget(widget, 3)
        row.addWidget(self.not_me)
        row.addWidget(self.sign_in, 2)
        self.root.addLayout(row)
        self.message = label("muted")
        self.root.addWidget(self.message)
        self.keyboard = TouchKeyboard()
        self.keyboard.set_target(self.username)
        self.root.addWidget(self.keyboard, 1)

        self.sign_in.clicked.connect(self.submit)
        self.keyboard.enter.connect(self._enter)
        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self.submit)
        self.service.clicked.connect(panel.open_service)
        self.not_me.clicked.connect(self.clear)
        for field in (self.username, self.password):
            field.textChanged.connect(self._typed)
        self._error: str | None = None
        self._note: str | None = None
        self._badge_login = ""
        self.retranslate()

    def _typed(self, text: str) -> None:
        if text:
            self.panel.watch_idle()  # a half-typed sign-in does not stay on screen for the next person

    def retranslate(self) -> None:
        set_text(self.title, self.tr("Sign in to scan"))
        current = self.panel.translations.current
        for language, choice in self.languages.items():
            set_text(choice, language.upper(), LANGUAGE_NAMES[language])
            choice.setChecked(language == current)
        set_text(self.not_me, self.tr("Not you?"))
        set_text(self.service, self.tr("Service"), self.tr("Service (administrator)"))
        set_text(self.sign_in, self.tr("Sign in"))
        self.username.setPlaceholderText(self.tr("User name"))
        self.username.setAccessibleName(self.tr("User name"))
        self.password.setPlaceholderText(self.tr("Password"))
        self.password.setAccessibleName(self.tr("Password"))
        self._show_message()

    def _show_message(self) -> None:
        self.message.setObjectName("error" if self._error else "muted")
        self.message.style().unpolish(self.message)
        self.message.style().polish(self.message)
        if self._error:
            text = self._error
        elif self._note == "badge":
            text = self.tr("Badge read for %1: enter your password.").replace("%1", self._badge_login)
        elif self._note == "busy":
            text = self.tr("Signing in…")
        else:
            text = self.tr("Touch a field to type, or hold your badge to the reader.")
        set_text(self.message, text)

    def show_error(self, text: str | None) -> None:
        self._error = text
        self._show_message()

    def set_busy(self, busy: bool) -> None:
        self.sign_in.setEnabled(not busy)
        if busy:
            self._error, self._note = None, "busy"
            self._show_message()
        elif self._note == "busy":
            self._note = None

    def _enter(self) -> None:
        if self.keyboard.target() is self.username and not self.password.text():
            self.password.setFocus()
            self.keyboard.set_target(self.password)
        else:
            self.submit()

    def submit(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.show_error(self.tr("Enter your user name and your password."))
            return
        # The password leaves the widget at once; the panel hands it to the directory and forgets it.
        self.password.clear()
        self.panel.sign_in(username, password)

    def badge_recognised(self, login: str) -> None:
        """The badge named the user; their password is still needed to bind as them."""
        self.set_busy(False)
        self.username.setText(login)
        self.username.setReadOnly(True)
        self.not_me.show()  # the way out of a badge that is not theirs
        self.password.clear()
        self.password.setFocus()
        self.keyboard.set_target(self.password)
        self._error, self._note, self._badge_login = None, "badge", login
        self._show_message()

    def take_back_badge_text(self) -> None:
        """A badge reader typed into a field before its Enter told us it was a badge."""
        self.username.setReadOnly(False)
        self.not_me.hide()
        self.username.clear()
        self.password.clear()

    def clear(self) -> None:
        self.username.setReadOnly(False)
        self.not_me.hide()
        self.username.clear()
        self.password.clear()
        self._error, self._note, self._badge_login = None, None, ""
        self.set_busy(False)
        self._show_message()
        self.username.setFocus()
        self.keyboard.set_target(self.username)
