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
    <name>Errors</name>
    <message>
        <source>Something went wrong. Please try again.</source>
        <translation>Etwas ist schiefgelaufen. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This scanner is not set up correctly. Please call your administrator.</source>
        <translation>Dieser Scanner ist nicht richtig eingerichtet. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Signing in is not possible right now. Please try again in a few minutes.</source>
        <translation>Die Anmeldung ist gerade nicht möglich. Bitte versuchen Sie es in ein paar Minuten erneut.</translation>
    </message>
    <message>
        <source>Signing in is not set up correctly. Please call your administrator.</source>
        <translation>Die Anmeldung ist nicht richtig eingerichtet. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>This device&apos;s clock is wrong, so signing in is refused. Please call your administrator.</source>
        <translation>Die Uhr dieses Geräts geht falsch, deshalb wird die Anmeldung abgelehnt. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your account is disabled, expired or locked. Please call your administrator.</source>
        <translation>Ihr Konto ist deaktiviert, abgelaufen oder gesperrt. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Sending stopped for a moment. Your documents are kept and sent again by themselves.</source>
        <translation>Das Senden wurde kurz unterbrochen. Ihre Dokumente bleiben erhalten und werden von selbst erneut gesendet.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Benutzername oder Passwort ist falsch.</translation>
    </message>
    <message>
        <source>Your account is locked. Please call your administrator.</source>
        <translation>Ihr Konto ist gesperrt. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your account is disabled. Please call your administrator.</source>
        <translation>Ihr Konto ist deaktiviert. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your account has expired. Please call your administrator.</source>
        <translation>Ihr Konto ist abgelaufen. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your password has expired or must be changed. Please change it at a computer first.</source>
        <translation>Ihr Passwort ist abgelaufen oder muss geändert werden. Bitte ändern Sie es zuerst an einem Computer.</translation>
    </message>
    <message>
        <source>Your account may not sign in here or at this time.</source>
        <translation>Ihr Konto darf sich hier oder zu dieser Zeit nicht anmelden.</translation>
    </message>
    <message>
        <source>Your account could not be read. Please call your administrator.</source>
        <translation>Ihr Konto konnte nicht gelesen werden. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your account cannot receive scans. Please call your administrator.</source>
        <translation>Ihr Konto kann keine Scans empfangen. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Your scan processes could not be read. Please try again.</source>
        <translation>Ihre Scanprozesse konnten nicht gelesen werden. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>A badge alone cannot sign you in here. Please enter your password.</source>
        <translation>Hier genügt der Ausweis allein nicht zur Anmeldung. Bitte geben Sie Ihr Passwort ein.</translation>
    </message>
    <message>
        <source>This badge is not recognised. Please sign in with your user name.</source>
        <translation>Dieser Ausweis ist nicht bekannt. Bitte melden Sie sich mit Ihrem Benutzernamen an.</translation>
    </message>
    <message>
        <source>Please sign in first.</source>
        <translation>Bitte melden Sie sich zuerst an.</translation>
    </message>
    <message>
        <source>The scanner reported a problem. Please try again.</source>
        <translation>Der Scanner meldet ein Problem. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The feeder is empty. Put your pages in and try again.</source>
        <translation>Der Einzug ist leer. Legen Sie Ihre Seiten ein und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>Paper jam. Open the scanner, take out the paper and try again.</source>
        <translation>Papierstau. Öffnen Sie den Scanner, entfernen Sie das Papier und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The scanner&apos;s cover is open. Close it and try again.</source>
        <translation>Die Abdeckung des Scanners ist offen. Schließen Sie sie und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The scanner is busy. Wait a moment and try again.</source>
        <translation>Der Scanner ist beschäftigt. Warten Sie einen Moment und versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>The scanner stopped answering. Please try again.</source>
        <translation>Der Scanner antwortet nicht mehr. Bitte versuchen Sie es erneut.</translation>
    </message>
    <message>
        <source>This panel may not use the scanner. Please call your administrator.</source>
        <translation>Dieses Bedienfeld darf den Scanner nicht benutzen. Bitte rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>The scanner ran out of memory. Try a lower resolution or fewer pages.</source>
        <translation>Dem Scanner ging der Speicher aus. Wählen Sie eine niedrigere Auflösung oder weniger Seiten.</translation>
    </message>
    <message>
        <source>The scanner is not connected. Check its cable and power.</source>
        <translation>Der Scanner ist nicht angeschlossen. Prüfen Sie Kabel und Stromversorgung.</translation>
    </message>
    <message>
        <source>The scan was cancelled.</source>
        <translation>Der Scan wurde abgebrochen.</translation>
    </message>
    <message>
        <source>This scanner cannot scan the way this scan process requires. Please tell your administrator.</source>
        <translation>Dieser Scanner kann nicht so scannen, wie es dieser Scanprozess verlangt. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>This scan process asks for a file type this panel cannot make. Please tell your administrator.</source>
        <translation>Dieser Scanprozess verlangt einen Dateityp, den dieses Bedienfeld nicht erzeugen kann. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>The scan server cannot be reached. Your documents are kept and sent when it answers.</source>
        <translation>Der Scanserver ist nicht erreichbar. Ihre Dokumente bleiben erhalten und werden gesendet, sobald er antwortet.</translation>
    </message>
    <message>
        <source>This panel cannot do that with the job right now. Please try again later.</source>
        <translation>Das ist mit diesem Auftrag gerade nicht möglich. Bitte versuchen Sie es später erneut.</translation>
    </message>
    <message>
        <source>A scan process is not valid. Please tell your administrator.</source>
        <translation>Ein Scanprozess ist ungültig. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>This scan process does not let you change that setting.</source>
        <translation>Bei diesem Scanprozess lässt sich diese Einstellung nicht ändern.</translation>
    </message>
    <message>
        <source>The job did not finish.</source>
        <translation>Der Auftrag wurde nicht abgeschlossen.</translation>
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
        <source>Waiting for the scan server: will retry</source>
        <extracomment>Job states (kiosk.jobs.spool) that end a job, and which of them is a success.</extracomment>
        <translation>Wartet auf den Scanserver: neuer Versuch folgt</translation>
    </message>
    <message>
        <source>Processing on the scan server</source>
        <translation>Wird auf dem Scanserver verarbeitet</translation>
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
        <source>Delete the job %1? Its scanned pages are gone for good.</source>
        <translation>Auftrag %1 löschen? Die gescannten Seiten sind dann endgültig weg.</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Behalten</translation>
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
        <source>Touch a failed or waiting job to resend or delete it.</source>
        <translation>Tippen Sie auf einen fehlgeschlagenen oder wartenden Auftrag, um ihn erneut zu senden oder zu löschen.</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 Seite</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 Seiten</translation>
    </message>
</context>
<context>
    <name>NotConfiguredScreen</name>
    <message>
        <source>This scanner is not configured yet</source>
        <extracomment>The exit status the service restarts the panel on (same as the service screen&apos;s restart).</extracomment>
        <translation>Dieser Scanner ist noch nicht eingerichtet</translation>
    </message>
    <message>
        <source>Scanning is not available. Please ask your administrator to set it up.</source>
        <translation>Scannen ist noch nicht möglich. Bitten Sie Ihren Administrator, den Scanner einzurichten.</translation>
    </message>
    <message>
        <source>Administrator: edit {path}, then run `dsm-kiosk doctor`.</source>
        <translation>Administrator: Bearbeiten Sie {path} und führen Sie dann `dsm-kiosk doctor` aus.</translation>
    </message>
</context>
<context>
    <name>PanelWindow</name>
    <message>
        <source>Signing out in %1 s. Touch the screen to stay.</source>
        <translation>Abmeldung in %1 s. Tippen Sie auf den Bildschirm, um angemeldet zu bleiben.</translation>
    </message>
    <message>
        <source>Clearing the screen in %1 s. Touch the screen to keep it.</source>
        <translation>Der Bildschirm wird in %1 s geleert. Tippen Sie auf den Bildschirm, um weiterzumachen.</translation>
    </message>
    <message>
        <source>Cancel this scan? The pages scanned so far are discarded.</source>
        <translation>Diesen Scan abbrechen? Die bisher gescannten Seiten werden verworfen.</translation>
    </message>
    <message>
        <source>Cancel the scan</source>
        <translation>Scan abbrechen</translation>
    </message>
    <message>
        <source>Keep scanning</source>
        <translation>Weiter scannen</translation>
    </message>
    <message>
        <source>The scan was cancelled. Nothing was sent.</source>
        <translation>Der Scan wurde abgebrochen. Es wurde nichts gesendet.</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Zugestellt: %1</translation>
    </message>
    <message>
        <source>Delivery failed: %1. See My jobs.</source>
        <translation>Zustellung fehlgeschlagen: %1. Siehe Meine Aufträge.</translation>
    </message>
    <message>
        <source>Restart the panel now? Anyone using it is signed out.</source>
        <translation>Das Bedienfeld jetzt neu starten? Wer es gerade benutzt, wird abgemeldet.</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Neu starten</translation>
    </message>
    <message>
        <source>Stay</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Leave kiosk mode? The panel closes until it is started again.</source>
        <translation>Kioskmodus verlassen? Das Bedienfeld wird geschlossen, bis es neu gestartet wird.</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Kioskmodus verlassen</translation>
    </message>
</context>
<context>
    <name>PrepareScreen</name>
    <message>
        <source>Put the page face down on the glass.</source>
        <extracomment>What the scanner cannot do of what the process asks (and does instead).</extracomment>
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
        <source>Scanned one-sided: this scanner has no two-sided feeder.</source>
        <translation>Nur einseitig gescannt: Dieser Scanner hat keinen Duplex-Einzug.</translation>
    </message>
    <message>
        <source>This scanner has no %1: it scans from what it has.</source>
        <translation>Dieser Scanner hat kein(e) %1: Er scannt aus dem, was er hat.</translation>
    </message>
    <message>
        <source>This scanner cannot scan in %1: it uses the nearest colour setting.</source>
        <translation>Dieser Scanner kann nicht in %1 scannen: Er nimmt die nächstliegende Farbeinstellung.</translation>
    </message>
    <message>
        <source>This scanner cannot scan at %1: it uses the nearest resolution.</source>
        <translation>Dieser Scanner kann nicht mit %1 scannen: Er nimmt die nächstliegende Auflösung.</translation>
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
        <source>Starting…</source>
        <translation>Wird gestartet…</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Papierzufuhr</translation>
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
        <source>Signing in is not possible right now</source>
        <translation>Die Anmeldung ist gerade nicht möglich</translation>
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
        <source>Try again in a few minutes. If this goes on, call your administrator.</source>
        <translation>Versuchen Sie es in ein paar Minuten erneut. Wenn das Problem bleibt, rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Try again. If this goes on, call your administrator.</source>
        <translation>Versuchen Sie es erneut. Wenn das Problem bleibt, rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>Go back and try again. If this goes on, call your administrator.</source>
        <translation>Gehen Sie zurück und versuchen Sie es erneut. Wenn das Problem bleibt, rufen Sie Ihren Administrator.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then go back.</source>
        <translation>Der Scanner ist mit etwas anderem beschäftigt. Warten Sie einen Moment und gehen Sie dann zurück.</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Pages already scanned are kept.</source>
        <translation>Öffnen Sie den Scanner, entfernen Sie das gestaute Papier und schließen Sie ihn wieder. Bereits gescannte Seiten bleiben erhalten.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Legen Sie die Seiten mit der Vorderseite nach oben in den Einzug.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover.</source>
        <translation>Schließen Sie die Abdeckung des Scanners.</translation>
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
        <source>Put the next page on the glass and touch Scan more pages, or touch Finish to send.</source>
        <translation>Legen Sie die nächste Seite auf das Glas und tippen Sie auf Weitere Seiten scannen, oder tippen Sie auf Fertigstellen, um zu senden.</translation>
    </message>
    <message>
        <source>Load more paper and touch Scan more pages, or touch Finish to send.</source>
        <translation>Legen Sie weiteres Papier ein und tippen Sie auf Weitere Seiten scannen, oder tippen Sie zum Senden auf Fertigstellen.</translation>
    </message>
    <message>
        <source>Scanned pages</source>
        <translation>Gescannte Seiten</translation>
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
    <message>
        <source>Scanning…</source>
        <translation>Wird gescannt…</translation>
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
        <source>Wrong PIN too often. Try again in %1 s.</source>
        <translation>Zu oft eine falsche PIN. Versuchen Sie es in %1 s erneut.</translation>
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
        <translation>Wartung</translation>
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
        <source>Version</source>
        <translation>Programmversion</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Scangerät</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>Verzeichnis</translation>
    </message>
    <message>
        <source>Scan server</source>
        <translation>Scanserver</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Zustellung</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>Warteschlange</translation>
    </message>
    <message>
        <source>Directory CA</source>
        <translation>Zertifizierungsstelle des Verzeichnisses</translation>
    </message>
    <message>
        <source>Scan server CA</source>
        <translation>Zertifizierungsstelle des Scanservers</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Client-Zertifikat</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Fehler</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Protokoll</translation>
    </message>
    <message>
        <source>NOT reachable</source>
        <translation>NICHT erreichbar</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>erreichbar</translation>
    </message>
    <message>
        <source>present</source>
        <translation>vorhanden</translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation>FEHLT</translation>
    </message>
    <message>
        <source>local file</source>
        <translation>lokale Datei</translation>
    </message>
    <message>
        <source>this panel</source>
        <translation>dieses Bedienfeld</translation>
    </message>
    <message>
        <source>another process (run-worker)</source>
        <translation>ein anderer Prozess (run-worker)</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>Problem</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>ABGELAUFEN</translation>
    </message>
    <message>
        <source>%1 job(s) waiting, %2 MB free of %3 MB</source>
        <translation>%1 Auftrag/Aufträge wartend, %2 MB von %3 MB frei</translation>
    </message>
    <message>
        <source>expires %1 (%2 days left)</source>
        <translation>läuft am %1 ab (noch %2 Tage)</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to scan</source>
        <extracomment>Each language&apos;s name in itself: a user who cannot read the current one still finds theirs.</extracomment>
        <translation>Zum Scannen anmelden</translation>
    </message>
    <message>
        <source>Not you?</source>
        <translation>Nicht Sie?</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Wartung</translation>
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
        <source>Badge read for %1: enter your password.</source>
        <translation>Ausweis von %1 gelesen: Geben Sie Ihr Passwort ein.</translation>
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
        <source>Grey, 4-bit</source>
        <translation>Graustufen, 4 Bit</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Graustufen</translation>
    </message>
    <message>
        <source>Grey, 16-bit</source>
        <translation>Graustufen, 16 Bit</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Farbe</translation>
    </message>
    <message>
        <source>Colour, 48-bit</source>
        <translation>Farbe, 48 Bit</translation>
    </message>
    <message>
        <source>Colour with transparency</source>
        <translation>Farbe mit Transparenz</translation>
    </message>
    <message>
        <source>Colour with transparency, 64-bit</source>
        <translation>Farbe mit Transparenz, 64 Bit</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 dpi</translation>
    </message>
    <message>
        <source>TIFF per page</source>
        <translation>TIFF je Seite</translation>
    </message>
    <message>
        <source>TIFF per page, uncompressed</source>
        <translation>TIFF je Seite, unkomprimiert</translation>
    </message>
    <message>
        <source>TIFF, uncompressed</source>
        <translation>TIFF, unkomprimiert</translation>
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
        <extracomment>Letter layouts by language; special keys are named in brackets. Held for HOLD_MS, a key offers these variants in a row above it (as phone keyboards do). Width in half keys of the special keys; every other key is 2.</extracomment>
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
        <source>Accented letters</source>
        <translation>Buchstaben mit Akzent</translation>
    </message>
    <message>
        <source>Keyboard layout %1: touch for the next</source>
        <translation>Tastaturbelegung %1: tippen für die nächste</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Taste %1</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>The scan server does not know this scan process. Please tell your administrator.</source>
        <extracomment>Looks like a protocol or error code rather than words: CamelCase, or a dotted/underscored name.</extracomment>
        <translation>Der Scanserver kennt diesen Scanprozess nicht. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>The scan server refused the job. Resend it later from My jobs; if it fails again, tell your administrator.</source>
        <translation>Der Scanserver hat den Auftrag abgelehnt. Senden Sie ihn später unter Meine Aufträge erneut; scheitert er wieder, sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>The scanned pages could not be sent to the scan server. Resend the job from My jobs.</source>
        <translation>Die gescannten Seiten konnten nicht an den Scanserver gesendet werden. Senden Sie den Auftrag unter Meine Aufträge erneut.</translation>
    </message>
    <message>
        <source>The job was cancelled on the scan server.</source>
        <translation>Der Auftrag wurde auf dem Scanserver abgebrochen.</translation>
    </message>
    <message>
        <source>The scan server could not deliver your documents. Resend the job from My jobs, or tell your administrator.</source>
        <translation>Der Scanserver konnte Ihre Dokumente nicht zustellen. Senden Sie den Auftrag unter Meine Aufträge erneut oder sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>Some destinations did not receive your documents.</source>
        <translation>Einige Ziele haben Ihre Dokumente nicht erhalten.</translation>
    </message>
    <message>
        <source>Your documents were delivered, but the scan server reported a warning.</source>
        <translation>Ihre Dokumente wurden zugestellt, aber der Scanserver meldet eine Warnung.</translation>
    </message>
    <message>
        <source>The scan server stopped waiting for the pages. Resend the job from My jobs.</source>
        <translation>Der Scanserver hat nicht länger auf die Seiten gewartet. Senden Sie den Auftrag unter Meine Aufträge erneut.</translation>
    </message>
    <message>
        <source>The scan was interrupted. The pages scanned before that are delivered.</source>
        <translation>Der Scan wurde unterbrochen. Die bis dahin gescannten Seiten werden zugestellt.</translation>
    </message>
    <message>
        <source>The scan server lost the job. It is being sent again; you need not do anything.</source>
        <translation>Der Scanserver hat den Auftrag verloren. Er wird erneut gesendet; Sie müssen nichts tun.</translation>
    </message>
    <message>
        <source>Shared folder</source>
        <translation>Freigegebener Ordner</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>E-Mail</translation>
    </message>
    <message>
        <source>A destination</source>
        <translation>Ein Ziel</translation>
    </message>
    <message>
        <source>%1: the scan process has settings the scan server cannot use. Please tell your administrator.</source>
        <translation>%1: Der Scanprozess hat Einstellungen, die der Scanserver nicht verwenden kann. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>%1: there is no space left. Please tell your administrator.</source>
        <translation>%1: Es ist kein Platz mehr frei. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>%1: the scan server was overloaded. Resend the job later from My jobs.</source>
        <translation>%1: Der Scanserver war überlastet. Senden Sie den Auftrag später unter Meine Aufträge erneut.</translation>
    </message>
    <message>
        <source>%1: the scan server may not save there. Please tell your administrator.</source>
        <translation>%1: Der Scanserver darf dort nicht speichern. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>%1: the mail server is not set up correctly. Please tell your administrator.</source>
        <translation>%1: Der Mailserver ist nicht richtig eingerichtet. Bitte sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>%1: the message could not be sent. Resend the job later from My jobs.</source>
        <translation>%1: Die Nachricht konnte nicht gesendet werden. Senden Sie den Auftrag später unter Meine Aufträge erneut.</translation>
    </message>
    <message>
        <source>%1: delivery was cancelled on the scan server.</source>
        <translation>%1: Die Zustellung wurde auf dem Scanserver abgebrochen.</translation>
    </message>
    <message>
        <source>%1: delivered with a warning.</source>
        <translation>%1: mit einer Warnung zugestellt.</translation>
    </message>
    <message>
        <source>%1: delivery failed. Resend the job from My jobs, or tell your administrator.</source>
        <translation>%1: Die Zustellung ist fehlgeschlagen. Senden Sie den Auftrag unter Meine Aufträge erneut oder sagen Sie es Ihrem Administrator.</translation>
    </message>
    <message>
        <source>The scan server reported a problem. Resend the job from My jobs, or tell your administrator.</source>
        <translation>Der Scanserver meldet ein Problem. Senden Sie den Auftrag unter Meine Aufträge erneut oder sagen Sie es Ihrem Administrator.</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>Signing in failed.</source>
        <extracomment>Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus). How long the delivered/failed cue stays on screen. Scanner error codes (kiosk.scanner) → problem screen; others show their own message. Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now. Emitted after every change of screen, with the screen&apos;s name. The flow (kiosk.panel_flow): the screens present it, the window drives it.</extracomment>
        <translation>Die Anmeldung ist fehlgeschlagen.</translation>
    </message>
</context>
</TS>
