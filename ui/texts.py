"""Words for ticket values, shared by the process tiles and the settings screen."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication

from kiosk.psp.model import EmailConfig, FileShareConfig, ScanProcess, SharePointConfig


def source(value: str) -> str:
    return {
        "Platen": QCoreApplication.translate("Texts", "Glass"),
        "ADF": QCoreApplication.translate("Texts", "Feeder"),
        "ADFDuplex": QCoreApplication.translate("Texts", "Feeder, both sides"),
        "Film": QCoreApplication.translate("Texts", "Film"),
    }.get(value, value)


def colour(value: str) -> str:
    return {
        "BlackAndWhite1": QCoreApplication.translate("Texts", "Black and white"),
        # Depths beyond the usual 8 bits per channel are named, so two choices never read alike.
        "Grayscale4": QCoreApplication.translate("Texts", "Grey, 4-bit"),
        "Grayscale8": QCoreApplication.translate("Texts", "Grey"),
        "Grayscale16": QCoreApplication.translate("Texts", "Grey, 16-bit"),
        "RGB24": QCoreApplication.translate("Texts", "Colour"),
        "RGB48": QCoreApplication.translate("Texts", "Colour, 48-bit"),
        "RGBa32": QCoreApplication.translate("Texts", "Colour with transparency"),
        "RGBa64": QCoreApplication.translate("Texts", "Colour with transparency, 64-bit"),
    }.get(value, value)


def resolution(dpi: int) -> str:
    return QCoreApplication.translate("Texts", "%1 dpi").replace("%1", str(dpi))


def file_format(value: str) -> str:
    # Every format the encoder writes is offered, so no two may read alike.
    return {
        "pdf-a": "PDF/A",
        "pdf": "PDF",
        "tiff-single-g4": QCoreApplication.translate("Texts", "TIFF per page"),
        "tiff-multi-g4": "TIFF",
        "tiff-single-uncompressed": QCoreApplication.translate("Texts", "TIFF per page, uncompressed"),
        "tiff-multi-uncompressed": QCoreApplication.translate("Texts", "TIFF, uncompressed"),
        "tiff-multi-jpeg-tn2": "TIFF/JPEG",
        "jfif": "JPEG",
        "png": "PNG",
        "xps": "XPS",
        "dib": "BMP",
        "exif": "JPEG",
    }.get(value, value)


def destinations(process: ScanProcess) -> list[str]:
    where: list[str] = []
    for flt in process.instructions.filters:
        config = flt.config
        if isinstance(config, FileShareConfig):
            # A word joiner after each backslash: a path wraps at its folders, never inside "\\".
            where.extend(unc.replace("\\", "\\\u2060") for unc in config.share_uncs)
        elif isinstance(config, EmailConfig):
            if config.send_to_scan_user:
                where.append(QCoreApplication.translate("Texts", "your e-mail"))
            where.extend(a.address for a in config.addresses)
        elif isinstance(config, SharePointConfig):
            if config.save_to_my_site:
                where.append(QCoreApplication.translate("Texts", "your SharePoint site"))
            where.extend(config.site_urls)
    return where


def summary(process: ScanProcess) -> str:
    """One line: source · colour · resolution · format → destinations."""
    ticket = process.ticket
    parts = []
    if ticket.input_source:
        parts.append(source(ticket.input_source.value))
    side = ticket.media_front
    if side and side.color_processing:
        parts.append(colour(side.color_processing.value))
    if side and side.resolution:
        parts.append(resolution(side.resolution.value.width))
    if ticket.format:
        parts.append(file_format(ticket.format.value))
    line = " · ".join(parts)
    where = destinations(process)
    return f"{line} → {', '.join(where)}" if where else line
