<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="fr_FR">
<context>
    <name>DeliveryScreen</name>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Vos documents sont conservés sur cet appareil et envoyés dès que le serveur répond. Vous pouvez partir.</translation>
    </message>
    <message>
        <source>The scanned pages are kept: resend or delete the job in My jobs.</source>
        <translation>Les pages numérisées sont conservées : renvoyez ou supprimez le travail dans Mes travaux.</translation>
    </message>
    <message>
        <source>You can leave now: your documents are sent even after you sign out.</source>
        <translation>Vous pouvez partir : vos documents sont envoyés même après la déconnexion.</translation>
    </message>
    <message>
        <source>Scan something else</source>
        <translation>Numériser autre chose</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Mes travaux</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>Something went wrong. Please try again.</source>
        <translation>Un problème est survenu. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>This scanner is not set up correctly. Please call your administrator.</source>
        <translation>Ce scanner n&apos;est pas correctement configuré. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Signing in is not possible right now. Please try again in a few minutes.</source>
        <translation>La connexion est impossible pour le moment. Veuillez réessayer dans quelques minutes.</translation>
    </message>
    <message>
        <source>Signing in is not set up correctly. Please call your administrator.</source>
        <translation>La connexion n&apos;est pas correctement configurée. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>This device&apos;s clock is wrong, so signing in is refused. Please call your administrator.</source>
        <translation>L&apos;horloge de cet appareil est fausse, la connexion est donc refusée. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Your account is disabled, expired or locked. Please call your administrator.</source>
        <translation>Votre compte est désactivé, expiré ou verrouillé. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Sending stopped for a moment. Your documents are kept and sent again by themselves.</source>
        <translation>L&apos;envoi s&apos;est interrompu un instant. Vos documents sont conservés et renvoyés automatiquement.</translation>
    </message>
    <message>
        <source>Wrong user name or password.</source>
        <translation>Nom d&apos;utilisateur ou mot de passe incorrect.</translation>
    </message>
    <message>
        <source>Your account is locked. Please call your administrator.</source>
        <translation>Votre compte est verrouillé. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Your account is disabled. Please call your administrator.</source>
        <translation>Votre compte est désactivé. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Your account has expired. Please call your administrator.</source>
        <translation>Votre compte a expiré. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Your password has expired or must be changed. Please change it at a computer first.</source>
        <translation>Votre mot de passe a expiré ou doit être changé. Changez-le d&apos;abord sur un ordinateur.</translation>
    </message>
    <message>
        <source>Your account may not sign in here or at this time.</source>
        <translation>Votre compte ne peut pas se connecter ici ou à cette heure.</translation>
    </message>
    <message>
        <source>Your account could not be read. Please call your administrator.</source>
        <translation>Votre compte n&apos;a pas pu être lu. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Your account cannot receive scans. Please call your administrator.</source>
        <translation>Votre compte ne peut pas recevoir de numérisations. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>Your scan processes could not be read. Please try again.</source>
        <translation>Vos processus de numérisation n&apos;ont pas pu être lus. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>A badge alone cannot sign you in here. Please enter your password.</source>
        <translation>Ici, le badge seul ne suffit pas pour vous connecter. Veuillez saisir votre mot de passe.</translation>
    </message>
    <message>
        <source>This badge is not recognised. Please sign in with your user name.</source>
        <translation>Ce badge n&apos;est pas reconnu. Connectez-vous avec votre nom d&apos;utilisateur.</translation>
    </message>
    <message>
        <source>Please sign in first.</source>
        <translation>Veuillez d&apos;abord vous connecter.</translation>
    </message>
    <message>
        <source>The scanner reported a problem. Please try again.</source>
        <translation>Le scanner signale un problème. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>The feeder is empty. Put your pages in and try again.</source>
        <translation>Le chargeur est vide. Placez vos pages et réessayez.</translation>
    </message>
    <message>
        <source>Paper jam. Open the scanner, take out the paper and try again.</source>
        <translation>Bourrage papier. Ouvrez le scanner, retirez le papier et réessayez.</translation>
    </message>
    <message>
        <source>The scanner&apos;s cover is open. Close it and try again.</source>
        <translation>Le capot du scanner est ouvert. Fermez-le et réessayez.</translation>
    </message>
    <message>
        <source>The scanner is busy. Wait a moment and try again.</source>
        <translation>Le scanner est occupé. Patientez un instant et réessayez.</translation>
    </message>
    <message>
        <source>The scanner stopped answering. Please try again.</source>
        <translation>Le scanner ne répond plus. Veuillez réessayer.</translation>
    </message>
    <message>
        <source>This panel may not use the scanner. Please call your administrator.</source>
        <translation>Ce panneau n&apos;a pas accès au scanner. Veuillez appeler votre administrateur.</translation>
    </message>
    <message>
        <source>The scanner ran out of memory. Try a lower resolution or fewer pages.</source>
        <translation>Le scanner manque de mémoire. Choisissez une résolution plus basse ou moins de pages.</translation>
    </message>
    <message>
        <source>The scanner is not connected. Check its cable and power.</source>
        <translation>Le scanner n&apos;est pas connecté. Vérifiez son câble et son alimentation.</translation>
    </message>
    <message>
        <source>The scan was cancelled.</source>
        <translation>La numérisation a été annulée.</translation>
    </message>
    <message>
        <source>This scanner cannot scan the way this scan process requires. Please tell your administrator.</source>
        <translation>Ce scanner ne peut pas numériser comme l&apos;exige ce processus. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>This scan process asks for a file type this panel cannot make. Please tell your administrator.</source>
        <translation>Ce processus demande un type de fichier que ce panneau ne sait pas produire. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>The scan server cannot be reached. Your documents are kept and sent when it answers.</source>
        <translation>Le serveur de numérisation est injoignable. Vos documents sont conservés et envoyés dès qu&apos;il répond.</translation>
    </message>
    <message>
        <source>This panel cannot do that with the job right now. Please try again later.</source>
        <translation>Ce n&apos;est pas possible avec ce travail pour le moment. Veuillez réessayer plus tard.</translation>
    </message>
    <message>
        <source>A scan process is not valid. Please tell your administrator.</source>
        <translation>Un processus de numérisation n&apos;est pas valide. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>This scan process does not let you change that setting.</source>
        <translation>Ce processus ne permet pas de modifier ce réglage.</translation>
    </message>
    <message>
        <source>The job did not finish.</source>
        <translation>Le travail ne s&apos;est pas terminé.</translation>
    </message>
</context>
<context>
    <name>JobState</name>
    <message>
        <source>Scanning</source>
        <translation>Numérisation</translation>
    </message>
    <message>
        <source>Waiting to send</source>
        <translation>En attente d&apos;envoi</translation>
    </message>
    <message>
        <source>Sending %1 of %2</source>
        <translation>Envoi %1 sur %2</translation>
    </message>
    <message>
        <source>Waiting for the scan server: will retry</source>
        <extracomment>Job states (kiosk.jobs.spool) that end a job, and which of them is a success.</extracomment>
        <translation>En attente du serveur de numérisation : nouvel essai prévu</translation>
    </message>
    <message>
        <source>Processing on the scan server</source>
        <translation>Traitement sur le serveur de numérisation</translation>
    </message>
    <message>
        <source>Delivered</source>
        <translation>Livré</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Échec</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Annulé</translation>
    </message>
</context>
<context>
    <name>JobsScreen</name>
    <message>
        <source>My jobs</source>
        <translation>Mes travaux</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Resend</source>
        <translation>Renvoyer</translation>
    </message>
    <message>
        <source>Delete</source>
        <translation>Supprimer</translation>
    </message>
    <message>
        <source>Delete the job %1? Its scanned pages are gone for good.</source>
        <translation>Supprimer le travail %1 ? Les pages numérisées seront définitivement perdues.</translation>
    </message>
    <message>
        <source>Keep it</source>
        <translation>Le garder</translation>
    </message>
    <message>
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>You have no recent jobs.</source>
        <translation>Vous n&apos;avez aucun travail récent.</translation>
    </message>
    <message>
        <source>Touch a failed or waiting job to resend or delete it.</source>
        <translation>Touchez un travail en échec ou en attente pour le renvoyer ou le supprimer.</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 page</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 pages</translation>
    </message>
</context>
<context>
    <name>NotConfiguredScreen</name>
    <message>
        <source>This scanner is not configured yet</source>
        <extracomment>The exit status the service restarts the panel on (same as the service screen&apos;s restart).</extracomment>
        <translation>Ce scanner n&apos;est pas encore configuré</translation>
    </message>
    <message>
        <source>Scanning is not available. Please ask your administrator to set it up.</source>
        <translation>La numérisation n&apos;est pas disponible. Demandez à votre administrateur de le configurer.</translation>
    </message>
    <message>
        <source>Administrator: edit {path}, then run `dsm-kiosk doctor`.</source>
        <translation>Administrateur : modifiez {path}, puis lancez `dsm-kiosk doctor`.</translation>
    </message>
</context>
<context>
    <name>PanelWindow</name>
    <message>
        <source>Signing out in %1 s. Touch the screen to stay.</source>
        <translation>Déconnexion dans %1 s. Touchez l&apos;écran pour rester.</translation>
    </message>
    <message>
        <source>Clearing the screen in %1 s. Touch the screen to keep it.</source>
        <translation>L&apos;écran sera effacé dans %1 s. Touchez l&apos;écran pour continuer.</translation>
    </message>
    <message>
        <source>Cancel this scan? The pages scanned so far are discarded.</source>
        <translation>Annuler cette numérisation ? Les pages déjà numérisées seront supprimées.</translation>
    </message>
    <message>
        <source>Cancel the scan</source>
        <translation>Annuler la numérisation</translation>
    </message>
    <message>
        <source>Keep scanning</source>
        <translation>Continuer</translation>
    </message>
    <message>
        <source>The scan was cancelled. Nothing was sent.</source>
        <translation>La numérisation a été annulée. Rien n&apos;a été envoyé.</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Livré : %1</translation>
    </message>
    <message>
        <source>Delivery failed: %1. See My jobs.</source>
        <translation>Échec de la livraison : %1. Voir Mes travaux.</translation>
    </message>
    <message>
        <source>Restart the panel now? Anyone using it is signed out.</source>
        <translation>Redémarrer le panneau maintenant ? La personne qui l&apos;utilise sera déconnectée.</translation>
    </message>
    <message>
        <source>Restart</source>
        <translation>Redémarrer</translation>
    </message>
    <message>
        <source>Stay</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Leave kiosk mode? The panel closes until it is started again.</source>
        <translation>Quitter le mode kiosque ? Le panneau se ferme jusqu&apos;à son prochain démarrage.</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Quitter le mode kiosque</translation>
    </message>
</context>
<context>
    <name>PrepareScreen</name>
    <message>
        <source>Put the page face down on the glass.</source>
        <extracomment>What the scanner cannot do of what the process asks (and does instead).</extracomment>
        <translation>Posez la page face vers le bas sur la vitre.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Placez les pages face vers le haut dans le chargeur.</translation>
    </message>
    <message>
        <source>The feeder has paper.</source>
        <translation>Le chargeur contient du papier.</translation>
    </message>
    <message>
        <source>The feeder is empty.</source>
        <translation>Le chargeur est vide.</translation>
    </message>
    <message>
        <source>Scanned one-sided: this scanner has no two-sided feeder.</source>
        <translation>Numérisation recto seul : ce scanner n&apos;a pas de chargeur recto verso.</translation>
    </message>
    <message>
        <source>This scanner has no %1: it scans from what it has.</source>
        <translation>Ce scanner n&apos;a pas de %1 : il numérise depuis ce dont il dispose.</translation>
    </message>
    <message>
        <source>This scanner cannot scan in %1: it uses the nearest colour setting.</source>
        <translation>Ce scanner ne sait pas numériser en %1 : il utilise le réglage de couleur le plus proche.</translation>
    </message>
    <message>
        <source>This scanner cannot scan at %1: it uses the nearest resolution.</source>
        <translation>Ce scanner ne sait pas numériser à %1 : il utilise la résolution la plus proche.</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Numériser</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Démarrage…</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Source du papier</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>Resolution</source>
        <translation>Résolution</translation>
    </message>
    <message>
        <source>File type</source>
        <translation>Type de fichier</translation>
    </message>
    <message>
        <source>Add e-mail recipient</source>
        <translation>Ajouter un destinataire</translation>
    </message>
    <message>
        <source>Also to: %1</source>
        <translation>Aussi à : %1</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Terminé</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>Ajouter</translation>
    </message>
    <message>
        <source>name@example.com</source>
        <translation>nom@example.com</translation>
    </message>
    <message>
        <source>E-mail address</source>
        <translation>Adresse e-mail</translation>
    </message>
    <message>
        <source>That is not an e-mail address. Check it and try again.</source>
        <translation>Ce n&apos;est pas une adresse e-mail. Vérifiez-la et réessayez.</translation>
    </message>
    <message>
        <source>Added: %1</source>
        <translation>Ajouté : %1</translation>
    </message>
    <message>
        <source>Type an address and touch Add.</source>
        <translation>Saisissez une adresse et touchez Ajouter.</translation>
    </message>
</context>
<context>
    <name>ProblemScreen</name>
    <message>
        <source>Paper jam</source>
        <extracomment>The problem kinds, each with its own title and advice.</extracomment>
        <translation>Bourrage papier</translation>
    </message>
    <message>
        <source>The feeder is empty</source>
        <translation>Le chargeur est vide</translation>
    </message>
    <message>
        <source>The cover is open</source>
        <translation>Le capot est ouvert</translation>
    </message>
    <message>
        <source>The scanner is busy</source>
        <translation>Le scanner est occupé</translation>
    </message>
    <message>
        <source>The scanner is not available</source>
        <translation>Le scanner n&apos;est pas disponible</translation>
    </message>
    <message>
        <source>The scan server cannot be reached</source>
        <translation>Le serveur de numérisation est injoignable</translation>
    </message>
    <message>
        <source>Signing in is not possible right now</source>
        <translation>La connexion est impossible pour le moment</translation>
    </message>
    <message>
        <source>Something went wrong</source>
        <translation>Un problème est survenu</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Put the pages that were not scanned back in, then touch Try again. Pages already scanned are kept.</source>
        <translation>Ouvrez le scanner, retirez le papier coincé et refermez-le. Remettez les pages non numérisées, puis touchez Réessayer. Les pages déjà numérisées sont conservées.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder, then touch Try again.</source>
        <translation>Placez les pages face vers le haut dans le chargeur, puis touchez Réessayer.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover, then touch Try again.</source>
        <translation>Fermez le capot du scanner, puis touchez Réessayer.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then touch Try again.</source>
        <translation>Le scanner est occupé. Patientez un instant, puis touchez Réessayer.</translation>
    </message>
    <message>
        <source>Check that the scanner is switched on and connected. If this goes on, call your administrator.</source>
        <translation>Vérifiez que le scanner est allumé et branché. Si le problème persiste, appelez votre administrateur.</translation>
    </message>
    <message>
        <source>Your documents are kept on this device and sent as soon as the server answers. You may leave now.</source>
        <translation>Vos documents sont conservés sur cet appareil et envoyés dès que le serveur répond. Vous pouvez partir.</translation>
    </message>
    <message>
        <source>Try again in a few minutes. If this goes on, call your administrator.</source>
        <translation>Réessayez dans quelques minutes. Si le problème persiste, appelez votre administrateur.</translation>
    </message>
    <message>
        <source>Try again. If this goes on, call your administrator.</source>
        <translation>Réessayez. Si le problème persiste, appelez votre administrateur.</translation>
    </message>
    <message>
        <source>Go back and try again. If this goes on, call your administrator.</source>
        <translation>Revenez en arrière et réessayez. Si le problème persiste, appelez votre administrateur.</translation>
    </message>
    <message>
        <source>The scanner is working on something else. Wait a moment, then go back.</source>
        <translation>Le scanner est occupé à autre chose. Patientez un instant, puis revenez en arrière.</translation>
    </message>
    <message>
        <source>Open the scanner, take out the jammed paper and close it again. Pages already scanned are kept.</source>
        <translation>Ouvrez le scanner, retirez le papier coincé et refermez-le. Les pages déjà numérisées sont conservées.</translation>
    </message>
    <message>
        <source>Put the pages face up in the feeder.</source>
        <translation>Placez les pages face vers le haut dans le chargeur.</translation>
    </message>
    <message>
        <source>Close the scanner&apos;s cover.</source>
        <translation>Fermez le capot du scanner.</translation>
    </message>
    <message>
        <source>Try again</source>
        <translation>Réessayer</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
</context>
<context>
    <name>ProcessesScreen</name>
    <message>
        <source>Hello, %1</source>
        <translation>Bonjour, %1</translation>
    </message>
    <message>
        <source>Scan processes</source>
        <translation>Processus de numérisation</translation>
    </message>
    <message>
        <source>My jobs</source>
        <translation>Mes travaux</translation>
    </message>
    <message>
        <source>Sign out</source>
        <translation>Se déconnecter</translation>
    </message>
    <message>
        <source>Loading your scan processes…</source>
        <translation>Chargement de vos processus de numérisation…</translation>
    </message>
    <message>
        <source>You have no scan processes yet. Ask your administrator to give you one in Scan Management, then sign in again.</source>
        <translation>Vous n&apos;avez pas encore de processus de numérisation. Demandez-en un à votre administrateur dans la Gestion de la numérisation, puis reconnectez-vous.</translation>
    </message>
    <message>
        <source>Scan processes that could not be read: %1. Please tell your administrator.</source>
        <translation>Processus de numérisation illisibles : %1. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>Choose what to scan.</source>
        <translation>Choisissez ce que vous voulez numériser.</translation>
    </message>
</context>
<context>
    <name>ScanningScreen</name>
    <message>
        <source>Page %1</source>
        <translation>Page %1</translation>
    </message>
    <message>
        <source>Scanning: %1</source>
        <translation>Numérisation : %1</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 pages</translation>
    </message>
    <message>
        <source>1 page</source>
        <translation>1 page</translation>
    </message>
    <message>
        <source>Stopping…</source>
        <translation>Arrêt…</translation>
    </message>
    <message>
        <source>The pages appear here as they are scanned.</source>
        <translation>Les pages apparaissent ici au fur et à mesure.</translation>
    </message>
    <message>
        <source>Put the next page on the glass and touch Scan more pages, or touch Finish to send.</source>
        <translation>Posez la page suivante sur la vitre et touchez Numériser d&apos;autres pages, ou touchez Terminer pour envoyer.</translation>
    </message>
    <message>
        <source>Load more paper and touch Scan more pages, or touch Finish to send.</source>
        <translation>Ajoutez du papier et touchez Numériser d&apos;autres pages, ou touchez Terminer pour envoyer.</translation>
    </message>
    <message>
        <source>Scanned pages</source>
        <translation>Pages numérisées</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Annuler</translation>
    </message>
    <message>
        <source>Scan more pages</source>
        <translation>Numériser d&apos;autres pages</translation>
    </message>
    <message>
        <source>Finish</source>
        <translation>Terminer</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Numérisation…</translation>
    </message>
</context>
<context>
    <name>ServiceScreen</name>
    <message>
        <source>Service: administrator PIN</source>
        <translation>Service : code administrateur</translation>
    </message>
    <message>
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>PIN</source>
        <translation>Code</translation>
    </message>
    <message>
        <source>Wrong PIN too often. Try again in %1 s.</source>
        <translation>Trop de codes incorrects. Réessayez dans %1 s.</translation>
    </message>
    <message>
        <source>Wrong PIN.</source>
        <translation>Code incorrect.</translation>
    </message>
    <message>
        <source>Enter the PIN on the pad.</source>
        <translation>Saisissez le code sur le clavier.</translation>
    </message>
    <message>
        <source>Backspace</source>
        <translation>Retour arrière</translation>
    </message>
    <message>
        <source>OK</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>Check again</source>
        <translation>Vérifier à nouveau</translation>
    </message>
    <message>
        <source>Restart panel</source>
        <translation>Redémarrer le panneau</translation>
    </message>
    <message>
        <source>Leave kiosk mode</source>
        <translation>Quitter le mode kiosque</translation>
    </message>
    <message>
        <source>Checking…</source>
        <translation>Vérification…</translation>
    </message>
    <message>
        <source>Version</source>
        <translation>Version du logiciel</translation>
    </message>
    <message>
        <source>Scanner</source>
        <translation>Numériseur</translation>
    </message>
    <message>
        <source>Directory</source>
        <translation>Annuaire</translation>
    </message>
    <message>
        <source>Scan server</source>
        <translation>Serveur de numérisation</translation>
    </message>
    <message>
        <source>Delivery</source>
        <translation>Envoi</translation>
    </message>
    <message>
        <source>Queue</source>
        <translation>File d&apos;attente</translation>
    </message>
    <message>
        <source>Directory CA</source>
        <translation>Autorité de l&apos;annuaire</translation>
    </message>
    <message>
        <source>Scan server CA</source>
        <translation>Autorité du serveur de numérisation</translation>
    </message>
    <message>
        <source>Client certificate</source>
        <translation>Certificat client</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erreur</translation>
    </message>
    <message>
        <source>Log</source>
        <translation>Journal</translation>
    </message>
    <message>
        <source>NOT reachable</source>
        <translation>NON joignable</translation>
    </message>
    <message>
        <source>reachable</source>
        <translation>joignable</translation>
    </message>
    <message>
        <source>present</source>
        <translation>présent</translation>
    </message>
    <message>
        <source>MISSING</source>
        <translation>ABSENT</translation>
    </message>
    <message>
        <source>local file</source>
        <translation>fichier local</translation>
    </message>
    <message>
        <source>this panel</source>
        <translation>ce panneau</translation>
    </message>
    <message>
        <source>another process (run-worker)</source>
        <translation>un autre processus (run-worker)</translation>
    </message>
    <message>
        <source>problem</source>
        <translation>problème</translation>
    </message>
    <message>
        <source>EXPIRED</source>
        <translation>EXPIRÉ</translation>
    </message>
    <message>
        <source>%1 job(s) waiting, %2 MB free of %3 MB</source>
        <translation>%1 travail(aux) en attente, %2 Mo libres sur %3 Mo</translation>
    </message>
    <message>
        <source>expires %1 (%2 days left)</source>
        <translation>expire le %1 (encore %2 jours)</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to scan</source>
        <extracomment>Each language&apos;s name in itself: a user who cannot read the current one still finds theirs.</extracomment>
        <translation>Connectez-vous pour numériser</translation>
    </message>
    <message>
        <source>Not you?</source>
        <translation>Pas vous ?</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Maintenance</translation>
    </message>
    <message>
        <source>Service (administrator)</source>
        <translation>Service (administrateur)</translation>
    </message>
    <message>
        <source>Sign in</source>
        <translation>Se connecter</translation>
    </message>
    <message>
        <source>User name</source>
        <translation>Nom d&apos;utilisateur</translation>
    </message>
    <message>
        <source>Password</source>
        <translation>Mot de passe</translation>
    </message>
    <message>
        <source>Badge read for %1: enter your password.</source>
        <translation>Badge lu pour %1 : saisissez votre mot de passe.</translation>
    </message>
    <message>
        <source>Touch a field to type, or hold your badge to the reader.</source>
        <translation>Touchez un champ pour écrire, ou présentez votre badge au lecteur.</translation>
    </message>
    <message>
        <source>Signing in…</source>
        <translation>Connexion…</translation>
    </message>
    <message>
        <source>Enter your user name and your password.</source>
        <translation>Saisissez votre nom d&apos;utilisateur et votre mot de passe.</translation>
    </message>
</context>
<context>
    <name>Texts</name>
    <message>
        <source>Glass</source>
        <translation>Vitre</translation>
    </message>
    <message>
        <source>Feeder</source>
        <translation>Chargeur</translation>
    </message>
    <message>
        <source>Feeder, both sides</source>
        <translation>Chargeur, recto verso</translation>
    </message>
    <message>
        <source>Film</source>
        <translation>Film</translation>
    </message>
    <message>
        <source>Black and white</source>
        <translation>Noir et blanc</translation>
    </message>
    <message>
        <source>Grey, 4-bit</source>
        <translation>Niveaux de gris, 4 bits</translation>
    </message>
    <message>
        <source>Grey</source>
        <translation>Niveaux de gris</translation>
    </message>
    <message>
        <source>Grey, 16-bit</source>
        <translation>Niveaux de gris, 16 bits</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>Colour, 48-bit</source>
        <translation>Couleur, 48 bits</translation>
    </message>
    <message>
        <source>Colour with transparency</source>
        <translation>Couleur avec transparence</translation>
    </message>
    <message>
        <source>Colour with transparency, 64-bit</source>
        <translation>Couleur avec transparence, 64 bits</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 ppp</translation>
    </message>
    <message>
        <source>TIFF per page</source>
        <translation>TIFF par page</translation>
    </message>
    <message>
        <source>TIFF per page, uncompressed</source>
        <translation>TIFF par page, non compressé</translation>
    </message>
    <message>
        <source>TIFF, uncompressed</source>
        <translation>TIFF, non compressé</translation>
    </message>
    <message>
        <source>your e-mail</source>
        <translation>votre e-mail</translation>
    </message>
    <message>
        <source>your SharePoint site</source>
        <translation>votre site SharePoint</translation>
    </message>
</context>
<context>
    <name>TouchKeyboard</name>
    <message>
        <source>Backspace</source>
        <extracomment>Letter layouts by language; special keys are named in brackets. Held for HOLD_MS, a key offers these variants in a row above it (as phone keyboards do). Width in half keys of the special keys; every other key is 2.</extracomment>
        <translation>Retour arrière</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Majuscule</translation>
    </message>
    <message>
        <source>Space</source>
        <translation>Espace</translation>
    </message>
    <message>
        <source>Numbers and symbols</source>
        <translation>Chiffres et symboles</translation>
    </message>
    <message>
        <source>Letters</source>
        <translation>Lettres</translation>
    </message>
    <message>
        <source>Accented letters</source>
        <translation>Lettres accentuées</translation>
    </message>
    <message>
        <source>Keyboard layout %1: touch for the next</source>
        <translation>Disposition du clavier %1 : touchez pour la suivante</translation>
    </message>
    <message>
        <source>Key %1</source>
        <translation>Touche %1</translation>
    </message>
</context>
<context>
    <name>Words</name>
    <message>
        <source>The scan server does not know this scan process. Please tell your administrator.</source>
        <extracomment>Looks like a protocol or error code rather than words: CamelCase, or a dotted/underscored name.</extracomment>
        <translation>Le serveur de numérisation ne connaît pas ce processus. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>The scan server refused the job. Resend it later from My jobs; if it fails again, tell your administrator.</source>
        <translation>Le serveur de numérisation a refusé le travail. Renvoyez-le plus tard depuis Mes travaux ; en cas de nouvel échec, prévenez votre administrateur.</translation>
    </message>
    <message>
        <source>The scanned pages could not be sent to the scan server. Resend the job from My jobs.</source>
        <translation>Les pages numérisées n&apos;ont pas pu être envoyées au serveur. Renvoyez le travail depuis Mes travaux.</translation>
    </message>
    <message>
        <source>The job was cancelled on the scan server.</source>
        <translation>Le travail a été annulé sur le serveur de numérisation.</translation>
    </message>
    <message>
        <source>The scan server could not deliver your documents. Resend the job from My jobs, or tell your administrator.</source>
        <translation>Le serveur de numérisation n&apos;a pas pu livrer vos documents. Renvoyez le travail depuis Mes travaux ou prévenez votre administrateur.</translation>
    </message>
    <message>
        <source>Some destinations did not receive your documents.</source>
        <translation>Certaines destinations n&apos;ont pas reçu vos documents.</translation>
    </message>
    <message>
        <source>Your documents were delivered, but the scan server reported a warning.</source>
        <translation>Vos documents ont été livrés, mais le serveur signale un avertissement.</translation>
    </message>
    <message>
        <source>The scan server stopped waiting for the pages. Resend the job from My jobs.</source>
        <translation>Le serveur de numérisation a cessé d&apos;attendre les pages. Renvoyez le travail depuis Mes travaux.</translation>
    </message>
    <message>
        <source>The scan was interrupted. The pages scanned before that are delivered.</source>
        <translation>La numérisation a été interrompue. Les pages numérisées avant sont livrées.</translation>
    </message>
    <message>
        <source>The scan server lost the job. It is being sent again; you need not do anything.</source>
        <translation>Le serveur de numérisation a perdu le travail. Il est renvoyé ; vous n&apos;avez rien à faire.</translation>
    </message>
    <message>
        <source>Shared folder</source>
        <translation>Dossier partagé</translation>
    </message>
    <message>
        <source>E-mail</source>
        <translation>Courriel</translation>
    </message>
    <message>
        <source>A destination</source>
        <translation>Une destination</translation>
    </message>
    <message>
        <source>%1: the scan process has settings the scan server cannot use. Please tell your administrator.</source>
        <translation>%1 : le processus contient des réglages que le serveur ne peut pas utiliser. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>%1: there is no space left. Please tell your administrator.</source>
        <translation>%1 : il n&apos;y a plus de place. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>%1: the scan server was overloaded. Resend the job later from My jobs.</source>
        <translation>%1 : le serveur de numérisation était surchargé. Renvoyez le travail plus tard depuis Mes travaux.</translation>
    </message>
    <message>
        <source>%1: the scan server may not save there. Please tell your administrator.</source>
        <translation>%1 : le serveur de numérisation n&apos;a pas le droit d&apos;y enregistrer. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>%1: the mail server is not set up correctly. Please tell your administrator.</source>
        <translation>%1 : le serveur de messagerie n&apos;est pas correctement configuré. Veuillez prévenir votre administrateur.</translation>
    </message>
    <message>
        <source>%1: the message could not be sent. Resend the job later from My jobs.</source>
        <translation>%1 : le message n&apos;a pas pu être envoyé. Renvoyez le travail plus tard depuis Mes travaux.</translation>
    </message>
    <message>
        <source>%1: delivery was cancelled on the scan server.</source>
        <translation>%1 : la livraison a été annulée sur le serveur de numérisation.</translation>
    </message>
    <message>
        <source>%1: delivered with a warning.</source>
        <translation>%1 : livré avec un avertissement.</translation>
    </message>
    <message>
        <source>%1: delivery failed. Resend the job from My jobs, or tell your administrator.</source>
        <translation>%1 : la livraison a échoué. Renvoyez le travail depuis Mes travaux ou prévenez votre administrateur.</translation>
    </message>
    <message>
        <source>The scan server reported a problem. Resend the job from My jobs, or tell your administrator.</source>
        <translation>Le serveur de numérisation signale un problème. Renvoyez le travail depuis Mes travaux ou prévenez votre administrateur.</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>Signing in failed.</source>
        <extracomment>Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus). How long the delivered/failed cue stays on screen. Scanner error codes (kiosk.scanner) → problem screen; others show their own message. Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now. Emitted after every change of screen, with the screen&apos;s name. The flow (kiosk.panel_flow): the screens present it, the window drives it.</extracomment>
        <translation>La connexion a échoué.</translation>
    </message>
</context>
</TS>
