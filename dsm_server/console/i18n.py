"""The console's words in English and the panel's other languages (de, fr, es).

A missing translation falls back to English, so a new string never shows as a key.
"""

from __future__ import annotations

LANGUAGES = {"en": "English", "de": "Deutsch", "fr": "Français", "es": "Español"}

# key: (en, de, fr, es)
_TEXT: dict[str, tuple[str, str, str, str]] = {
    "title": ("Scan management", "Scanverwaltung", "Gestion de la numérisation", "Gestión de escaneo"),
    "skip": ("Skip to content", "Zum Inhalt springen", "Aller au contenu", "Ir al contenido"),
    "processes": ("Scan processes", "Scanprozesse", "Processus de numérisation", "Procesos de escaneo"),
    "devices": ("Devices", "Geräte", "Appareils", "Dispositivos"),
    "jobs": ("Jobs", "Aufträge", "Travaux", "Trabajos"),
    "health": ("Server health", "Serverzustand", "État du serveur", "Estado del servidor"),
    "sign_in": ("Sign in", "Anmelden", "Se connecter", "Iniciar sesión"),
    "sign_out": ("Sign out", "Abmelden", "Se déconnecter", "Cerrar sesión"),
    "user_name": ("User name", "Benutzername", "Nom d'utilisateur", "Nombre de usuario"),
    "password": ("Password", "Kennwort", "Mot de passe", "Contraseña"),
    "bad_sign_in": (
        "The user name or password is wrong.",
        "Benutzername oder Kennwort ist falsch.",
        "Le nom d'utilisateur ou le mot de passe est incorrect.",
        "El nombre de usuario o la contraseña no son correctos.",
    ),
    "not_admin": (
        "You are not a member of the scan administrators' group.",
        "Sie gehören nicht zur Gruppe der Scan-Administratoren.",
        "Vous n'êtes pas membre du groupe des administrateurs de numérisation.",
        "No es miembro del grupo de administradores de escaneo.",
    ),
    "expired": (
        "Your session ended after a time without use. Please sign in again.",
        "Ihre Sitzung wurde nach längerer Untätigkeit beendet. Bitte melden Sie sich erneut an.",
        "Votre session a expiré faute d'activité. Veuillez vous reconnecter.",
        "Su sesión terminó por inactividad. Inicie sesión de nuevo.",
    ),
    "csrf": (
        "The form was too old or not from this console. Please try again.",
        "Das Formular war veraltet oder stammt nicht von dieser Konsole. Bitte erneut versuchen.",
        "Le formulaire était périmé ou ne provient pas de cette console. Veuillez réessayer.",
        "El formulario era antiguo o no procede de esta consola. Inténtelo de nuevo.",
    ),
    "sign_in_locked": (
        "Too many failed sign-ins for this user name. Please try again in {minutes} min.",
        "Zu viele fehlgeschlagene Anmeldungen mit diesem Benutzernamen. Bitte in {minutes} Min. erneut versuchen.",
        "Trop d'échecs de connexion pour ce nom d'utilisateur. Réessayez dans {minutes} min.",
        "Demasiados intentos fallidos con este nombre de usuario. Inténtelo de nuevo dentro de {minutes} min.",
    ),
    "directory_down": (
        "The directory cannot be reached.",
        "Das Verzeichnis ist nicht erreichbar.",
        "L'annuaire est injoignable.",
        "No se puede acceder al directorio.",
    ),
    "new_process": ("New scan process", "Neuer Scanprozess", "Nouveau processus", "Nuevo proceso"),
    "name": ("Name", "Name", "Nom", "Nombre"),
    "identifier": ("Identifier", "Kennung", "Identifiant", "Identificador"),
    "readers": ("Who may use it", "Wer ihn nutzen darf", "Qui peut l'utiliser", "Quién puede usarlo"),
    "everyone": ("Every signed-in user", "Alle angemeldeten Benutzer", "Tout utilisateur connecté", "Todo usuario"),
    "nobody": ("Nobody", "Niemand", "Personne", "Nadie"),
    "state": ("State", "Zustand", "État", "Estado"),
    "usable": ("Usable", "Nutzbar", "Utilisable", "Utilizable"),
    "not_usable": ("Not usable", "Nicht nutzbar", "Inutilisable", "No utilizable"),
    "no_processes": ("No scan processes yet.", "Noch keine Scanprozesse.", "Aucun processus.", "Aún no hay procesos."),
    "edit": ("Edit", "Bearbeiten", "Modifier", "Editar"),
    "delete": ("Delete", "Löschen", "Supprimer", "Eliminar"),
    "save": ("Save", "Speichern", "Enregistrer", "Guardar"),
    "cancel": ("Cancel", "Abbrechen", "Annuler", "Cancelar"),
    "create": ("Create", "Anlegen", "Créer", "Crear"),
    "raw_xml": ("Document (XML)", "Dokument (XML)", "Document (XML)", "Documento (XML)"),
    "edit_xml": ("Edit the XML", "XML bearbeiten", "Modifier le XML", "Editar el XML"),
    "destination": ("Destination", "Ziel", "Destination", "Destino"),
    "ticket": ("Scan settings", "Scaneinstellungen", "Réglages de numérisation", "Ajustes de escaneo"),
    "repository": ("Scan server (host name)", "Scanserver (Hostname)", "Serveur (nom d'hôte)", "Servidor (nombre)"),
    "server_name": (
        "serverName (optional)",
        "serverName (optional)",
        "serverName (facultatif)",
        "serverName (opcional)",
    ),
    "document_name": ("Document name", "Dokumentname", "Nom du document", "Nombre del documento"),
    "format": ("File format", "Dateiformat", "Format de fichier", "Formato de archivo"),
    "source": ("Paper source", "Papierquelle", "Source du papier", "Origen del papel"),
    "color": ("Colour", "Farbe", "Couleur", "Color"),
    "resolution": ("Resolution (dpi)", "Auflösung (dpi)", "Résolution (ppp)", "Resolución (ppp)"),
    "size": ("Paper size", "Papierformat", "Format du papier", "Tamaño del papel"),
    "locked": ("Locked (MustHonor)", "Gesperrt (MustHonor)", "Verrouillé (MustHonor)", "Bloqueado (MustHonor)"),
    "any": ("User's choice", "Wahl des Benutzers", "Au choix", "A elección"),
    "shares": (
        "File shares, one per line (\\\\server\\share\\folder)",
        "Dateifreigaben, eine pro Zeile (\\\\server\\freigabe\\ordner)",
        "Partages, un par ligne (\\\\serveur\\partage\\dossier)",
        "Recursos compartidos, uno por línea (\\\\servidor\\recurso\\carpeta)",
    ),
    "emails": (
        "E-mail recipients, one per line",
        "E-Mail-Empfänger, einer pro Zeile",
        "Destinataires, un par ligne",
        "Destinatarios, uno por línea",
    ),
    "can_add": (
        "The user may add recipients at the device",
        "Der Benutzer darf am Gerät Empfänger hinzufügen",
        "L'utilisateur peut ajouter des destinataires",
        "El usuario puede añadir destinatarios",
    ),
    "to_user": (
        "Send to the scanning user's mailbox",
        "An das Postfach des Benutzers senden",
        "Envoyer à la boîte de l'utilisateur",
        "Enviar al buzón del usuario",
    ),
    "sharepoint": (
        "SharePoint sites, one per line",
        "SharePoint-Websites, eine pro Zeile",
        "Sites SharePoint, un par ligne",
        "Sitios de SharePoint, uno por línea",
    ),
    "drop_unknown": (
        "This process has settings the form cannot show; saving the form drops them:",
        "Dieser Prozess hat Einstellungen, die das Formular nicht zeigt; Speichern entfernt sie:",
        "Ce processus a des réglages que le formulaire n'affiche pas ; l'enregistrer les supprime :",
        "Este proceso tiene ajustes que el formulario no muestra; al guardar se eliminan:",
    ),
    "drop_ok": ("Drop them", "Entfernen", "Les supprimer", "Eliminarlos"),
    "grant": ("Give access", "Zugriff geben", "Donner l'accès", "Dar acceso"),
    "revoke": ("Remove access", "Zugriff entziehen", "Retirer l'accès", "Quitar acceso"),
    "search": ("Find users and groups", "Benutzer und Gruppen suchen", "Chercher", "Buscar usuarios y grupos"),
    "search_button": ("Search", "Suchen", "Chercher", "Buscar"),
    "open_to_all": ("Open to every user", "Für alle öffnen", "Ouvrir à tous", "Abrir a todos"),
    "confirm_delete": (
        "Delete this scan process? Kiosks will no longer list it.",
        "Diesen Scanprozess löschen? Kiosks zeigen ihn dann nicht mehr.",
        "Supprimer ce processus ? Les bornes ne l'afficheront plus.",
        "¿Eliminar este proceso? Los quioscos dejarán de mostrarlo.",
    ),
    "saved": ("Saved.", "Gespeichert.", "Enregistré.", "Guardado."),
    "deleted": ("Deleted.", "Gelöscht.", "Supprimé.", "Eliminado."),
    "created": ("Created", "Erstellt", "Créé", "Creado"),
    "user": ("User", "Benutzer", "Utilisateur", "Usuario"),
    "process": ("Process", "Prozess", "Processus", "Proceso"),
    "documents": ("Documents", "Dokumente", "Documents", "Documentos"),
    "reasons": ("Result", "Ergebnis", "Résultat", "Resultado"),
    "filter": ("Filter", "Filtern", "Filtrer", "Filtrar"),
    "all": ("All", "Alle", "Tous", "Todos"),
    "previous": ("Previous page", "Vorherige Seite", "Page précédente", "Página anterior"),
    "next": ("Next page", "Nächste Seite", "Page suivante", "Página siguiente"),
    "no_jobs": ("No jobs.", "Keine Aufträge.", "Aucun travail.", "No hay trabajos."),
    "no_devices": (
        "No devices found.",
        "Keine Geräte gefunden.",
        "Aucun appareil trouvé.",
        "No se encontraron dispositivos.",
    ),
    "address": ("Address", "Adresse", "Adresse", "Dirección"),
    "found_by": ("Found by", "Gefunden durch", "Trouvé par", "Encontrado por"),
    "check": ("Check", "Prüfung", "Vérification", "Comprobación"),
    "result": ("Result", "Ergebnis", "Résultat", "Resultado"),
    "ok": ("OK", "OK", "OK", "OK"),
    "problem": ("Problem", "Problem", "Problème", "Problema"),
    "language": ("Language", "Sprache", "Langue", "Idioma"),
    "recent_jobs": ("Recent jobs", "Letzte Aufträge", "Travaux récents", "Trabajos recientes"),
    "device": ("Device", "Gerät", "Appareil", "Dispositivo"),
    "template": ("Start from", "Vorlage", "Modèle", "Plantilla"),
    "use_template": ("Use", "Übernehmen", "Utiliser", "Usar"),
    "enrolled": (
        "Enrolled devices and their jobs",
        "Registrierte Geräte und ihre Aufträge",
        "Appareils inscrits et leurs travaux",
        "Dispositivos inscritos y sus trabajos",
    ),
    "last_job": ("Last job", "Letzter Auftrag", "Dernier travail", "Último trabajo"),
}

#: JobStateReason / FilterStateReason values in words.
_REASONS: dict[str, tuple[str, str, str, str]] = {
    "PostScanJobCompletedSuccessfully": ("Delivered", "Zugestellt", "Livré", "Entregado"),
    "PostScanJobCompletedWithErrors": (
        "Delivered with errors",
        "Mit Fehlern zugestellt",
        "Livré avec des erreurs",
        "Entregado con errores",
    ),
    "PostScanJobCompletedWithWarnings": (
        "Delivered with warnings",
        "Mit Warnungen zugestellt",
        "Livré avec avertissements",
        "Entregado con avisos",
    ),
    "PostScanJobProcessingFailed": ("Delivery failed", "Zustellung fehlgeschlagen", "Échec", "Falló la entrega"),
    "PostScanJobCanceled": ("Canceled", "Abgebrochen", "Annulé", "Cancelado"),
    "PostScanJobTimedOut": ("Timed out", "Zeitüberschreitung", "Délai dépassé", "Tiempo agotado"),
    "SendImageFailed": ("A document did not arrive", "Ein Dokument kam nicht an", "Document non reçu", "No llegó"),
    "SendImangeFailed": ("A document did not arrive", "Ein Dokument kam nicht an", "Document non reçu", "No llegó"),
    "CreatePostScanJobFailed": ("The job was refused", "Auftrag abgelehnt", "Travail refusé", "Trabajo rechazado"),
    "NoValidPostScanInstructionsFound": (
        "No valid instructions",
        "Keine gültigen Anweisungen",
        "Instructions invalides",
        "Instrucciones no válidas",
    ),
    "FileShareAccessDenied": (
        "The file share refused access",
        "Die Freigabe verweigerte den Zugriff",
        "Accès au partage refusé",
        "El recurso compartido denegó el acceso",
    ),
    "FileShareOutOfDiskSpace": ("The file share is full", "Die Freigabe ist voll", "Partage plein", "Recurso lleno"),
    "SharePointAccessDenied": (
        "SharePoint refused access",
        "SharePoint verweigerte",
        "SharePoint a refusé",
        "Denegado",
    ),
    "SharePointOutOfDiskSpace": ("SharePoint is full", "SharePoint ist voll", "SharePoint plein", "SharePoint lleno"),
    "InvalidSMTPServer": (
        "The mail server is not set up or not reachable",
        "Der Mailserver ist nicht eingerichtet oder nicht erreichbar",
        "Serveur de messagerie absent ou injoignable",
        "Servidor de correo no configurado o inaccesible",
    ),
    "UnableToSendEmail": (
        "The mail could not be sent",
        "Mail nicht gesendet",
        "Courriel non envoyé",
        "Correo no enviado",
    ),
    "OutOfDiskSpace": ("The server's disk is full", "Serverplatte voll", "Disque plein", "Disco lleno"),
    "ServerOutOfMemory": ("The server ran out of memory", "Kein Speicher", "Mémoire épuisée", "Sin memoria"),
    "InvalidArgs": ("The instructions were invalid", "Ungültige Anweisungen", "Instructions invalides", "No válidas"),
    "UnknownError": ("Unknown error", "Unbekannter Fehler", "Erreur inconnue", "Error desconocido"),
    "None": ("", "", "", ""),
}

_INDEX = {code: i for i, code in enumerate(LANGUAGES)}


def text(language: str, key: str) -> str:
    entry = _TEXT.get(key)
    if entry is None:
        return key
    return entry[_INDEX.get(language, 0)] or entry[0]


def reason(language: str, code: str) -> str:
    """A JobStateReason or FilterStateReason in words (the code itself when unknown)."""
    entry = _REASONS.get(code) or next((v for k, v in _REASONS.items() if k.lower() == code.lower()), None)
    if entry is None:
        return code
    return entry[_INDEX.get(language, 0)] or entry[0]


def pick(accept_language: str) -> str:
    """The first of our languages in an Accept-Language header."""
    for part in accept_language.split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return "en"
