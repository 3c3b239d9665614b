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
        <source>Processing on the scan server</source>
        <translation>Traitement sur le serveur de numérisation</translation>
    </message>
    <message>
        <source>Scan server not reachable: kept, will retry</source>
        <extracomment>Job states (kiosk.jobs.spool) that end a job, and which of them is a success.</extracomment>
        <translation>Serveur de numérisation injoignable : conservé, nouvel essai prévu</translation>
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
        <source>Loading…</source>
        <translation>Chargement…</translation>
    </message>
    <message>
        <source>You have no recent jobs.</source>
        <translation>Vous n&apos;avez aucun travail récent.</translation>
    </message>
    <message>
        <source>Touch a failed job to resend or delete it.</source>
        <translation>Touchez un travail en échec pour le renvoyer ou le supprimer.</translation>
    </message>
    <message>
        <source>%1 pages</source>
        <translation>%1 pages</translation>
    </message>
</context>
<context>
    <name>PanelWindow</name>
    <message>
        <source>Signing out in %1 s. Touch the screen to stay.</source>
        <translation>Déconnexion dans %1 s. Touchez l&apos;écran pour rester.</translation>
    </message>
    <message>
        <source>Delivered: %1</source>
        <translation>Livré : %1</translation>
    </message>
    <message>
        <source>Delivery failed: %1. See My jobs.</source>
        <translation>Échec de la livraison : %1. Voir Mes travaux.</translation>
    </message>
</context>
<context>
    <name>PrepareScreen</name>
    <message>
        <source>Put the page face down on the glass.</source>
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
        <source>Back</source>
        <translation>Retour</translation>
    </message>
    <message>
        <source>Scan</source>
        <translation>Numériser</translation>
    </message>
    <message>
        <source>Paper from</source>
        <translation>Papier depuis</translation>
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
        <source>The directory cannot be reached</source>
        <translation>L&apos;annuaire est injoignable</translation>
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
        <source>Signing in is not possible right now. Try again in a few minutes, or call your administrator.</source>
        <translation>La connexion est impossible pour le moment. Réessayez dans quelques minutes ou appelez votre administrateur.</translation>
    </message>
    <message>
        <source>Try again. If this goes on, call your administrator.</source>
        <translation>Réessayez. Si le problème persiste, appelez votre administrateur.</translation>
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
        <source>Load more paper and touch Scan more pages, or touch Finish to send.</source>
        <translation>Ajoutez du papier et touchez Numériser d&apos;autres pages, ou touchez Terminer pour envoyer.</translation>
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
        <translation>Service</translation>
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
        <source>Log</source>
        <translation>Journal</translation>
    </message>
</context>
<context>
    <name>SignInScreen</name>
    <message>
        <source>Sign in to scan</source>
        <translation>Connectez-vous pour numériser</translation>
    </message>
    <message>
        <source>Service</source>
        <translation>Service</translation>
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
    <message>
        <source>Badge recognised: enter your password.</source>
        <translation>Badge reconnu : saisissez votre mot de passe.</translation>
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
        <source>Grey</source>
        <translation>Niveaux de gris</translation>
    </message>
    <message>
        <source>Colour</source>
        <translation>Couleur</translation>
    </message>
    <message>
        <source>%1 dpi</source>
        <translation>%1 ppp</translation>
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
        <extracomment>Width in half keys of the letter layer&apos;s special keys; every other key is 2.</extracomment>
        <translation>Retour arrière</translation>
    </message>
    <message>
        <source>Enter</source>
        <translation>Entrée</translation>
    </message>
    <message>
        <source>Shift</source>
        <translation>Maj</translation>
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
        <source>Key %1</source>
        <translation>Touche %1</translation>
    </message>
</context>
<context>
    <name>screen</name>
    <message>
        <source>Signing in failed.</source>
        <extracomment>Exit status asking the service manager to start the panel again (systemd: RestartForceExitStatus). How long the delivered/failed cue stays on screen. Scanner error classes (kiosk.scanner) → problem screen; others show their own message. Directory error codes (kiosk.directory.errors) that mean nobody can sign in right now. Emitted after every change of screen, with the screen&apos;s name.</extracomment>
        <translation>La connexion a échoué.</translation>
    </message>
</context>
</TS>
