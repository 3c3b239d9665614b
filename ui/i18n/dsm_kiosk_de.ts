<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>DeliveryScreen</name>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Ihre Dokumente bleiben auf diesem Gerät und werden gesendet, sobald der Server antwortet. Sie können jetzt gehen.</translation>
    </message>
    <message>
        <source>The scanned pages are kept: resend or delete the job in My jobs.</source>
        <translation>Die gescannten Seiten bleiben erhalten: Senden Sie den Auftrag unter Meine Aufträge erneut oder löschen Sie ihn.</translation>
    </message>
    <message>
        <source>You can leave now: your documents are sent even after you sign out.</source>
        <translation>Sie können jetzt gehen: Ihre Dokumente werden auch nach der Abmeldung gesendet.</translation>
    </message>
    <message>
        <source>Scan something else</source>
        <translation>Weiteres scannen</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Meine Aufträge</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>Scanning</source>
        <translation>Wird gescannt</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>Wartet auf Versand</translation>
    </message>
    <message>
        <source>Sending %1 of %2</source>
        <translation>Sende %1 von %2</translation>
    </message>
    <message>
        <source>Processing on the scan server</source>
        <translation>Wird auf dem Scanserver verarbeitet</translation>
    </message>
    <message>
        <source>Scan server not reachable: kept, will retry</source>
        <extracomment>Job states (kiosk.jobs.spool) that end a job, and which of them is a success.</extracomment>
        <translation>Scanserver nicht erreichbar: gespeichert, neuer Versuch folgt</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Zugestellt</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
</context>
<context>
    <name>JobsScreen</name>
    <message>
        <source>My jobs</source>
        <translation>Meine Aufträge</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Erneut senden</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Löschen</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Wird geladen…</translation>
    </message>
    <message>
        <source>You have no recent jobs.</source>
        <translation>Sie haben keine aktuellen Aufträge.</translation>
    </message>
    <message>
        <source>Touch a failed job to resend or delete it.</source>
        <translation>Tippen Sie auf einen fehlgeschlagenen Auftrag, um ihn erneut zu senden oder zu löschen.</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 Seiten</translation>
    </message>
</context>
<context>
    <name>PanelWindow</name>
    <message>
        <source>Signing out in %1 s. Touch the screen to stay.</source>
        <translation>Abmeldung in %1 s. Tippen Sie auf den Bildschirm, um angemeldet zu bleiben.</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Zugestellt: %1</translation>
    </message>
    <message>
        <source>Delivery failed: %1. See My jobs.</source>
        <translation>Zustellung fehlgeschlagen: %1. Siehe Meine Aufträge.</translation>
    </message>
</context>
<context>
    <name>PrepareScreen</name>
    <message>
        <source>Put the page face down on the glass.</source>
        <translation>Legen Sie die Seite mit der Vorderseite nach unten auf das Glas.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Legen Sie die Seiten mit der Vorderseite nach oben in den Einzug.</translation>
    </message>
    <message>
        <source>The feeder has paper.</source>
        <translation>Im Einzug liegt Papier.</translation>
    </message>
    <message>
        <source>The feeder is empty.</source>
        <translation>Der Einzug ist leer.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Scannen</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Papier aus</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Auflösung</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>Dateityp</translation>
    </message>
    <message>
        <source>Add e-mail recipient</source>
        <translation>E-Mail-Empfänger hinzufügen</translation>
    </message>
    <message>
        <source>Also to: %1</source>
        <translation>Auch an: %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Hinzufügen</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>name@example.com</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>E-Mail-Adresse</translation>
    </message>
    <message>
        <source>That is not an e-mail address. Check it and try again.</source>
        <translation>Das ist keine E-Mail-Adresse. Bitte prüfen und erneut versuchen.</translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation>Hinzugefügt: %1</translation>
    </message>
    <message>
        <source>Type an address and touch Add.</source>
        <translation>Geben Sie eine Adresse ein und tippen Sie auf Hinzufügen.</translation>
    </message>
</context>
<context>
    <name>ProblemScreen</name>
    <message>
        <source>Paper jam</source>
        <extracomment>The problem kinds, each with its own title and advice.</extracomment>
        <translation>Papierstau</translation>
    </message>
    <message>
        <source>The feeder is empty</source>
        <translation>Der Einzug ist leer</translation>
    </message>
    <message>
        <source>The cover is open</source>
        <translation>Die Abdeckung ist offen</translation>
    </message>
    <message>
        <source>The scanner is busy</source>
        <translation>Der Scanner ist belegt</translation>
    </message>
    <message>
        <source>The scanner is not available</source>
        <translation>Der Scanner ist nicht verfügbar</translation>
    </message>
    <message>
        <source>The scan server cannot be reached</source>
        <translation>Der Scanserver ist nicht erreichbar</translation>
    </message>
    <message>
        <source>The directory cannot be reached</source>
        <translation>Der Verzeichnisdienst ist nicht erreichbar</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Etwas ist schiefgegangen</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Put the pages that were not scanned back in, then touch Try again. Pages already scanned are kept.</source>
        <translation>Öffnen Sie den Scanner, entfernen Sie das gestaute Papier und schließen Sie ihn wieder. Legen Sie die nicht gescannten Seiten wieder ein und tippen Sie auf Erneut versuchen. Bereits gescannte Seiten bleiben erhalten.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder, then touch Try again.</source>
        <translation>Legen Sie die Seiten mit der Vorderseite nach oben in den Einzug und tippen Sie auf Erneut versuchen.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover, then touch Try again.</source>
        <translation>Schließen Sie die Abdeckung des Scanners und tippen Sie auf Erneut versuchen.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then touch Try again.</source>
        <translation>Der Scanner ist gerade beschäftigt. Warten Sie einen Moment und tippen Sie auf Erneut versuchen.</translation>
    </message>
    <message>
        <source>Check that the scanner is switched on and connected. If this goes on, call your administrator.</source>
        <translation>Prüfen Sie, ob der Scanner eingeschaltet und angeschlossen ist. Wenn das Problem bleibt, rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Ihre Dokumente bleiben auf diesem Gerät und werden gesendet, sobald der Server antwortet. Sie können jetzt gehen.</translation>
    </message>
    <message>
        <source>Signing in is not possible right now. Try again in a few minutes, or call your administrator.</source>
        <translation>Die Anmeldung ist gerade nicht möglich. Versuchen Sie es in einigen Minuten erneut oder rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Try again. If this goes on, call your administrator.</source>
        <translation>Versuchen Sie es erneut. Wenn das Problem bleibt, rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Erneut versuchen</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
</context>
<context>
    <name>ProcessesScreen</name>
    <message>
        <source>Hello, %1</source>
        <translation>Hallo, %1</translation>
    </message>
    <message>
        <source>Scan processes</source>
        <translation>Scanprozesse</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Meine Aufträge</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Abmelden</translation>
    </message>
    <message>
        <source>Loading your scan processes…</source>
        <translation>Ihre Scanprozesse werden geladen…</translation>
    </message>
    <message>
        <source>You have no scan processes yet. Ask your administrator to give you one in Scan Management, then sign in again.</source>
        <translation>Sie haben noch keine Scanprozesse. Bitten Sie Ihren Administrator, Ihnen in der Scanverwaltung einen zuzuweisen, und melden Sie sich dann erneut an.</translation>
    </message>
    <message>
        <source>Scan processes that could not be read: %1. Please tell your administrator.</source>
        <translation>Nicht lesbare Scanprozesse: %1. Bitte informieren Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Choose what to scan.</source>
        <translation>Wählen Sie, was Sie scannen möchten.</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <source>Page %1</source>
        <translation>Seite %1</translation>
    </message>
    <message>
        <source>Scanning: %1</source>
        <translation>Scannen: %1</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 Seiten</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 Seite</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Wird angehalten…</translation>
    </message>
    <message>
        <source>The pages appear here as they are scanned.</source>
        <translation>Die Seiten erscheinen hier, sobald sie gescannt sind.</translation>
    </message>
    <message>
        <source>Load more paper and touch Scan more pages, or touch Finish to send.</source>
        <translation>Legen Sie weiteres Papier ein und tippen Sie auf Weitere Seiten scannen, oder tippen Sie zum Senden auf Fertigstellen.</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Scan more pages</source>
        <translation>Weitere Seiten scannen</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Fertigstellen</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service: administrator PIN</source>
        <translation>Service: Administrator-PIN</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Zurück</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>PIN</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Falsche PIN.</translation>
    </message>
    <message>
        <source>Enter the PIN on the pad.</source>
        <translation>Geben Sie die PIN über das Tastenfeld ein.</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Rücktaste</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Erneut prüfen</translation>
    </message>
    <message>
        <source>Restart panel</source>
        <translation>Bedienfeld neu starten</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Kioskmodus verlassen</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Wird geprüft…</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to scan</source>
        <translation>Zum Scannen anmelden</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
    </message>
    <message>
        <source>Service (administrator)</source>
        <translation>Service (Administrator)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Anmelden</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Benutzername</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Passwort</translation>
    </message>
    <message>
        <source>Touch a field to type, or hold your badge to the reader.</source>
        <translation>Tippen Sie zum Schreiben auf ein Feld oder halten Sie Ihren Ausweis an das Lesegerät.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Anmeldung läuft…</translation>
    </message>
    <message>
        <source>Enter your user name and your password.</source>
        <translation>Geben Sie Ihren Benutzernamen und Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>Badge recognised: enter your password.</source>
        <translation>Ausweis erkannt: Geben Sie Ihr Passwort ein.</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Glass</source>
        <translation>Glas</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>Einzug</translation>
    </message>
    <message>
        <source>Feeder, both sides</source>
        <translation>Einzug, beidseitig</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Film</translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation>Schwarzweiß</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Graustufen</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 dpi</translation>
    </message>
    <message>
        <source>your e-mail</source>
        <translation>Ihre E-Mail</translation>
    </message>
    <message>
        <source>your SharePoint site</source>
        <translation>Ihre SharePoint-Website</translation>
    </message>
</context>
<context>
    <name>TouchKeyboard</name>
    <message>
        <source>Backspace</source>
        <extracomment>Width in half keys of the letter layer&apos;s special keys; every other key is 2.</extracomment>
        <translation>Rücktaste</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Eingabe</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Umschalt</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Leertaste</translation>
    </message>
    <message>
        <source>Numbers and symbols</source>
        <translation>Ziffern und Zeichen</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Buchstaben</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Taste %1</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>Signing in failed.</source>
        <extracomment>Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus). How long the delivered/failed cue stays on screen. Scanner error classes (kiosk.scanner) → problem screen; others show their own message. Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now. Emitted after every change of screen, with the screen&apos;s name.</extracomment>
        <translation>Die Anmeldung ist fehlgeschlagen.</translation>
    </message>
</context>
</TS>
