"""The audible half of the delivered/failed cue. QtMultimedia is not in PySide6-Essentials, so a
short WAV goes to ALSA's `aplay` (alsa-utils); without it, the platform's bell."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

from PySide6.QtWidgets import QApplication

log = logging.getLogger(__name__)

SOUNDS = Path(__file__).resolve().parent / "sounds"


def play(delivered: bool) -> None:
    """Start the cue and return at once (the sound plays on in its own process)."""
    sound = SOUNDS / ("delivered.wav" if delivered else "failed.wav")
    player = shutil.which("aplay")
    if player is None:
        QApplication.beep()
        return
    try:
        subprocess.Popen(
            [player, "-q", str(sound)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
    except OSError as exc:
        log.warning("cannot play the cue with %s: %s", player, exc)
        QApplication.beep()
